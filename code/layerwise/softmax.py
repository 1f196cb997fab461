"""Softmax, its logarithm, one-hot vectors and argmax prediction (book: chapters/softmax)."""

import numpy as np

from ._checks import as_count, as_float_array, as_labels


def log_softmax(O):
    """log softmax(O) row by row, computed stably by subtracting each row's maximum.

    O: (n, p) logits -> (n, p). Finite for logits of any finite size (±1e4 included).
    """
    O = as_float_array(O, "O")
    shifted = O - O.max(axis=1, keepdims=True)      # largest entry of each row becomes 0
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax(O):
    """softmax(O)_ik = exp(o_ik) / Σ_j exp(o_ij), row by row. O: (n, p) -> P: (n, p), rows sum to 1."""
    O = as_float_array(O, "O")
    E = np.exp(O - O.max(axis=1, keepdims=True))    # every exponent <= 0: no overflow
    return E / E.sum(axis=1, keepdims=True)


def one_hot(y, p):
    """Y: (n, p) with Y[i, y[i]] = 1 and zeros elsewhere. y: (n,) integer labels in [0, p)."""
    p = as_count(p, "p (number of classes)")
    y = as_labels(y, p=p)
    Y = np.zeros((y.shape[0], p))
    Y[np.arange(y.shape[0]), y] = 1.0
    return Y


def predict(O):
    """Predicted class of each row: argmax of the logits O: (n, p) -> (n,).

    No softmax is needed: softmax is increasing, so it keeps the argmax (the note's claim 3).
    """
    O = as_float_array(O, "O", finite=False)
    return O.argmax(axis=1)
