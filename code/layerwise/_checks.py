"""Input checks shared by every module: one place that says what was expected and what was given."""

import contextvars
import numbers
from contextlib import contextmanager

import numpy as np

# True inside `inputs_checked()`, where the checks below (and check_params, check_gradients) pass
# their input through unchecked: the caller checked everything once and hands on only values
# derived from what it checked. `layerwise.train` does this for its steps; nothing public turns it on.
_INPUTS_CHECKED = contextvars.ContextVar("layerwise_inputs_checked", default=False)


@contextmanager
def inputs_checked():
    """A block in which the public functions skip the input checks they repeat on every call."""
    token = _INPUTS_CHECKED.set(True)
    try:
        yield
    finally:
        _INPUTS_CHECKED.reset(token)


def inputs_are_checked():
    """True inside `inputs_checked()`."""
    return _INPUTS_CHECKED.get()


def as_float_array(A, name, ndim=2, dtype=None, finite=True, layout="rows are examples"):
    """Return `A` as a floating-point ndarray with `ndim` dimensions, or raise.

    Integer and boolean input is converted to `dtype` (float64 when None); float input keeps
    its precision unless `dtype` is given. Raises TypeError for non-numeric input and ValueError
    for the wrong number of dimensions, an empty axis, or (when `finite`) NaN/inf entries.
    `layout` says what a 2-D array's axes mean, in the message.
    """
    if _INPUTS_CHECKED.get():
        return A
    A = np.asarray(A)
    if A.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a numeric array, got dtype {A.dtype}")
    if A.ndim != ndim:
        expected = {1: "a 1-D array", 2: f"a 2-D array ({layout})"}.get(ndim, f"a {ndim}-D array")
        raise ValueError(f"{name} must be {expected}, got {A.ndim}-D array of shape {A.shape}")
    if 0 in A.shape:
        raise ValueError(f"{name} must not be empty, got shape {A.shape}")
    if dtype is not None:
        A = A.astype(dtype, copy=False)
    elif A.dtype.kind != "f":
        A = A.astype(np.float64)
    if finite and not np.isfinite(A).all():
        raise ValueError(f"{name} contains NaN or inf; expected finite values")
    return A


def as_labels(y, n=None, p=None, name="y"):
    """Return integer class labels `y: (n,)` checked against the row count `n` and class count `p`."""
    if _INPUTS_CHECKED.get():
        return y
    y = np.asarray(y)
    if y.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer class labels, got dtype {y.dtype}")
    if y.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of labels, got shape {y.shape}")
    if n is not None and y.shape[0] != n:
        raise ValueError(f"{name} has {y.shape[0]} labels but there are {n} rows")
    if y.size and y.min() < 0:
        expected = f"lie in [0, {p})" if p is not None else "be >= 0"
        raise ValueError(f"labels must {expected}, got {y.min()}")
    if p is not None and y.size and y.max() >= p:
        raise ValueError(f"labels must lie in [0, {p}), got {y.max()}")
    return y


def as_count(k, name, minimum=1):
    """Return `k` as a Python int >= `minimum`, or raise TypeError/ValueError."""
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(k).__name__} {k!r}")
    if k < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {k}")
    return int(k)


def as_positive(x, name):
    """Return `x` as a float that is finite and > 0; TypeError if it is not a real number, else ValueError."""
    if _INPUTS_CHECKED.get():
        return x
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be a positive finite number, got {type(x).__name__} {x!r}")
    if not (np.isfinite(x) and x > 0):
        raise ValueError(f"{name} must be a positive finite number, got {x}")
    return float(x)


def check_rng(rng):
    """Raise TypeError unless `rng` is a numpy Generator (randomness is always passed in)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy Generator such as np.random.default_rng(0), got {type(rng).__name__}"
        )
    return rng
