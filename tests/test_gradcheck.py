"""Tests of layerwise.gradcheck: centred differences and the relative error used by every gradient check."""

import math

import numpy as np
import pytest

from layerwise import numerical_gradient, rel_error


def test_numerical_gradient_of_cubic_matches_derivative_by_hand():
    # f(x) = Σ x³ has ∂f/∂x = 3x²; centred differences err by h² (the x³ term), i.e. 1e-10 here.
    x = np.random.default_rng(0).normal(size=(3, 4))
    grad = numerical_gradient(lambda v: np.sum(v ** 3), x)
    np.testing.assert_allclose(grad, 3 * x ** 2, rtol=0, atol=1e-8)


def test_numerical_gradient_of_sine_and_exp():
    x = np.array([0.0, 0.5, -1.3, 2.0])
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sin(v).sum(), x),
                               [math.cos(v) for v in x], rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(numerical_gradient(lambda v: np.exp(v).sum(), x),
                               [math.exp(v) for v in x], rtol=1e-9)


def test_numerical_gradient_is_exact_for_linear_functions_up_to_rounding():
    a = np.array([[1.5, -2.0], [0.25, 4.0]])
    x = np.zeros((2, 2))
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(a * v), x), a, rtol=1e-10)


def test_centred_difference_error_shrinks_like_h_squared():
    # error(h) ≈ h² f'''(x)/6: ten times smaller h gives about a hundred times smaller error.
    x = np.array([0.7])
    exact = math.exp(0.7)
    e1 = abs(numerical_gradient(lambda v: np.exp(v).sum(), x.copy(), h=1e-2)[0] - exact)
    e2 = abs(numerical_gradient(lambda v: np.exp(v).sum(), x.copy(), h=1e-3)[0] - exact)
    assert 80 < e1 / e2 < 120
    assert e1 == pytest.approx(1e-4 * exact / 6, rel=1e-3)


def test_numerical_gradient_restores_x_and_keeps_its_shape():
    x = np.random.default_rng(1).normal(size=(2, 3, 2))
    before = x.copy()
    grad = numerical_gradient(lambda v: float(np.sum(v ** 2)), x)
    assert grad.shape == x.shape
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("x", [np.arange(3), [1.0, 2.0], 3.0])
def test_numerical_gradient_needs_a_float_ndarray(x):
    with pytest.raises(TypeError, match="floating ndarray"):
        numerical_gradient(lambda v: 0.0, x)


@pytest.mark.parametrize("a, b, expected", [
    ([3.0, 4.0], [0.0, 0.0], 1.0),                       # ‖a‖ = 5, ‖b‖ = 0, ‖a − b‖ = 5
    ([1.0, 0.0], [0.0, 1.0], math.sqrt(2) / 2),          # ‖a − b‖ = √2 over 1 + 1
    ([1.0, 2.0], [1.0, 2.0], 0.0),
    ([0.0, 0.0], [0.0, 0.0], 0.0),                       # both zero: defined as 0
    ([2.0], [1.0], 1 / 3),
])
def test_rel_error_by_hand(a, b, expected):
    assert rel_error(np.array(a), np.array(b)) == pytest.approx(expected, abs=1e-15)


def test_rel_error_is_symmetric_and_scale_free():
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=5), rng.normal(size=5)
    assert rel_error(a, b) == pytest.approx(rel_error(b, a))
    assert rel_error(1e-8 * a, 1e-8 * b) == pytest.approx(rel_error(a, b))


def test_rel_error_rejects_different_shapes():
    with pytest.raises(ValueError, match="one shape"):
        rel_error(np.zeros(3), np.zeros((3, 1)))
