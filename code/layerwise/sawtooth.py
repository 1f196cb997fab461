"""Hand-built sawtooth networks and counting the linear pieces of 1-D ReLU networks (book: chapters/depth).

The tent map t(x) = 2 relu(x) − 4 relu(x − 1/2) sends [0, 1] onto [0, 1]; composed k times it is a
sawtooth with 2^k linear pieces (Telgarsky 2016). A deep network computes it with k hidden layers of
2 units (6k + 1 parameters); a network with one hidden layer of m units has at most m + 1 pieces.
`folding_params` generalises the fold to width w (Montúfar et al. 2014): w^(k−1) (w + 1) pieces from
k hidden layers of w units. Needs only NumPy.
"""

import numpy as np

from ._checks import as_count, as_float_array, check_rng
from .initializers import init_params
from .network import check_params, forward_inference

# One tent as a layer: Z = x [1, 1] + [0, −1/2], then t = relu(Z) @ [2, −4].
_TENT_IN_W = np.array([[1.0, 1.0]])
_TENT_IN_B = np.array([0.0, -0.5])
_TENT_OUT_W = np.array([[2.0], [-4.0]])


def tent(x):
    """The tent map t(x) = 2x on [0, 1/2] and 2 − 2x on [1/2, 1], written as 2 relu(x) − 4 relu(x − 1/2)."""
    x = np.asarray(x, dtype=float)
    return 2 * np.maximum(x, 0) - 4 * np.maximum(x - 0.5, 0)


def sawtooth(x, k):
    """The tent map composed k times, t∘…∘t (x), computed directly (a reference, no network)."""
    k = as_count(k, "k", minimum=0)
    x = np.asarray(x, dtype=float)
    for _ in range(k):
        x = tent(x)
    return x


def deep_sawtooth_params(k, dtype=np.float64):
    """Exact weights of a ReLU network, sizes [1, 2, ..., 2, 1] (k hidden layers), computing sawtooth(x, k) on [0, 1].

    Layer 1 is the tent's input layer; each later hidden layer folds the previous tent's output
    map [2, −4] into its own input map: W = [2, −4]ᵀ [1, 1]. The last layer is [2, −4]ᵀ.
    Returns [(W, b), ...] with W^(1): (1, 2), W^(l): (2, 2), W^(k+1): (2, 1). 6k + 1 parameters.
    """
    k = as_count(k, "k")
    # init_params makes the shapes and dtypes; the values are then overwritten by hand (no training).
    params = init_params([1] + [2] * k + [1], np.random.default_rng(0), dtype=dtype)
    for l, (W, b) in enumerate(params, start=1):
        if l == 1:
            W[...], b[...] = _TENT_IN_W, _TENT_IN_B
        elif l <= k:
            W[...], b[...] = _TENT_OUT_W @ _TENT_IN_W, _TENT_IN_B
        else:
            W[...], b[...] = _TENT_OUT_W, 0.0
    return params


def shallow_sawtooth_params(k, dtype=np.float64):
    """Exact weights of a one-hidden-layer ReLU network, sizes [1, 2^k, 1], computing sawtooth(x, k) on [0, 1].

    Unit 0 is relu(x) (= x on [0, 1]) with output weight 2^k, the first slope; unit j ≥ 1 is
    relu(x − j/2^k), a kink at the j-th breakpoint whose output weight is the change of slope there,
    alternately −2^(k+1) and +2^(k+1). 3·2^k + 1 parameters.
    """
    k = as_count(k, "k")
    m = 2 ** k
    params = init_params([1, m, 1], np.random.default_rng(0), dtype=dtype)
    (W1, b1), (W2, b2) = params
    W1[...] = 1.0
    b1[...] = -np.arange(m) / m
    W2[0, 0] = m
    W2[1:, 0] = np.where(np.arange(1, m) % 2 == 1, -2.0 * m, 2.0 * m)
    b2[...] = 0.0
    return params


def folding_params(width, k, dtype=np.float64):
    """Weights of a ReLU network, sizes [1, w, ..., w, 1] (k hidden layers of w units), whose output has
    w^(k−1) (w + 1) linear pieces on [0, 1]: the construction of Montúfar et al. (2014) for one input.

    Hidden layers 1 .. k−1 fold: units relu(u − j/w), j = 0 .. w−1, summed with weights
    a = [w, −2w, 2w, −2w, ...], make the zigzag that runs over [0, 1] w times (for w = 2 the tent).
    After k − 1 folds, [0, 1] is cut into w^(k−1) intervals, each mapped onto [0, 1]. Hidden layer k
    cuts [0, 1] at t_j = j/(w + 1): units relu(t_1 − u) and relu(u − t_j), j = 2 .. w, added up by the
    output layer. Every interval gets w kinks, and the ends of the intervals are kinks too: the
    kinks lie at i / (w^(k−1) (w + 1)). As elsewhere here, a fold's output map a is multiplied into
    the next layer's input weights. Returns [(W, b), ...]; raises ValueError unless w, k >= 1.
    """
    w, k = as_count(width, "width"), as_count(k, "k")
    fold_bias = -np.arange(w) / w                                # relu(u − j/w)
    fold_out = np.array([w] + [(-1) ** j * 2.0 * w for j in range(1, w)])[:, None]   # a: (w, 1)
    cut_in = np.array([[-1.0] + [1.0] * (w - 1)])                # t_1 − u, u − t_2, ..., u − t_w: (1, w)
    t = np.arange(1, w + 1) / (w + 1)
    cut_bias = np.concatenate([t[:1], -t[1:]])
    params = init_params([1] + [w] * k + [1], np.random.default_rng(0), dtype=dtype)
    for l, (W, b) in enumerate(params, start=1):
        into = np.ones((1, 1)) if l == 1 else fold_out           # the map from the layer below to u
        if l < k:
            W[...], b[...] = into @ np.ones((1, w)), fold_bias   # fold
        elif l == k:
            W[...], b[...] = into @ cut_in, cut_bias             # cut
        else:
            W[...], b[...] = 1.0, 0.0                            # output: the sum of the cuts
    return params


