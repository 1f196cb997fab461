"""Backpropagation that keeps only each hidden layer's output H^(l), not Z^(l) (book: chapters/backpropagation_cost,
the memory of the note's claim 9).

`forward` keeps Z^(l) and H^(l) of every hidden layer: 2 Σ h_l numbers per example. For sigmoid,
tanh, ReLU and the identity, σ'(Z) is a function of H = σ(Z) (H(1 − H), 1 − H², 1[H > 0], 1), and
dW^(l+1) = H^(l)ᵀ dZ^(l+1) needs H^(l) anyway: H alone, Σ h_l numbers per example, is enough. This
is what deep-learning frameworks keep for these activations. The gradients are the very numbers
`backward` computes, bit for bit (tests/test_h_only.py).
"""

from typing import NamedTuple

from ._checks import as_float_array
from .activations import get_activation, get_grad_from_output
from .layers import linear_backward
from .network import _network_input, check_params


class KeptOutputs(NamedTuple):
    """What `forward_h_only` keeps: H = [H^(0) = X, H^(1), ..., H^(L-1)] (each (n, h_l)) and σ's name."""
    H: list
    activation: str


def forward_h_only(params, X, activation="relu"):
    """Forward propagation that keeps each layer's input H^(l-1) and drops Z^(l) once H^(l) exists.

    params [(W, b), ...], X: (n, d) -> (O: (n, p), KeptOutputs). The hidden values kept take
    itemsize · n · Σ_{l<L} h_l bytes (`memory.minimum_cache_bytes`); X belongs to the caller.
    Raises ValueError/TypeError like `forward`.
    """
    f, _ = get_activation(activation)
    get_grad_from_output(activation)
    H = _network_input(params, X)
    kept = [H]
    for W, b in params[:-1]:
        H = f(H @ W + b)                         # Z^(l) = H^(l-1) W^(l) + b^(l) is not kept
        kept.append(H)
    W, b = params[-1]
    return H @ W + b, KeptOutputs(kept, activation)    # O = Z^(L)


def backward_h_only(dO, kept, params, on_layer=None):
    """Backpropagation from `forward_h_only`'s KeptOutputs: the same [(dW, db), ...] as `backward`.

    dO: (n, p) = ∂loss/∂O, params: the [(W, b), ...] of the forward pass. For l = L, ..., 1:
    dW^(l) = H^(l-1)ᵀ dZ^(l), db^(l) = Σ_rows dZ^(l), and for l > 1
    dZ^(l-1) = (dZ^(l) W^(l)ᵀ) ⊙ σ'(Z^(l-1)), with σ'(Z^(l-1)) computed from H^(l-1).
    `on_layer(l, dZ, dW, db)` is called in the order L, ..., 1, as in `backward`.
    """
    check_params(params)
    if len(kept.H) != len(params):
        raise ValueError(f"kept holds the inputs of {len(kept.H)} layers but params has {len(params)}")
    grad_from_output = get_grad_from_output(kept.activation)
    grads = [None] * len(params)
    dZ = as_float_array(dO, "dO", finite=False)                        # dZ^(L) = dO
    for l in range(len(params), 0, -1):
        H_prev = kept.H[l - 1]
        dH, dW, db = linear_backward(dZ, (H_prev, params[l - 1][0]), need_dH=l > 1)
        grads[l - 1] = (dW, db)
        if on_layer is not None:
            on_layer(l, dZ, dW, db)
        if l > 1:
            dZ = grad_from_output(H_prev)                              # σ'(Z^(l-1)), read off H^(l-1)
            dZ *= dH                                                   # dZ^(l-1) = dH^(l-1) ⊙ σ'(Z^(l-1))
    return grads
