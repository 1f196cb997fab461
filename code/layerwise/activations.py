"""Activation functions σ and their derivatives σ'(Z), looked up by name (book: chapters/activations).

Each `*_grad(Z)` is the element-wise derivative evaluated at the pre-activation `Z`, so that
backpropagation computes `dZ = dH * σ'(Z)` (chapters/backpropagation). All functions keep the
shape and the floating dtype of `Z`.
"""

import numpy as np


def sigmoid(Z):
    """σ(z) = 1 / (1 + exp(-z)), element-wise; never overflows, even for |z| = 1e4."""
    Z = np.asarray(Z)
    e = np.exp(-np.abs(Z))          # in (0, 1]: exp never sees a large positive argument
    return np.where(Z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(Z):
    """σ'(z) = σ(z) (1 − σ(z))."""
    S = sigmoid(Z)
    return S * (1 - S)


def tanh(Z):
    """tanh(z) = (e^z − e^−z) / (e^z + e^−z), element-wise."""
    return np.tanh(Z)


def tanh_grad(Z):
    """tanh'(z) = 1 − tanh(z)²."""
    T = np.tanh(Z)
    return 1 - T * T


def relu(Z):
    """ReLU(z) = max(z, 0), element-wise."""
    return np.maximum(Z, 0)


def relu_grad(Z):
    """ReLU'(z) = 1 for z > 0 and 0 for z <= 0 (the value 0 is chosen at the kink z = 0)."""
    Z = np.asarray(Z)
    return (Z > 0).astype(Z.dtype if Z.dtype.kind == "f" else np.float64)


def identity(Z):
    """The identity map: a "network" with it is a linear model (the note's claim 4)."""
    return np.asarray(Z)


def identity_grad(Z):
    """identity'(z) = 1."""
    Z = np.asarray(Z)
    return np.ones_like(Z, dtype=Z.dtype if Z.dtype.kind == "f" else np.float64)


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "identity": (identity, identity_grad),
}


def get_activation(name):
    """Return `(f, f_grad)` for an activation name; raise ValueError listing the known names."""
    if not isinstance(name, str):
        raise TypeError(f"activation must be a name (str), got {type(name).__name__} {name!r}")
    try:
        return ACTIVATIONS[name.lower()]
    except KeyError:
        known = ", ".join(sorted(ACTIVATIONS))
        raise ValueError(f"unknown activation {name!r}; known activations: {known}") from None
