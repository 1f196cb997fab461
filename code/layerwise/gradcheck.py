"""Numerical gradients by centred differences, to check backpropagation (book: chapters/backpropagation)."""

import numpy as np


def numerical_gradient(f, x, h=1e-5):
    """∂f/∂x by centred differences (f(x + h e_i) − f(x − h e_i)) / 2h, one entry at a time.

    f: a function of the array x returning a scalar; x: float array of any shape, perturbed in
    place and restored afterwards. Returns an array shaped like x. Error O(h²) plus rounding ~ε/h.
    """
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        raise TypeError(f"x must be a floating ndarray (it is perturbed in place), got {type(x).__name__}")
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = float(f(x))
        x[i] = old - h
        f_minus = float(f(x))
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def rel_error(a, b):
    """Relative error ‖a − b‖ / (‖a‖ + ‖b‖) in the Euclidean norm (0 when both are zero).

    a, b: arrays of one shape. Below about 1e-7 in float64, two gradients agree.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"rel_error needs arrays of one shape, got {a.shape} and {b.shape}")
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)
