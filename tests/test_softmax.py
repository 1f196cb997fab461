"""Tests of layerwise.softmax: hand values, properties (hypothesis), extreme logits, one_hot, predict."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from layerwise import log_softmax, one_hot, predict, softmax


def logits(max_abs=1e4, grid=None):
    """Hypothesis strategy for (n, p) logit matrices, n and p in [1, 8]; values on a grid when given."""
    shape = st.tuples(st.integers(1, 8), st.integers(1, 8))
    if grid is None:
        elements = st.floats(-max_abs, max_abs, allow_nan=False, allow_infinity=False)
    else:
        k = int(max_abs / grid)
        elements = st.integers(-k, k).map(lambda i: i * grid)
    return shape.flatmap(lambda s: arrays(np.float64, s, elements=elements))


# --- hand values ---------------------------------------------------------------------------------

def test_softmax_by_hand():
    # exp(0), exp(ln 2), exp(ln 3) are 1, 2, 3: the probabilities are 1/6, 2/6, 3/6.
    P = softmax(np.array([[0.0, math.log(2), math.log(3)]]))
    np.testing.assert_allclose(P, [[1 / 6, 2 / 6, 3 / 6]], rtol=1e-14)


def test_softmax_row_against_math_exp():
    o = [1.0, 2.0, 3.0, -1.5]
    total = math.fsum(math.exp(v) for v in o)
    expected = [math.exp(v) / total for v in o]
    np.testing.assert_allclose(softmax(np.array([o, o[::-1]])), [expected, expected[::-1]], rtol=1e-14)


def test_log_softmax_row_against_math():
    o = [0.5, -2.0, 4.0]
    lse = math.log(math.fsum(math.exp(v) for v in o))
    np.testing.assert_allclose(log_softmax(np.array([o])), [[v - lse for v in o]], rtol=1e-14, atol=1e-15)


def test_softmax_of_equal_logits_is_uniform():
    np.testing.assert_array_equal(softmax(np.full((2, 4), 7.0)), np.full((2, 4), 0.25))


# --- properties ----------------------------------------------------------------------------------

@given(logits())
def test_rows_sum_to_one_and_entries_lie_in_0_1(no_float_trouble, O):
    with no_float_trouble():
        P = softmax(O)
    assert P.shape == O.shape
    assert ((P >= 0) & (P <= 1)).all()
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=0, atol=1e-14)


@given(logits(max_abs=100.0), st.integers(0, 2 ** 32 - 1))
def test_adding_a_constant_to_each_row_changes_nothing(O, seed):
    c = np.random.default_rng(seed).uniform(-1000, 1000, size=(O.shape[0], 1))
    # O + c is rounded to about 1e-13 absolute, so the probabilities agree to that level.
    np.testing.assert_allclose(softmax(O + c), softmax(O), rtol=0, atol=1e-11)
    np.testing.assert_allclose(log_softmax(O + c), log_softmax(O), rtol=0, atol=1e-10)


@given(logits(max_abs=50.0, grid=1e-3))
def test_softmax_keeps_the_argmax(O):
    """The note's claim 3: predict(softmax(O)) == predict(O), so inference needs no softmax.

    The logits lie on a 1e-3 grid: softmax is strictly increasing, but two logits closer than about
    1e-16 may round to one probability, and then argmax picks the first; ties stay ties.
    """
    np.testing.assert_array_equal(predict(softmax(O)), predict(O))


@given(logits(max_abs=30.0))
def test_log_softmax_is_the_log_of_softmax(O):
    np.testing.assert_allclose(np.exp(log_softmax(O)), softmax(O), rtol=1e-12, atol=1e-300)


# --- extreme logits ------------------------------------------------------------------------------

def test_softmax_is_exact_for_logits_of_1e4(no_float_trouble):
    with no_float_trouble():
        P = softmax(np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4, -1e4]]))
    np.testing.assert_array_equal(P, [[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3], [0.5, 0.5, 0.0]])


def test_log_softmax_is_exact_for_logits_of_1e4(no_float_trouble):
    with no_float_trouble():
        L = log_softmax(np.array([[1e4, 0.0], [1e4, -1e4], [-1e4, -1e4]]))
    np.testing.assert_array_equal(L[:2], [[0.0, -1e4], [0.0, -2e4]])
    assert L[2] == pytest.approx([-math.log(2)] * 2, rel=1e-15)


def test_softmax_of_the_largest_floats_is_finite(no_float_trouble):
    with no_float_trouble():
        P = softmax(np.array([[1e300, 0.0, -1e300]]))
    np.testing.assert_array_equal(P, [[1.0, 0.0, 0.0]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_keeps_dtype(dtype, no_float_trouble):
    O = np.array([[1e4, -1e4, 0.0], [1.0, 2.0, 3.0]], dtype=dtype)
    with no_float_trouble():
        assert softmax(O).dtype == dtype
        assert log_softmax(O).dtype == dtype


# --- one_hot and predict -------------------------------------------------------------------------

def test_one_hot_by_hand():
    np.testing.assert_array_equal(one_hot(np.array([2, 0, 1, 2]), 3),
                                  [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]])


def test_one_hot_rows_have_a_single_one_at_the_label():
    y = np.random.default_rng(4).integers(0, 10, size=50)
    Y = one_hot(y, 10)
    assert Y.shape == (50, 10)
    np.testing.assert_array_equal(Y.sum(axis=1), 1)
    np.testing.assert_array_equal(Y[np.arange(50), y], 1)


def test_predict_is_the_argmax_of_each_row():
    O = np.array([[0.1, 2.0, -1.0], [5.0, 5.0, 1.0], [-3.0, -2.0, -1.0]])
    np.testing.assert_array_equal(predict(O), [1, 0, 2])     # a tie goes to the first class


@pytest.mark.parametrize("y, p, error, fragment", [
    ([0, 3], 3, ValueError, r"\[0, 3\), got 3"),
    ([-1, 0], 3, ValueError, "got -1"),
    ([0.0, 1.0], 3, TypeError, "integer class labels"),
    ([[0, 1]], 3, ValueError, "1-D array of labels"),
    ([0, 1], 0, ValueError, "p .number of classes. must be >= 1"),
    ([0, 1], 2.0, TypeError, "must be an integer"),
])
def test_one_hot_rejects_bad_labels(y, p, error, fragment):
    with pytest.raises(error, match=fragment):
        one_hot(np.array(y), p)


# --- bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fn", [softmax, log_softmax, predict])
@pytest.mark.parametrize("O, error, fragment", [
    (np.array([1.0, 2.0]), ValueError, "2-D array .rows are examples., got 1-D"),
    (np.zeros((2, 2, 2)), ValueError, "got 3-D"),
    (np.array([["a", "b"]]), TypeError, "numeric array"),
    (np.array([[1, 2]], dtype=object), TypeError, "numeric array, got dtype object"),
])
def test_softmax_rejects_bad_arrays(fn, O, error, fragment):
    with pytest.raises(error, match=fragment):
        fn(O)


@pytest.mark.parametrize("fn", [softmax, log_softmax])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_softmax_rejects_nan_and_inf(fn, bad):
    with pytest.raises(ValueError, match="NaN or inf"):
        fn(np.array([[0.0, bad]]))
