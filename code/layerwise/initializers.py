"""Initial weights for a stack of linear layers (book: chapters/forward_propagation)."""

import numpy as np

from ._checks import as_count, as_positive, check_rng


def _he_std(fan_in, fan_out, scale):
    return np.sqrt(2.0 / fan_in)


def _xavier_std(fan_in, fan_out, scale):
    return np.sqrt(2.0 / (fan_in + fan_out))


def _normal_std(fan_in, fan_out, scale):
    return scale


INITS = {"he": _he_std, "xavier": _xavier_std, "normal": _normal_std}


def init_params(sizes, rng, init="he", dtype=np.float64, scale=0.01):
    """Weights W ~ N(0, std²) and zero biases for layer sizes [d, h_1, ..., p].

    Returns [(W, b), ...] with W^(l): (sizes[l-1], sizes[l]) and b^(l): (sizes[l],), in `dtype`.
    std is sqrt(2/fan_in) for "he", sqrt(2/(fan_in+fan_out)) for "xavier" (Glorot), and
    `scale` for "normal". Raises ValueError for unknown init names or widths < 1.
    """
    check_rng(rng)
    if not isinstance(init, str) or init.lower() not in INITS:
        raise ValueError(f"unknown init {init!r}; known inits: {', '.join(sorted(INITS))}")
    try:
        sizes = list(sizes)
    except TypeError:
        raise TypeError(f"sizes must be a list of layer widths [d, h_1, ..., p], got {type(sizes).__name__} {sizes!r}") from None
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least [d, p] (input and output widths), got {sizes}")
    sizes = [as_count(k, f"sizes[{i}] (layer width)") for i, k in enumerate(sizes)]
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"dtype must be a floating type such as np.float64 or np.float32, got {dtype}")
    scale = as_positive(scale, "scale")
    std_of = INITS[init.lower()]
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        W = rng.normal(0.0, std_of(fan_in, fan_out, scale), size=(fan_in, fan_out)).astype(dtype)
        b = np.zeros(fan_out, dtype=dtype)
        params.append((W, b))
    return params
