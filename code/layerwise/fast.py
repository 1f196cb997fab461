"""`train_preallocated`: the same minibatch SGD as `layerwise.train`, with buffers allocated once.

`layerwise.train` is written to be read beside the equations: every step calls forward, backward and
sgd_step, which allocate fresh arrays for Z, H, dZ, dW and the update. This module does the same
arithmetic, in the same order, on the same minibatches, into arrays made once per training run (matmul
`out=`, in-place bias, ReLU mask and update). Both check the inputs once per run.
The results equal `train`'s bit for bit (tests/test_fast.py); only the time differs
(benchmarks/training.py, chapters/performance).
"""

import numpy as np

from ._checks import check_rng, inputs_checked
from .activations import get_activation
from .losses import softmax_cross_entropy
from .training import History, _end_epoch, _stop, _training_inputs, iterate_minibatches, params_finite


class _Buffers:
    """Arrays for one batch of up to `n` rows, reused by every step: the batch, Z^(l), H^(l), the gradients.

    For ReLU, H^(l) overwrites Z^(l) (ReLU'(Z) is read off H > 0, which is Z > 0), and dH^(l) overwrites
    H^(l) once dW^(l+1) = H^(l)ᵀ dZ^(l+1) has used it: backward needs no array of its own per layer.
    """

    def __init__(self, params, n, is_relu):
        dtype = params[0][0].dtype
        widths = [W.shape[1] for W, _ in params]
        self.X = np.empty((n, params[0][0].shape[0]), dtype)
        self.Z = [np.empty((n, h), dtype) for h in widths]               # Z^(l); Z^(L) is O
        self.H = self.Z[:-1] if is_relu else [np.empty((n, h), dtype) for h in widths[:-1]]
        self.mask = [np.empty((n, h), bool) for h in widths[:-1]] if is_relu else None
        self.dW = [np.empty_like(W) for W, _ in params]
        self.db = [np.empty_like(b) for _, b in params]


def _forward(params, buf, m, f, is_relu):
    """O = Z^(L) for the first m rows of buf.X, filling buf.Z and buf.H (the caches of `forward`)."""
    H = buf.X[:m]
    L = len(params)
    for l, (W, b) in enumerate(params, start=1):
        Z = np.matmul(H, W, out=buf.Z[l - 1][:m])
        Z += b                                                  # Z^(l) = H^(l-1) W^(l) + b^(l)
        if l == L:
            return Z
        H = buf.H[l - 1][:m]
        if is_relu:
            np.maximum(Z, 0, out=H)                             # in place: H is Z's buffer
        else:
            H[...] = f(Z)
    return H


def _backward(params, buf, m, dO, f_grad, is_relu):
    """Fill buf.dW, buf.db with the gradients of every layer, from L down to 1, like `backward`."""
    dZ = dO
    for l in range(len(params), 0, -1):
        W = params[l - 1][0]
        H_prev = buf.X[:m] if l == 1 else buf.H[l - 2][:m]
        np.matmul(H_prev.T, dZ, out=buf.dW[l - 1])              # dW = Hᵀ dZ
        np.sum(dZ, axis=0, out=buf.db[l - 1])                   # db = Σ_rows dZ
        if l == 1:
            break
        if is_relu:
            grad = np.greater(H_prev, 0, out=buf.mask[l - 2][:m])   # ReLU'(Z) > 0 exactly where H > 0
        else:
            grad = f_grad(buf.Z[l - 2][:m])
        dH = np.matmul(dZ, W.T, out=H_prev)                     # dH^(l-1) = dZ Wᵀ, over H^(l-1): used up
        # dZ = dH ⊙ σ'(Z); for ReLU, multiplying by the boolean mask is multiplying by 1.0 or 0.0.
        dZ = np.multiply(dH, grad, out=dH)


def train_preallocated(params, X, y, *, rng, activation="relu", lr=0.1, epochs=10, batch_size=32,
                       X_val=None, y_val=None, callback=None, progress=False):
    """`layerwise.train` with buffers allocated once: same arguments, same History, same parameters.

    X: (n, d), y: (n,) labels in [0, p). params [(W, b), ...] are updated in place. Stops early with
    history.diverged set, exactly where `train` stops, when the loss or a parameter stops being finite.
    """
    check_rng(rng)
    X, y, X_val, y_val, epochs, batch_size = _training_inputs(
        params, X, y, lr, epochs, batch_size, X_val, y_val)
    n = X.shape[0]
    f, f_grad = get_activation(activation)
    is_relu = f_grad is get_activation("relu")[1]
    buf = _Buffers(params, min(batch_size, n), is_relu)
    history = History()
    for epoch in range(1, epochs + 1):
        total_loss, correct = 0.0, 0
        with np.errstate(over="ignore", invalid="ignore"), inputs_checked():     # as in train
            for idx in iterate_minibatches(n, batch_size, rng):
                m = len(idx)
                np.take(X, idx, axis=0, out=buf.X[:m])
                O = _forward(params, buf, m, f, is_relu)
                loss, dO = softmax_cross_entropy(O, y[idx])             # NaN or inf when diverging, as in train
                if not np.isfinite(loss):
                    return _stop(history, f"loss became {loss}", epoch, lr, progress)
                _backward(params, buf, m, dO, f_grad, is_relu)
                for (W, b), dW, db in zip(params, buf.dW, buf.db):
                    W -= np.multiply(dW, lr, out=dW)           # W ← W − lr·dW, as sgd_step
                    b -= np.multiply(db, lr, out=db)
                total_loss += loss * m
                correct += np.count_nonzero(O.argmax(axis=1) == y[idx])
        if not params_finite(params):                          # once per epoch, as in train
            return _stop(history, "parameters became inf or NaN", epoch, lr, progress)
        _end_epoch(history, params, epoch, epochs, total_loss / n, correct / n, activation,
                   X_val, y_val, callback, progress)
    return history
