"""How much memory backpropagation keeps: predicted from shapes and counted from caches (book:
chapters/backpropagation_cost, the note's claim 9)."""

import numpy as np

from ._checks import as_count


def predicted_cache_bytes(sizes, n, dtype=np.float64):
    """Bytes of the values `forward` allocates and keeps for backward: Z^(l) and H^(l) of every
    hidden layer, n × h_l numbers each, i.e. itemsize · n · 2 Σ_{l<L} h_l.

    sizes: [d, h_1, ..., p], n: batch size. The input X (owned by the caller), the parameters
    and the output O are not counted.
    """
    sizes = [as_count(k, "layer width") for k in sizes]
    n = as_count(n, "n")
    return np.dtype(dtype).itemsize * n * 2 * sum(sizes[1:-1])


def minimum_cache_bytes(sizes, n, dtype=np.float64):
    """Bytes of the least that backpropagation must keep for sigmoid, tanh, ReLU or the identity:
    H^(l) of every hidden layer, itemsize · n · Σ_{l<L} h_l, half of `predicted_cache_bytes`.

    σ'(Z^(l)) is a function of H^(l) for these σ (activations.GRADS_FROM_OUTPUT), and dW^(l+1)
    needs H^(l) anyway, so Z^(l) need not be kept; `layerwise.h_only` keeps exactly this.
    sizes: [d, h_1, ..., p], n: batch size; X, the parameters and O are not counted.
    """
    sizes = [as_count(k, "layer width") for k in sizes]
    n = as_count(n, "n")
    return np.dtype(dtype).itemsize * n * sum(sizes[1:-1])


def cache_nbytes(caches, include_input=False):
    """Bytes of the distinct activation arrays (each H^(l-1) and Z^(l)) that `caches` hold.

    Parameters W are references to `params`, not activations, and are not counted; the input
    X = H^(0) is counted only with include_input=True. Arrays held twice are counted once.
    """
    seen = {}
    for l, cache in enumerate(caches, start=1):
        H_prev = cache.linear[0]
        if l > 1 or include_input:
            seen[id(H_prev)] = H_prev.nbytes
        if cache.Z is not None:
            seen[id(cache.Z)] = cache.Z.nbytes
    return sum(seen.values())
