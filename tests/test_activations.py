"""Tests of layerwise.activations: values by hand, derivatives against centred differences, numerics."""

import math

import numpy as np
import pytest

from layerwise import (ACTIVATIONS, get_activation, get_grad_from_output, identity, identity_grad,
                       numerical_gradient, relu, relu_grad, sigmoid, sigmoid_grad, tanh, tanh_grad)

NAMES = ["sigmoid", "tanh", "relu", "identity"]
H = 1e-5                 # the step of numerical_gradient
KINK_MARGIN = 10 * H     # a ReLU input closer than this to 0 could be pushed across the kink by ±h
# f = Σ G ⊙ σ(Z) is a sum of up to 64 smooth terms of size ~1: per entry the centred difference errs
# by h²|σ⁽³⁾|/6 ≈ 2e-11 (truncation) plus about ε|f|/h ≈ 2e-10 (rounding), against derivatives of
# size ~1. Observed worst 1.7e-10 (sigmoid); 1e-8 leaves a 50× margin, and a wrong derivative errs
# by the order of the derivative itself.
GRAD_TOL = 1e-8


# --- values by hand ------------------------------------------------------------------------------

def test_sigmoid_values_by_hand():
    # σ(0) = 1/2; σ(ln 3) = 1/(1 + 1/3) = 3/4; σ(−ln 3) = 1/4.
    np.testing.assert_allclose(sigmoid(np.array([0.0, math.log(3), -math.log(3)])), [0.5, 0.75, 0.25], rtol=1e-15)


def test_sigmoid_is_symmetric():
    Z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(sigmoid(-Z), 1 - sigmoid(Z), atol=1e-16)


def test_tanh_values_by_hand():
    # tanh(ln 2) = (2 − 1/2) / (2 + 1/2) = 3/5.
    np.testing.assert_allclose(tanh(np.array([0.0, math.log(2), -math.log(2)])), [0.0, 0.6, -0.6], rtol=1e-15)


def test_relu_and_identity_values_by_hand():
    Z = np.array([[-2.0, 0.0, 3.5]])
    np.testing.assert_array_equal(relu(Z), [[0.0, 0.0, 3.5]])
    np.testing.assert_array_equal(identity(Z), Z)


