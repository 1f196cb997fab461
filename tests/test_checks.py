"""Tests of layerwise._checks: the one place that turns bad input into a clear TypeError/ValueError."""

import numpy as np
import pytest

from layerwise._checks import as_count, as_float_array, as_labels, as_positive, check_rng


def test_as_float_array_converts_integers_and_keeps_float_precision():
    A = as_float_array([[1, 2], [3, 4]], "X")
    assert A.dtype == np.float64
    np.testing.assert_array_equal(A, [[1.0, 2.0], [3.0, 4.0]])
    B = np.ones((2, 2), dtype=np.float32)
    assert as_float_array(B, "X") is B                     # no copy, no upcast
    assert as_float_array(B, "X", dtype=np.float64).dtype == np.float64
    assert as_float_array(np.array([[True, False]]), "X").dtype == np.float64
    assert as_float_array(np.ones(3), "b", ndim=1).shape == (3,)


def test_as_float_array_lets_nan_through_only_when_asked():
    A = np.array([[np.nan, 1.0]])
    assert as_float_array(A, "O", finite=False) is A
    with pytest.raises(ValueError, match="O contains NaN or inf; expected finite values"):
        as_float_array(A, "O")


@pytest.mark.parametrize("A, kwargs, error, fragment", [
    (np.ones(3), {}, ValueError, r"X must be a 2-D array \(rows are examples\), got 1-D array of shape \(3,\)"),
    (np.ones((2, 2, 2)), {}, ValueError, r"got 3-D array of shape \(2, 2, 2\)"),
    (np.float64(3.0), {}, ValueError, "got 0-D array"),
    (np.ones((2, 2)), {"ndim": 1}, ValueError, "X must be a 1-D array, got 2-D"),
    (np.ones((2, 2)), {"ndim": 3}, ValueError, "X must be a 3-D array, got 2-D"),
    (np.ones((3, 0)), {}, ValueError, r"X must not be empty, got shape \(3, 0\)"),
    (np.array([["x", "y"]]), {}, TypeError, "X must be a numeric array, got dtype <U1"),
    (np.array([[b"x"]]), {}, TypeError, "X must be a numeric array, got dtype |S1"),
    (np.array([[1, None]]), {}, TypeError, "X must be a numeric array, got dtype object"),
    (np.ones((2, 2), dtype=complex), {}, TypeError, "X must be a numeric array, got dtype complex128"),
    (np.array([[1.0, np.inf]]), {}, ValueError, "X contains NaN or inf"),
    (np.array([[1e300]]), {"dtype": np.float32}, ValueError, "X contains NaN or inf"),   # overflows in float32
])
def test_as_float_array_rejects(A, kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        with np.errstate(over="ignore"):
            as_float_array(A, "X", **kwargs)


def test_as_labels_accepts_any_integer_type():
    for dtype in (np.int8, np.int32, np.int64, np.uint8):
        np.testing.assert_array_equal(as_labels(np.array([0, 2, 1], dtype=dtype), n=3, p=3), [0, 2, 1])


@pytest.mark.parametrize("y, kwargs, error, fragment", [
    (np.array([0.0, 1.0]), {}, TypeError, "y must hold integer class labels, got dtype float64"),
    (np.array([True, False]), {}, TypeError, "got dtype bool"),
    (np.array([[0, 1]]), {}, ValueError, r"y must be a 1-D array of labels, got shape \(1, 2\)"),
    (np.array([0, 1]), {"n": 3}, ValueError, "y has 2 labels but there are 3 rows"),
    (np.array([0, 5]), {"p": 5}, ValueError, r"labels must lie in \[0, 5\), got 5"),
    (np.array([0, -2]), {"p": 5}, ValueError, r"labels must lie in \[0, 5\), got -2"),
    (np.array([0, -2]), {}, ValueError, "labels must be >= 0, got -2"),
])
def test_as_labels_rejects(y, kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        as_labels(y, **kwargs)


def test_as_count():
    assert as_count(3, "k") == 3 and type(as_count(np.int64(3), "k")) is int
    assert as_count(0, "k", minimum=0) == 0
    with pytest.raises(ValueError, match="k must be >= 1, got 0"):
        as_count(0, "k")
    with pytest.raises(TypeError, match="k must be an integer, got float 2.0"):
        as_count(2.0, "k")
    with pytest.raises(TypeError, match="k must be an integer, got bool True"):
        as_count(True, "k")
    with pytest.raises(TypeError, match="k must be an integer, got str '3'"):
        as_count("3", "k")


def test_as_positive():
    assert as_positive(0.5, "lr") == 0.5 and type(as_positive(np.float32(2), "lr")) is float
    assert as_positive(3, "lr") == 3.0
    for bad in (0, -1e-9, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="lr must be a positive finite number, got "):
            as_positive(bad, "lr")
    for bad, name in [("1", "str"), (None, "NoneType"), (True, "bool"), (np.array(0.1), "ndarray"), ([1.0], "list")]:
        with pytest.raises(TypeError, match=f"lr must be a positive finite number, got {name}"):
            as_positive(bad, "lr")


def test_check_rng():
    rng = np.random.default_rng(0)
    assert check_rng(rng) is rng
    for bad, name in [(0, "int"), (None, "NoneType"), (np.random.RandomState(0), "RandomState"), (np.random, "module")]:
        with pytest.raises(TypeError, match=f"rng must be a numpy Generator such as np.random.default_rng.0., got {name}"):
            check_rng(bad)
