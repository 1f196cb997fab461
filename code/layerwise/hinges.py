"""One hidden layer as a sum of hinges: the ReLU network [1, m, 1] that joins m + 1 points of a curve by
straight lines (book: chapters/activations, "One hidden layer can approximate any curve"). Needs only NumPy.
"""

import numpy as np

from ._checks import as_float_array


def hinge_params(knots, values, dtype=np.float64):
    """Weights of the ReLU network, sizes [1, m, 1], that interpolates the points (knots[j], values[j]) linearly.

    f(x) = values[0] + Σ_{j<m} a_j relu(x − knots[j]): unit j is a hinge with its kink at knots[j], and its
    output weight a_j is the change of slope there (a_0 is the slope of the first piece). Between knots[0]
    and knots[m] f is the piecewise-linear interpolant; left of knots[0] it is constant, right of knots[m]
    it keeps the last slope.
    knots: (m + 1,) strictly increasing, values: (m + 1,) -> [(W1: (1, m), b1: (m,)), (W2: (m, 1), b2: (1,))].
    Raises ValueError for fewer than two points, lengths that differ, knots not strictly increasing or NaN/inf,
    TypeError for a dtype that is not floating.
    """
    knots = as_float_array(knots, "knots", ndim=1)
    values = as_float_array(values, "values", ndim=1)
    if knots.shape != values.shape:
        raise ValueError(f"knots and values must have the same length, got {knots.shape[0]} and {values.shape[0]}")
    if knots.size < 2:
        raise ValueError(f"need at least 2 points (m + 1 with m >= 1 hidden units), got {knots.size}")
    if np.any(np.diff(knots) <= 0):
        raise ValueError("knots must be strictly increasing")
    slopes = np.diff(values) / np.diff(knots)          # slope of each of the m pieces
    a = np.diff(slopes, prepend=0.0)                    # the first slope, then the change at each inner knot
    m = slopes.size
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"dtype must be a floating type such as np.float64 or np.float32, got {dtype}")
    W1 = np.ones((1, m), dtype=dtype)
    b1 = (-knots[:-1]).astype(dtype)                    # relu(x − knots[j]): the kink of unit j at knots[j]
    W2 = a[:, None].astype(dtype)
    b2 = values[:1].astype(dtype)
    return [(W1, b1), (W2, b2)]