def test_derivatives_by_hand():
    # σ'(0) = 1/4 and σ'(ln 3) = 3/4 · 1/4; tanh'(0) = 1, tanh'(ln 2) = 1 − 0.36.
    np.testing.assert_allclose(sigmoid_grad(np.array([0.0, math.log(3)])), [0.25, 3 / 16], rtol=1e-15)
    np.testing.assert_allclose(tanh_grad(np.array([0.0, math.log(2)])), [1.0, 0.64], rtol=1e-15)
    # ReLU'(0) is chosen to be 0 (the docstring's convention at the kink).
    np.testing.assert_array_equal(relu_grad(np.array([-1.0, 0.0, 2.0])), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(identity_grad(np.array([[-3.0, 7.0]])), [[1.0, 1.0]])


def test_activations_are_nonlinear_except_identity():
    # The note's claim 4 rests on σ(a + b) ≠ σ(a) + σ(b): without it, layers collapse into one linear map.
    a, b = np.array([1.0]), np.array([-2.0])
    for name in ["sigmoid", "tanh", "relu"]:
        f, _ = get_activation(name)
        assert not np.allclose(f(a + b), f(a) + f(b)), name
    np.testing.assert_array_equal(identity(a + b), identity(a) + identity(b))


# --- derivatives against centred differences -------------------------------------------------------

def _draw_Z(rng, name, gradlog, check):
    """A random (n, k) pre-activation; for ReLU, redraw (and count it) while any entry is within KINK_MARGIN of 0."""
    shape = tuple(rng.integers(1, 9, size=2))
    Z = rng.normal(0.0, 2.0, size=shape)
    while name == "relu" and np.abs(Z).min() < KINK_MARGIN:
        gradlog.redraws[check] += 1
        Z = rng.normal(0.0, 2.0, size=shape)
    return Z


@pytest.mark.parametrize("name", NAMES)
def test_activation_grad_matches_numerical_gradient(name, gradlog):
    """σ_grad(Z) against ∂/∂Z Σ G ⊙ σ(Z) by centred differences, on 50 random shapes (n, k) in [1, 8]²."""
    f, f_grad = get_activation(name)
    rng = np.random.default_rng(100 + NAMES.index(name))
    check = f"activations.{name}_grad"
    for _ in range(50):
        gradlog.draws[check] += 1
        Z = _draw_Z(rng, name, gradlog, check)
        G = rng.normal(size=Z.shape)             # random weights: a non-element-wise bug cannot hide
        numeric = numerical_gradient(lambda V: np.sum(G * f(V)), Z, h=H)
        gradlog.check(check, G * f_grad(Z), numeric, GRAD_TOL)
    # Kinks are handled by redrawing; with |Z| ~ N(0, 4) they are rare, and the count proves it.
    assert gradlog.redraws[check] <= 2


# --- numerics ------------------------------------------------------------------------------------

def test_sigmoid_does_not_overflow_or_warn_for_huge_inputs(no_float_trouble):
    Z = np.array([-1e4, -800.0, -50.0, 0.0, 50.0, 800.0, 1e4])
    with no_float_trouble():
        S = sigmoid(Z)
        dS = sigmoid_grad(Z)
    assert np.isfinite(S).all() and np.isfinite(dS).all()
    # Exact limits: σ(1e4) rounds to 1 and σ(−1e4) to 0; e^−800 is below the smallest float64.
    assert S[-1] == 1.0 and S[0] == 0.0 and S[1] == 0.0 and S[5] == 1.0
    assert S[3] == 0.5
    # σ(−50) = e^−50 / (1 + e^−50), from Python's math; σ(50) = 1 − that, which rounds to 1.
    assert S[2] == pytest.approx(math.exp(-50) / (1 + math.exp(-50)), rel=1e-14)
    assert S[4] == 1.0
    np.testing.assert_array_equal(dS[[0, 1, 5, 6]], 0.0)


def test_sigmoid_in_float32_does_not_overflow(no_float_trouble):
    Z = np.array([-1e4, -200.0, 0.0, 200.0, 1e4], dtype=np.float32)   # e^-200 < smallest float32
    with no_float_trouble():
        S = sigmoid(Z)
    assert S.dtype == np.float32
    np.testing.assert_array_equal(S, np.array([0.0, 0.0, 0.5, 1.0, 1.0], dtype=np.float32))


def test_tanh_saturates_exactly(no_float_trouble):
    with no_float_trouble():
        np.testing.assert_array_equal(tanh(np.array([-1e4, 1e4])), [-1.0, 1.0])
        np.testing.assert_array_equal(tanh_grad(np.array([-1e4, 1e4])), [0.0, 0.0])


# --- dtype and shape -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activation_keeps_shape_and_dtype(name, dtype):
    f, f_grad = get_activation(name)
    Z = np.random.default_rng(3).normal(size=(4, 3)).astype(dtype)
    for out in (f(Z), f_grad(Z)):
        assert out.shape == Z.shape and out.dtype == dtype


def test_sigmoid_grad_equals_sigma_times_one_minus_sigma():
    Z = np.linspace(-5, 5, 11)
    S = 1 / (1 + np.exp(-Z))                 # the textbook formula, safe for |z| <= 5
    np.testing.assert_allclose(sigmoid_grad(Z), S * (1 - S), rtol=1e-13)


# --- lookup by name ------------------------------------------------------------------------------

def test_get_activation_returns_the_pair():
    assert get_activation("relu") == (relu, relu_grad)
    assert get_activation("sigmoid") == (sigmoid, sigmoid_grad)
    assert get_activation("tanh") == (tanh, tanh_grad)
    assert get_activation("identity") == (identity, identity_grad)
    assert get_activation("ReLU") == (relu, relu_grad)        # names are case-insensitive
    assert sorted(ACTIVATIONS) == sorted(NAMES)


def test_unknown_activation_lists_the_known_ones():
    with pytest.raises(ValueError, match="unknown activation 'softplus'") as info:
        get_activation("softplus")
    for name in NAMES:
        assert name in str(info.value)


@pytest.mark.parametrize("bad", [None, 3, relu])
def test_activation_name_must_be_a_string(bad):
    with pytest.raises(TypeError, match="activation must be a name"):
        get_activation(bad)


# --- σ' from the output H = σ(Z) ------------------------------------------------------------------

def test_grads_from_output_by_hand():
    # H = 3/4 (= σ(ln 3)): σ' = 3/4 · 1/4; H = 0.6 (= tanh(ln 2)): tanh' = 1 − 0.36; ReLU: 1 where H > 0.
    from layerwise.activations import (identity_grad_from_output, relu_grad_from_output, sigmoid_grad_from_output,
                                       tanh_grad_from_output)
    np.testing.assert_allclose(sigmoid_grad_from_output(np.array([0.5, 0.75])), [0.25, 3 / 16], rtol=1e-15)
    np.testing.assert_allclose(tanh_grad_from_output(np.array([0.0, 0.6])), [1.0, 0.64], rtol=1e-15)
    np.testing.assert_array_equal(relu_grad_from_output(np.array([0.0, 0.0, 2.5])), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(identity_grad_from_output(np.array([-3.0, 0.0])), [1.0, 1.0])


@pytest.mark.parametrize("name", NAMES)
def test_grad_from_output_equals_grad_of_the_input(name):
    """σ'(Z) computed from H = σ(Z) is the same number, bit for bit, on both sides of the kink and in saturation."""
    f, f_grad = get_activation(name)
    Z = np.concatenate([np.linspace(-30, 30, 601), [0.0, -1e-300, 1e-300, -1e4, 1e4]])
    np.testing.assert_array_equal(get_grad_from_output(name)(f(Z)), f_grad(Z))


def test_grad_from_output_lookup_rejects_unknown_names():
    with pytest.raises(ValueError, match="unknown activation 'gelu'; known activations: identity, relu, sigmoid, tanh"):
        get_grad_from_output("gelu")
    assert get_grad_from_output("ReLU") is get_grad_from_output("relu")
