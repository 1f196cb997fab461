"""Tests of layerwise.hinges.hinge_params: weights worked out by hand, the network against NumPy's own
linear interpolation, the interpolation error bound, and rejected arguments."""

import numpy as np
import pytest

import layerwise as lw
from layerwise import sawtooth as st
from layerwise.hinges import hinge_params


def network(params, x):
    return lw.forward_inference(params, np.asarray(x, dtype=float)[:, None], activation="relu")[:, 0]


def test_weights_by_hand():
    # Points (0, 0), (1, 1), (2, 0), (3, 2): slopes 1, −1, 2, so the hinges at 0, 1, 2 carry
    # the first slope 1 and the changes −2 and +3; the bias is the first value, 0.
    (W1, b1), (W2, b2) = hinge_params([0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 0.0, 2.0])
    np.testing.assert_array_equal(W1, [[1.0, 1.0, 1.0]])
    np.testing.assert_array_equal(b1, [0.0, -1.0, -2.0])
    np.testing.assert_array_equal(W2, [[1.0], [-2.0], [3.0]])
    np.testing.assert_array_equal(b2, [0.0])


def test_values_by_hand_inside_and_outside_the_knots():
    params = hinge_params([0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 0.0, 2.0])
    x = [-1.0, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0]
    # Constant left of the first knot, the broken line between the knots, the last slope (2) beyond.
    np.testing.assert_allclose(network(params, x), [0.0, 0.0, 0.5, 1.0, 0.5, 0.0, 1.0, 2.0, 4.0], atol=1e-15)


def test_one_unit_is_the_line_through_two_points():
    (W1, b1), (W2, b2) = hinge_params([2.0, 4.0], [1.0, 7.0])          # slope 3 from (2, 1)
    assert W1.shape == (1, 1) and W2.shape == (1, 1)
    np.testing.assert_allclose(network([(W1, b1), (W2, b2)], [2.0, 3.0, 4.0, 5.0]), [1.0, 4.0, 7.0, 10.0])


@pytest.mark.parametrize("m", [1, 2, 7, 50])
def test_network_is_numpys_linear_interpolation(m):
    rng = np.random.default_rng(m)
    knots = np.sort(rng.uniform(-3, 3, size=m + 1))
    values = rng.normal(size=m + 1)
    params = hinge_params(knots, values)
    assert [W.shape for W, _ in params] == [(1, m), (m, 1)]
    x = np.linspace(knots[0], knots[-1], 2001)
    # np.interp joins the points by straight lines: an independent reference on [knots[0], knots[m]].
    np.testing.assert_allclose(network(params, x), np.interp(x, knots, values), rtol=0, atol=1e-9)
    np.testing.assert_allclose(network(params, knots), values, rtol=0, atol=1e-9)


def test_the_sawtooths_points_give_the_sawtooths_shallow_network():
    # shallow_sawtooth_params was written out by hand from the sawtooth's slopes: the same weights.
    k = 4
    knots = np.arange(2 ** k + 1) / 2 ** k
    for (W, b), (W_ref, b_ref) in zip(hinge_params(knots, st.sawtooth(knots, k)), st.shallow_sawtooth_params(k)):
        np.testing.assert_array_equal(W, W_ref)
        np.testing.assert_array_equal(b, b_ref)


def test_error_on_a_parabola_is_exactly_h_squared_over_8():
    # For f = x², f'' = 2 everywhere, and on every piece of width h the chord lies above the parabola by
    # at most (h/2)² = h²/4 at the midpoint, which is h²/8 · max|f''|: the bound is an equality here.
    for m in [1, 3, 10, 40]:
        knots = np.linspace(-1, 1, m + 1)
        h = 2 / m
        midpoints = (knots[:-1] + knots[1:]) / 2
        error = network(hinge_params(knots, knots ** 2), midpoints) - midpoints ** 2
        np.testing.assert_allclose(error, h ** 2 / 4, rtol=1e-9)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype(dtype):
    params = hinge_params([0, 1, 2], [0, 1, 0], dtype=dtype)
    assert all(W.dtype == dtype and b.dtype == dtype for W, b in params)
    lw.forward_inference(params, np.zeros((3, 1), dtype=dtype))      # the package accepts it as a network


@pytest.mark.parametrize("knots, values, message", [
    ([0.0, 1.0], [0.0, 1.0, 2.0], "same length"),
    ([0.0], [1.0], "at least 2 points"),
    ([0.0, 2.0, 1.0], [0.0, 1.0, 2.0], "strictly increasing"),
    ([0.0, 1.0, 1.0], [0.0, 1.0, 2.0], "strictly increasing"),
    ([0.0, np.nan], [0.0, 1.0], "NaN or inf"),
    ([0.0, 1.0], [0.0, np.inf], "NaN or inf"),
    ([[0.0, 1.0]], [0.0, 1.0], "1-D array"),
])
def test_bad_points_are_rejected(knots, values, message):
    with pytest.raises(ValueError, match=message):
        hinge_params(knots, values)


def test_bad_dtype_is_rejected():
    with pytest.raises(TypeError, match="floating"):
        hinge_params([0, 1], [0, 1], dtype=np.int64)
    with pytest.raises(TypeError, match="numeric"):
        hinge_params(["a", "b"], [0, 1])
