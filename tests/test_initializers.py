"""Tests of layerwise.initializers.init_params: shapes, dtype, zero biases, the spread of each rule,
reproducibility and rejected arguments."""

import math

import numpy as np
import pytest

from layerwise import INITS, init_params


@pytest.mark.parametrize("init", ["he", "xavier", "normal"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_shapes_dtype_and_zero_biases(init, dtype):
    sizes = [5, 7, 3, 2]
    params = init_params(sizes, np.random.default_rng(60), init=init, dtype=dtype)
    assert len(params) == 3
    for (W, b), fan_in, fan_out in zip(params, sizes[:-1], sizes[1:]):
        assert W.shape == (fan_in, fan_out) and b.shape == (fan_out,)
        assert W.dtype == dtype and b.dtype == dtype
        np.testing.assert_array_equal(b, 0)


@pytest.mark.parametrize("init, fan_in, fan_out, expected_std", [
    ("he", 1000, 400, math.sqrt(2 / 1000)),
    ("he", 250, 2000, math.sqrt(2 / 250)),
    ("xavier", 1000, 400, math.sqrt(2 / 1400)),
    ("xavier", 250, 2000, math.sqrt(2 / 2250)),
])
def test_spread_of_he_and_xavier(init, fan_in, fan_out, expected_std):
    (W, _), = init_params([fan_in, fan_out], np.random.default_rng(61), init=init)
    # 4e5+ samples: the sample std is within ~0.2 % of the true one, the mean within ~0.3 % of a std.
    assert W.std() == pytest.approx(expected_std, rel=0.01)
    assert abs(W.mean()) < 0.01 * expected_std


@pytest.mark.parametrize("scale", [0.01, 0.5, 3.0])
def test_spread_of_normal_is_the_scale(scale):
    (W, _), = init_params([800, 600], np.random.default_rng(62), init="normal", scale=scale)
    assert W.std() == pytest.approx(scale, rel=0.01)


def test_weights_look_gaussian():
    # About 68.3 % of a normal sample lies within one standard deviation, 95.4 % within two.
    (W, _), = init_params([1000, 500], np.random.default_rng(63), init="he")
    s = math.sqrt(2 / 1000)
    assert np.mean(np.abs(W) < s) == pytest.approx(math.erf(1 / math.sqrt(2)), abs=0.005)
    assert np.mean(np.abs(W) < 2 * s) == pytest.approx(math.erf(2 / math.sqrt(2)), abs=0.005)


def test_same_seed_same_weights_other_seed_other_weights():
    a = init_params([4, 6, 3], np.random.default_rng(7))
    b = init_params([4, 6, 3], np.random.default_rng(7))
    c = init_params([4, 6, 3], np.random.default_rng(8))
    for (Wa, _), (Wb, _), (Wc, _) in zip(a, b, c):
        np.testing.assert_array_equal(Wa, Wb)
        assert not np.array_equal(Wa, Wc)


def test_init_names_are_case_insensitive_and_listed():
    assert sorted(INITS) == ["he", "normal", "xavier"]
    a = init_params([3, 2], np.random.default_rng(9), init="He")
    b = init_params([3, 2], np.random.default_rng(9), init="he")
    np.testing.assert_array_equal(a[0][0], b[0][0])


@pytest.mark.parametrize("kwargs, error, fragment", [
    ({"sizes": [3, 0, 2]}, ValueError, r"sizes\[1\] \(layer width\) must be >= 1, got 0"),
    ({"sizes": [3, -4, 2]}, ValueError, r"sizes\[1\] \(layer width\) must be >= 1, got -4"),
    ({"sizes": [0, 2]}, ValueError, r"sizes\[0\] \(layer width\) must be >= 1, got 0"),
    ({"sizes": [3, 2.5]}, TypeError, r"sizes\[1\] \(layer width\) must be an integer, got float"),
    ({"sizes": [3, True]}, TypeError, "must be an integer, got bool"),
    ({"sizes": [3]}, ValueError, r"sizes must list at least \[d, p\]"),
    ({"sizes": []}, ValueError, r"sizes must list at least \[d, p\]"),
    ({"init": "glorot"}, ValueError, "unknown init 'glorot'; known inits: he, normal, xavier"),
    ({"init": None}, ValueError, "unknown init None; known inits: he, normal, xavier"),
    ({"rng": 0}, TypeError, "rng must be a numpy Generator such as np.random.default_rng.0., got int"),
    ({"rng": None}, TypeError, "rng must be a numpy Generator.*got NoneType"),
    ({"rng": np.random.RandomState(0)}, TypeError, "rng must be a numpy Generator.*got RandomState"),
    ({"dtype": np.int64}, TypeError, "dtype must be a floating type"),
    ({"init": "normal", "scale": 0.0}, ValueError, "scale must be a positive finite number, got 0.0"),
    ({"init": "normal", "scale": -1.0}, ValueError, "scale must be a positive finite number, got -1.0"),
    ({"init": "normal", "scale": math.nan}, ValueError, "scale must be a positive finite number, got nan"),
    ({"init": "normal", "scale": math.inf}, ValueError, "scale must be a positive finite number, got inf"),
    ({"init": "normal", "scale": "0.1"}, TypeError, "scale must be a positive finite number, got str '0.1'"),
    ({"init": "normal", "scale": None}, TypeError, "scale must be a positive finite number, got NoneType"),
    ({"sizes": 3}, TypeError, r"sizes must be a list of layer widths \[d, h_1, ..., p\], got int 3"),
    ({"sizes": None}, TypeError, "sizes must be a list of layer widths"),
])
def test_bad_arguments_are_rejected(kwargs, error, fragment):
    args = {"sizes": [3, 4, 2], "rng": np.random.default_rng(0), **kwargs}
    with pytest.raises(error, match=fragment):
        init_params(args.pop("sizes"), args.pop("rng"), **args)
