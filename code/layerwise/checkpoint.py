"""Gradient checkpointing: keep every k-th layer's input, recompute the rest during backward (book:
chapters/backpropagation_cost, the memory trade-off of the note's claim 9).

Plain `forward` keeps Z^(l) and H^(l) of every hidden layer for `backward`. Here the layers are cut
into segments of `every` = k layers starting at l = 1, 1+k, 1+2k, ...; only each segment's input
H^(l-1) is kept. Backward walks the segments from the top, re-runs `forward` on one segment to
rebuild its caches, and hands them to the ordinary `backward`: the gradients are the same numbers,
computed with less memory and one extra forward pass.
"""

from typing import NamedTuple

import numpy as np

from ._checks import as_count, as_float_array
from .activations import get_activation
from .network import _network_input, backward, check_params, forward, forward_inference


class Checkpoints(NamedTuple):
    """What `forward_checkpointed` keeps: the input H^(s-1) of each segment that starts at layer s.

    starts: [1, 1+k, 1+2k, ...] (1-based layer indices), inputs: the matching H^(s-1) arrays
    (inputs[0] is X), activation: σ's name, every: k.
    """
    starts: list
    inputs: list
    activation: str
    every: int


def segment_starts(L, every):
    """First layers of the segments of `every` layers: [1, 1+k, 1+2k, ...] for layers 1..L."""
    L, every = as_count(L, "L"), as_count(every, "every")
    return list(range(1, L + 1, every))


def forward_checkpointed(params, X, activation="relu", every=1):
    """Forward propagation that keeps only every `every`-th layer's input.

    params [(W, b), ...], X: (n, d) -> (O: (n, p), Checkpoints). Each segment is computed with
    `forward_inference`, so between checkpoints no layer's values are kept.
    """
    f, _ = get_activation(activation)
    H = _network_input(params, X)
    L = len(params)
    starts = segment_starts(L, every)
    inputs = []
    for s, end in zip(starts, starts[1:] + [L + 1]):
        inputs.append(H)
        Z = forward_inference(params[s - 1:end - 1], H, activation)   # Z of the segment's top layer
        if end <= L:
            H = f(Z)                                                   # H^(end-1), the next checkpoint
    return Z, Checkpoints(starts, inputs, activation, every)           # O = Z^(L)


def backward_checkpointed(dO, checkpoints, params, on_layer=None):
    """Backpropagation from checkpoints: the same [(dW, db), ...] as `backward(dO, caches)`.

    dO: (n, p) = ∂loss/∂O, checkpoints from `forward_checkpointed` on the same params.
    For each segment, top one first, `forward` rebuilds its caches from the stored input and
    `backward` computes its gradients; `on_layer(l, dZ, dW, db)` sees l = L, ..., 1 as in `backward`.
    """
    check_params(params)
    L = len(params)
    if checkpoints.starts != segment_starts(L, checkpoints.every):
        raise ValueError(f"checkpoints were made for another network (starts {checkpoints.starts}, L = {L})")
    grads = [None] * L
    dH = as_float_array(dO, "dO", finite=False)
    for s, H_in in reversed(list(zip(checkpoints.starts, checkpoints.inputs))):
        end = min(s - 1 + checkpoints.every, L)                        # the segment is layers s..end
        top, caches = forward(params[s - 1:end], H_in, checkpoints.activation)
        if end < L:
            # The segment's top layer is hidden: its output passed through σ, so backward must
            # apply σ'(Z) there, which it does when the cache holds Z and the activation's name.
            caches[-1] = caches[-1]._replace(Z=top, activation=checkpoints.activation)
        first = {}

        def record(l, dZ, dW, db, s=s, first=first):
            if l == 1:
                first["dZ"] = dZ                                       # dZ^(s), to continue below s
            if on_layer is not None:
                on_layer(s - 1 + l, dZ, dW, db)

        grads[s - 1:end] = backward(dH, caches, on_layer=record)
        if s > 1:
            dH = first["dZ"] @ params[s - 1][0].T                      # dH^(s-1) = dZ^(s) W^(s)ᵀ
        del top, caches, first    # free this segment before the next one is recomputed
    return grads


def checkpoint_nbytes(checkpoints):
    """Bytes of the stored segment inputs, X = inputs[0] excluded (it belongs to the caller)."""
    return sum(H.nbytes for H in checkpoints.inputs[1:])


def predicted_checkpoint_bytes(sizes, n, every, dtype=np.float64):
    """Bytes `forward_checkpointed` keeps: itemsize · n · Σ h_{s-1} over the segment starts s > 1.

    sizes: [d, h_1, ..., p], n: batch size, every: k. Compare `memory.predicted_cache_bytes`,
    itemsize · n · 2 Σ_{l<L} h_l for plain `forward`.
    """
    sizes = [as_count(h, "layer width") for h in sizes]
    n = as_count(n, "n")
    starts = segment_starts(len(sizes) - 1, every)
    return np.dtype(dtype).itemsize * n * sum(sizes[s - 1] for s in starts[1:])
