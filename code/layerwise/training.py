"""Minibatch stochastic gradient descent (book: chapters/training_digits)."""

from dataclasses import dataclass, field

import numpy as np

from ._checks import as_count, as_labels, as_positive, check_rng
from .losses import softmax_cross_entropy
from .network import _network_input, backward, forward, forward_inference


def sgd_step(params, grads, lr):
    """W ← W − lr·dW and b ← b − lr·db for every layer, in place. Returns params."""
    lr = as_positive(lr, "lr (learning rate)")
    if len(grads) != len(params):
        raise ValueError(f"got gradients for {len(grads)} layers but params has {len(params)}")
    # Checked before any update: in-place subtraction would broadcast a gradient of the wrong
    # shape into every row of W, and a failure half-way would leave params half updated.
    for l, ((W, b), (dW, db)) in enumerate(zip(params, grads), start=1):
        if np.shape(dW) != W.shape or np.shape(db) != b.shape:
            raise ValueError(f"layer {l}: gradients of shapes {np.shape(dW)} and {np.shape(db)} do not match "
                             f"W {W.shape} and b {b.shape}")
    for (W, b), (dW, db) in zip(params, grads):
        W -= lr * dW
        b -= lr * db
    return params


def iterate_minibatches(n, batch_size, rng):
    """Yield index arrays that cover range(n) once in a random order, batch_size at a time."""
    check_rng(rng)
    n, batch_size = as_count(n, "n"), as_count(batch_size, "batch_size")
    order = rng.permutation(n)
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]


def evaluate(params, X, y, activation="relu"):
    """(mean cross-entropy, accuracy) of the network on X: (n, d), y: (n,), without keeping caches."""
    O = forward_inference(params, X, activation)
    loss, _ = softmax_cross_entropy(O, y)
    return loss, float((O.argmax(axis=1) == y).mean())


@dataclass
class History:
    """Per-epoch record of training. loss and accuracy are means over the epoch's minibatches."""
    epoch: list = field(default_factory=list)
    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    diverged: bool = False
    message: str = ""


def train(params, X, y, *, rng, activation="relu", lr=0.1, epochs=10, batch_size=32,
          X_val=None, y_val=None, callback=None, progress=False):
    """Train params in place by minibatch SGD on softmax cross-entropy; return a History.

    X: (n, d), y: (n,) labels in [0, p). Minibatches are drawn from `rng`. After each epoch
    `callback(epoch, history)` is called if given; with `progress=True` about ten lines of
    progress are printed. Training stops early, with history.diverged set and a message,
    when the loss becomes NaN or inf.
    """
    check_rng(rng)
    X = _network_input(params, X)
    n = X.shape[0]
    p = params[-1][0].shape[1]
    y = as_labels(y, n=n, p=p)
    epochs = as_count(epochs, "epochs")
    batch_size = as_count(batch_size, "batch_size")
    # Checked now rather than after the first epoch, with names the caller recognises.
    if (X_val is None) != (y_val is None):
        raise ValueError("X_val and y_val must be given together (validation inputs and their labels)")
    if X_val is not None:
        X_val = _network_input(params, X_val)
        y_val = as_labels(y_val, n=X_val.shape[0], p=p, name="y_val")
    history = History()
    every = max(1, epochs // 10)
    for epoch in range(1, epochs + 1):
        total_loss, correct = 0.0, 0
        for idx in iterate_minibatches(n, batch_size, rng):
            # Overflow while diverging is detected and reported below (history.diverged), so
            # numpy's overflow/invalid warnings would only repeat it, and fail warning-free builds.
            with np.errstate(over="ignore", invalid="ignore"):
                O, caches = forward(params, X[idx], activation)
                # softmax_cross_entropy rejects inf/NaN logits, which here mean divergence.
                loss, dO = softmax_cross_entropy(O, y[idx]) if np.isfinite(O).all() else (np.nan, None)
                if np.isfinite(loss):
                    sgd_step(params, backward(dO, caches), lr)
            finite_params = all(np.isfinite(W).all() and np.isfinite(b).all() for W, b in params)
            if not np.isfinite(loss) or not finite_params:
                what = f"loss became {loss}" if not np.isfinite(loss) else "parameters became inf or NaN"
                history.diverged = True
                history.message = (f"{what} in epoch {epoch}: the learning rate "
                                   f"{lr} is too large (training diverged)")
                if progress:
                    print(history.message)
                return history
            total_loss += loss * len(idx)
            correct += int((O.argmax(axis=1) == y[idx]).sum())
        history.epoch.append(epoch)
        history.loss.append(total_loss / n)
        history.accuracy.append(correct / n)
        if X_val is not None:
            val_loss, val_acc = evaluate(params, X_val, y_val, activation)
            history.val_loss.append(val_loss)
            history.val_accuracy.append(val_acc)
        if callback is not None:
            callback(epoch, history)
        if progress and (epoch % every == 0 or epoch == epochs):
            line = f"epoch {epoch:>{len(str(epochs))}}/{epochs}  loss {history.loss[-1]:.4f}  accuracy {history.accuracy[-1]:.3f}"
            if history.val_accuracy:
                line += f"  val accuracy {history.val_accuracy[-1]:.3f}"
            print(line, flush=True)
    return history
