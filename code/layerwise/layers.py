"""The linear (affine) layer Z = H W + b and its backward pass (book: chapters/linear_model, chapters/backpropagation)."""

from ._checks import as_float_array


def _check_linear_shapes(H, W, b):
    if W.shape[0] != H.shape[1]:
        raise ValueError(
            f"H has {H.shape[1]} columns but W expects {W.shape[0]} inputs (W.shape = {W.shape})"
        )
    if b.shape != (W.shape[1],):
        raise ValueError(f"b must have shape ({W.shape[1]},) to match W {W.shape}, got {b.shape}")
    if b.dtype != W.dtype:
        raise TypeError(f"W and b must share one floating dtype, got {W.dtype} and {b.dtype}")


def linear_forward(H, W, b):
    """Z = H W + b, the bias row added to every row of H W.

    H: (n, fan_in), W: (fan_in, fan_out), b: (fan_out,) -> Z: (n, fan_out), cache (H, W).
    Z has the dtype of H @ W. Raises ValueError when the shapes do not fit (nothing is broadcast
    into a wrong shape) and TypeError when W and b differ in dtype.
    """
    H = as_float_array(H, "H", finite=False)
    W = as_float_array(W, "W", finite=False, layout="fan_in, fan_out")
    b = as_float_array(b, "b", ndim=1, finite=False)
    _check_linear_shapes(H, W, b)
    Z = H @ W
    Z += b                      # the bias row added in place: no second (n, fan_out) array
    return Z, (H, W)


def linear_backward(dZ, cache, need_dH=True):
    """Gradients of the loss through Z = H W + b, given dZ = ∂loss/∂Z.

    dZ: (n, fan_out), cache (H, W) from linear_forward -> (dH: (n, fan_in), dW: (fan_in, fan_out),
    db: (fan_out,)), with dH = dZ Wᵀ, dW = Hᵀ dZ, db = Σ_rows dZ. dZ is not modified.
    With need_dH=False, dH is None (the first layer's input X needs no gradient).
    """
    H, W = cache
    dZ = as_float_array(dZ, "dZ", finite=False)
    if dZ.shape != (H.shape[0], W.shape[1]):
        raise ValueError(f"dZ must have shape {(H.shape[0], W.shape[1])} (n, fan_out), got {dZ.shape}")
    dH = dZ @ W.T if need_dH else None
    dW = H.T @ dZ
    db = dZ.sum(axis=0)
    return dH, dW, db
