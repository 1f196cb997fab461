"""Activation functions σ and their derivatives σ'(Z), looked up by name (book: chapters/activations).

Each `*_grad(Z)` is the element-wise derivative evaluated at the pre-activation `Z`, so that
backpropagation computes `dZ = dH * σ'(Z)` (chapters/backpropagation). Each `*_grad_from_output(H)`
is the same derivative written with the output H = σ(Z) instead, which lets backpropagation keep H
and drop Z (`layerwise.h_only`). All functions keep the shape and the floating dtype of their input.
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


def sigmoid_grad_from_output(H):
    """σ'(z) from H = σ(z): H (1 − H), the same numbers as sigmoid_grad(Z)."""
    H = np.asarray(H)
    return H * (1 - H)


def tanh(Z):
    """tanh(z) = (e^z − e^−z) / (e^z + e^−z), element-wise."""
    return np.tanh(Z)


def tanh_grad(Z):
    """tanh'(z) = 1 − tanh(z)²."""
    T = np.tanh(Z)
    return 1 - T * T


def tanh_grad_from_output(H):
    """tanh'(z) from H = tanh(z): 1 − H²."""
    H = np.asarray(H)
    return 1 - H * H


def relu(Z):
    """ReLU(z) = max(z, 0), element-wise."""
    return np.maximum(Z, 0)


def relu_grad(Z):
    """ReLU'(z) = 1 for z > 0 and 0 for z <= 0 (the value 0 is chosen at the kink z = 0)."""
    Z = np.asarray(Z)
    return (Z > 0).astype(Z.dtype if Z.dtype.kind == "f" else np.float64)


def relu_grad_from_output(H):
    """ReLU'(z) from H = ReLU(z): 1 where H > 0, else 0 (H > 0 exactly where z > 0, the kink included)."""
    H = np.asarray(H)
    return (H > 0).astype(H.dtype if H.dtype.kind == "f" else np.float64)


def identity(Z):
    """The identity map: a "network" with it is a linear model (the note's claim 4)."""
    return np.asarray(Z)


def identity_grad(Z):
    """identity'(z) = 1."""
    Z = np.asarray(Z)
    return np.ones_like(Z, dtype=Z.dtype if Z.dtype.kind == "f" else np.float64)


def identity_grad_from_output(H):
    """identity'(z) = 1, whatever H is."""
    return identity_grad(H)


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "identity": (identity, identity_grad),
}


# σ' as a function of σ's output: these four σ have one, so backward may keep H alone (h_only).
GRADS_FROM_OUTPUT = {
    "sigmoid": sigmoid_grad_from_output,
    "tanh": tanh_grad_from_output,
    "relu": relu_grad_from_output,
    "identity": identity_grad_from_output,
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


def get_grad_from_output(name):
    """Return σ' written as a function of H = σ(Z) for an activation name (see GRADS_FROM_OUTPUT)."""
    get_activation(name)                     # one place that rejects unknown names, with the list
    return GRADS_FROM_OUTPUT[name.lower()]
