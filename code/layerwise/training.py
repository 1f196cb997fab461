"""Minibatch stochastic gradient descent (book: chapters/training_digits)."""

from dataclasses import dataclass, field

import numpy as np

from ._checks import as_count, as_labels, as_positive, check_rng, inputs_are_checked, inputs_checked
from .losses import softmax_cross_entropy
from .network import _network_input, backward, forward, forward_inference


def check_gradients(params, grads):
    """Raise ValueError unless grads [(dW, db), ...] has one pair per layer, shaped like params' (W, b)."""
    if inputs_are_checked():
        return
    if len(grads) != len(params):
        raise ValueError(f"got gradients for {len(grads)} layers but params has {len(params)}")
    for l, ((W, b), (dW, db)) in enumerate(zip(params, grads), start=1):
        if np.shape(dW) != W.shape or np.shape(db) != b.shape:
            raise ValueError(f"layer {l}: gradients of shapes {np.shape(dW)} and {np.shape(db)} do not match "
                             f"W {W.shape} and b {b.shape}")


def sgd_step(params, grads, lr):
    """W ← W − lr·dW and b ← b − lr·db for every layer, in place. Returns params."""
    lr = as_positive(lr, "lr (learning rate)")
    # Checked before any update: in-place subtraction would broadcast a gradient of the wrong
    # shape into every row of W, and a failure half-way would leave params half updated.
    check_gradients(params, grads)
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


def _training_inputs(params, X, y, lr, epochs, batch_size, X_val, y_val):
    """Check train's arguments once, before any step; return X, y, X_val, y_val, epochs, batch_size."""
    X = _network_input(params, X)
    n = X.shape[0]
    p = params[-1][0].shape[1]
    y = as_labels(y, n=n, p=p)
    as_positive(lr, "lr (learning rate)")
    epochs = as_count(epochs, "epochs")
    batch_size = as_count(batch_size, "batch_size")
    # Checked now rather than after the first epoch, with names the caller recognises.
    if (X_val is None) != (y_val is None):
        raise ValueError("X_val and y_val must be given together (validation inputs and their labels)")
    if X_val is not None:
        X_val = _network_input(params, X_val)
        y_val = as_labels(y_val, n=X_val.shape[0], p=p, name="y_val")
    return X, y, X_val, y_val, epochs, batch_size


def params_finite(params):
    """True when no W or b of params holds NaN or inf."""
    # One sum per array, after every epoch of training: a sum is NaN or ±inf when an entry is, so a
    # finite total proves every entry finite. A non-finite total may also be finite entries near
    # the largest float overflowing, so that rare case is decided entry by entry.
    with np.errstate(over="ignore", invalid="ignore"):         # inf + -inf is the answer, not a fault
        if np.isfinite(sum(float(A.sum()) for W, b in params for A in (W, b))):
            return True
    return all(np.isfinite(A).all() for W, b in params for A in (W, b))


def _stop(history, what, epoch, lr, progress):
    history.diverged = True
    history.message = f"{what} in epoch {epoch}: the learning rate {lr} is too large (training diverged)"
    if progress:
        print(history.message)
    return history


def _end_epoch(history, params, epoch, epochs, mean_loss, accuracy, activation, X_val, y_val,
               callback, progress):
    """Record one epoch in history, evaluate on the validation data, call back, print progress."""
    history.epoch.append(epoch)
    history.loss.append(mean_loss)
    history.accuracy.append(accuracy)
    if X_val is not None:
        val_loss, val_acc = evaluate(params, X_val, y_val, activation)
        history.val_loss.append(val_loss)
        history.val_accuracy.append(val_acc)
    if callback is not None:
        callback(epoch, history)
    if progress and (epoch % max(1, epochs // 10) == 0 or epoch == epochs):
        line = f"epoch {epoch:>{len(str(epochs))}}/{epochs}  loss {mean_loss:.4f}  accuracy {accuracy:.3f}"
        if history.val_accuracy:
            line += f"  val accuracy {history.val_accuracy[-1]:.3f}"
        print(line, flush=True)


def train(params, X, y, *, rng, activation="relu", lr=0.1, epochs=10, batch_size=32,
          X_val=None, y_val=None, callback=None, progress=False):
    """Train params in place by minibatch SGD on softmax cross-entropy; return a History.

    X: (n, d), y: (n,) labels in [0, p). Minibatches are drawn from `rng`. After each epoch
    `callback(epoch, history)` is called if given; with `progress=True` about ten lines of
    progress are printed. Training stops early, with history.diverged set and a message, at the
    step whose loss is NaN or inf, or at the end of the epoch in which a parameter became NaN or inf.
    """
    check_rng(rng)
    X, y, X_val, y_val, epochs, batch_size = _training_inputs(
        params, X, y, lr, epochs, batch_size, X_val, y_val)
    n = X.shape[0]
    history = History()
    for epoch in range(1, epochs + 1):
        total_loss, correct = 0.0, 0
        # Overflow while diverging is detected and reported below (history.diverged), so
        # numpy's overflow/invalid warnings would only repeat it, and fail warning-free builds.
        # Every input was checked above, once: the steps skip the checks each call would repeat.
        with np.errstate(over="ignore", invalid="ignore"), inputs_checked():
            for idx in iterate_minibatches(n, batch_size, rng):
                X_batch, y_batch = X[idx], y[idx]
                O, caches = forward(params, X_batch, activation)
                # Unchecked here, a NaN or +inf logit makes the loss NaN (and a -inf one at the label, +inf):
                # the loss alone says that training diverged.
                loss, dO = softmax_cross_entropy(O, y_batch)
                if not np.isfinite(loss):
                    return _stop(history, f"loss became {loss}", epoch, lr, progress)
                grads = backward(dO, caches)
                del caches                     # the activations are used up: free them before the update
                sgd_step(params, grads, lr)
                total_loss += loss * len(idx)
                correct += np.count_nonzero(O.argmax(axis=1) == y_batch)
        # A parameter that became inf or NaN in a step stays so (inf − x is inf or NaN): one look
        # per epoch finds it in the epoch it happened, instead of a look at every step.
        if not params_finite(params):
            return _stop(history, "parameters became inf or NaN", epoch, lr, progress)
        _end_epoch(history, params, epoch, epochs, total_loss / n, correct / n, activation,
                   X_val, y_val, callback, progress)
    return history
