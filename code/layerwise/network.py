"""Forward propagation through L layers and backpropagation back down (book: chapters/forward_propagation,
chapters/backpropagation).

Z^(l) = H^(l-1) W^(l) + b^(l),  H^(l) = σ(Z^(l)),  H^(0) = X,  O = Z^(L)  (no σ on the last layer).
"""

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, inputs_are_checked
from .activations import get_activation
from .layers import linear_backward, linear_forward


class LayerCache(NamedTuple):
    """What backward needs of layer l: the linear cache (H^(l-1), W^(l)), Z^(l) and σ's name.

    For the last layer `Z` and `activation` are None: O = Z^(L) has no activation.
    """
    linear: tuple
    Z: np.ndarray | None
    activation: str | None


def check_params(params):
    """Raise unless params is a non-empty list of (W, b) pairs whose shapes chain and dtypes agree."""
    if inputs_are_checked():
        return
    if not isinstance(params, (list, tuple)) or len(params) == 0:
        raise TypeError(f"params must be a non-empty list of (W, b) pairs, got {type(params).__name__}")
    dtype = None
    for l, pair in enumerate(params, start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise TypeError(f"params[{l - 1}] must be a (W, b) pair, got {type(pair).__name__}")
        W, b = pair
        if not isinstance(W, np.ndarray) or not isinstance(b, np.ndarray) or W.ndim != 2 or b.ndim != 1:
            raise ValueError(f"layer {l}: expected W (fan_in, fan_out) and b (fan_out,) arrays")
        if b.shape[0] != W.shape[1]:
            raise ValueError(f"layer {l}: b has shape {b.shape} but W has {W.shape[1]} outputs")
        if l > 1 and W.shape[0] != params[l - 2][0].shape[1]:
            raise ValueError(
                f"layer {l}: W expects {W.shape[0]} inputs but layer {l - 1} has {params[l - 2][0].shape[1]} outputs"
            )
        if W.dtype.kind != "f" or b.dtype != W.dtype or (dtype is not None and W.dtype != dtype):
            raise TypeError(f"layer {l}: W and b must share one floating dtype, got {W.dtype} and {b.dtype}")
        dtype = W.dtype


def _network_input(params, X):
    check_params(params)
    W1 = params[0][0]
    X = as_float_array(X, "X", dtype=W1.dtype)
    if X.shape[1] != W1.shape[0]:
        raise ValueError(f"X has {X.shape[1]} columns but the network expects {W1.shape[0]} inputs")
    return X


def forward(params, X, activation="relu"):
    """Forward propagation, keeping every layer's values for backward.

    params [(W, b), ...], X: (n, d) -> O: (n, p) logits and caches (one LayerCache per layer).
    X is cast to the parameters' dtype. Raises ValueError for NaN/inf in X or mismatched shapes.
    """
    f, _ = get_activation(activation)
    H = _network_input(params, X)
    caches = []
    L = len(params)
    for l, (W, b) in enumerate(params, start=1):
        Z, linear_cache = linear_forward(H, W, b)              # Z^(l) = H^(l-1) W^(l) + b^(l)
        if l == L:
            caches.append(LayerCache(linear_cache, None, None))
            return Z, caches                                   # O = Z^(L)
        H = f(Z)                                               # H^(l) = σ(Z^(l))
        caches.append(LayerCache(linear_cache, Z, activation))


def forward_inference(params, X, activation="relu"):
    """O = Z^(L) computed like `forward`, but each layer's values are dropped once the next exists.

    params, X: (n, d) -> O: (n, p). Keeps no caches: the memory of inference (the note's claim 9).
    """
    f, _ = get_activation(activation)
    H = _network_input(params, X)
    for W, b in params[:-1]:
        H = f(H @ W + b)
    W, b = params[-1]
    return H @ W + b


def backward(dO, caches, on_layer=None):
    """Backpropagation: gradients of every layer, from the top layer L down to layer 1.

    dO: (n, p) = ∂loss/∂O, caches from `forward` -> [(dW, db), ...] aligned with params.
    `on_layer(l, dZ, dW, db)`, when given, is called as each layer's gradients are computed
    (in the order L, L-1, ..., 1), e.g. to record gradient statistics.
    """
    grads = [None] * len(caches)
    dH = dO
    for l in range(len(caches), 0, -1):
        cache = caches[l - 1]
        if cache.Z is None:
            dZ = dH                                            # O = Z^(L): dZ^(L) = dO
        else:
            _, f_grad = get_activation(cache.activation)
            dZ = f_grad(cache.Z)                               # σ'(Z^(l)), a new array, so
            dZ *= dH                                           # dZ^(l) = dH^(l) ⊙ σ'(Z^(l)) in place
            del dH                                             # used up: one array fewer alive
        dH, dW, db = linear_backward(dZ, cache.linear, need_dH=l > 1)  # dH^(l-1) = dZ Wᵀ, dW = Hᵀ dZ, db = Σ dZ
        grads[l - 1] = (dW, db)
        if on_layer is not None:
            on_layer(l, dZ, dW, db)
        del dZ                                                 # used up too, before the next σ'(Z) is made
    return grads