def n_params(params):
    """Number of trainable numbers Σ_l (fan_in + 1) · fan_out of params [(W, b), ...]."""
    return sum(W.size + b.size for W, b in params)


def random_shallow_params(m, rng, scale=1.0):
    """A random one-hidden-layer network [1, m, 1] whose m kinks −b_j / w_j fall inside [0, 1].

    Input weights and output weights ~ N(0, scale²); each bias is chosen so that unit j has its kink
    at a uniform point of [0, 1] (the most pieces it can make there).
    """
    m = as_count(m, "m")
    check_rng(rng)
    W1 = rng.normal(0.0, scale, size=(1, m))
    kinks = rng.uniform(0.0, 1.0, size=m)
    b1 = -W1[0] * kinks
    W2 = rng.normal(0.0, scale, size=(m, 1))
    b2 = rng.normal(0.0, scale, size=1)
    return [(W1, b1), (W2, b2)]


def _slope_changes(slopes, rtol):
    """Boolean mask: where consecutive slopes differ by more than rtol · (largest |slope|, at least 1)."""
    scale = max(1.0, float(np.max(np.abs(slopes)))) if slopes.size else 1.0
    return np.abs(np.diff(slopes)) > rtol * scale


def count_pieces_grid(x, f, rtol=1e-6):
    """Number of linear pieces of a piecewise-linear function sampled on a sorted grid.

    x: (N,) increasing, f: (N,) values. A kink exactly on a grid point changes the slope once; a kink
    strictly inside a grid cell gives that cell an in-between slope and so two changes in a row,
    which are counted as one kink. Reliable when every piece is longer than two grid cells.
    """
    x = as_float_array(x, "x", ndim=1)
    f = as_float_array(f, "f", ndim=1)
    if x.shape != f.shape or x.size < 2:
        raise ValueError(f"x and f must have the same length >= 2, got {x.shape} and {f.shape}")
    if np.any(np.diff(x) <= 0):
        raise ValueError("x must be strictly increasing")
    changes = np.flatnonzero(_slope_changes(np.diff(f) / np.diff(x), rtol))
    # A run of adjacent changes (boundaries i, i+1) is one kink inside cell i+1.
    kinks = np.count_nonzero(np.diff(changes) != 1) + 1 if changes.size else 0
    return kinks + 1


def breakpoints(params, lo=0.0, hi=1.0, activation="relu", rtol=1e-9):
    """Exact kinks in (lo, hi) of a ReLU network on a 1-D input, sizes [1, ..., 1].

    Between two knots every pre-activation is linear in x, so it can change sign only at one point,
    found by linear interpolation. Layer by layer the zero crossings of every unit are added to the
    knots; finally the knots where the output's slope really changes are kept.
    Returns a sorted array of x positions. Raises ValueError unless activation is "relu".
    """
    check_params(params)
    if activation != "relu":
        raise ValueError(f"breakpoints counts kinks of ReLU networks only, got activation {activation!r}")
    if params[0][0].shape[0] != 1 or params[-1][0].shape[1] != 1:
        raise ValueError("breakpoints needs a network with one input and one output, sizes [1, ..., 1]")
    if not lo < hi:
        raise ValueError(f"need lo < hi, got {lo} and {hi}")
    knots = np.array([lo, hi], dtype=float)
    min_gap = 1e-12 * (hi - lo)
    for l in range(1, len(params)):
        Z = forward_inference(params[:l], knots[:, None])    # Z^(l) at the knots (no σ on the last layer)
        z0, z1 = Z[:-1], Z[1:]
        cross = z0 * z1 < 0                                  # a strict sign change inside an interval
        t = np.divide(z0, z0 - z1, out=np.zeros_like(z0), where=cross)
        new = (knots[:-1, None] + t * np.diff(knots)[:, None])[cross]
        # A crossing that rounding puts a hair away from an existing knot is that knot.
        merged = np.union1d(knots, new)
        knots = merged[np.concatenate([[True], np.diff(merged) > min_gap])]
        knots[-1] = hi
    O = forward_inference(params, knots[:, None])[:, 0]
    slopes = np.diff(O) / np.diff(knots)
    return knots[1:-1][_slope_changes(slopes, rtol)]


def count_pieces(params, lo=0.0, hi=1.0):
    """Exact number of linear pieces of a 1-D ReLU network on [lo, hi]: its kinks + 1."""
    return len(breakpoints(params, lo, hi)) + 1
