"""Softmax cross-entropy: the loss the note leaves unnamed (book: chapters/softmax, chapters/backpropagation)."""

import numpy as np

from ._checks import as_labels
from .softmax import log_softmax


def softmax_cross_entropy(O, y):
    """Mean cross-entropy of softmax(O) against labels y, and its gradient with respect to O.

    O: (n, p) logits, y: (n,) integer labels in [0, p) -> (loss: float, dO: (n, p)),
    loss = −(1/n) Σ_i log softmax(O)_{i, y_i} and dO = (softmax(O) − one_hot(y)) / n.
    dO keeps the dtype of O. Raises ValueError/TypeError for bad shapes or labels.
    """
    logP = log_softmax(O)           # checks O: finite (n, p) logits
    n, p = logP.shape
    y = as_labels(y, n=n, p=p)
    rows = np.arange(n)
    loss = -logP[rows, y].sum() / n
    dO = np.exp(logP)               # softmax(O), from the stable log
    dO[rows, y] -= 1                # − one_hot(y), without building a float64 one-hot matrix
    dO /= n
    return float(loss), dO
