"""Small datasets: 2-D toy problems made from an explicit rng, and the handwritten digits.

Every maker returns X: (n, 2) float64 and y: (n,) int64 labels.
"""

import numpy as np

from ._checks import as_count, as_float_array, as_labels, check_rng


def _split_counts(n, k):
    return [n // k + (1 if c < n % k else 0) for c in range(k)]


def _check_noise(noise, name="noise"):
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {noise}")


def make_blobs(n, rng, k=3, spread=0.5):
    """k Gaussian clusters with centres on a circle of radius 2: linearly separable for small spread."""
    check_rng(rng)
    n, k = as_count(n, "n"), as_count(k, "k")
    _check_noise(spread, "spread")     # the error names the argument the caller gave
    angles = 2 * np.pi * np.arange(k) / k
    centres = 2 * np.column_stack([np.cos(angles), np.sin(angles)])
    y = np.repeat(np.arange(k), _split_counts(n, k))
    X = centres[y] + spread * rng.normal(size=(n, 2))
    return X, y


def make_moons(n, rng, noise=0.1):
    """Two interleaving half circles (2 classes)."""
    check_rng(rng)
    n = as_count(n, "n", minimum=2)
    _check_noise(noise)
    n0, n1 = _split_counts(n, 2)
    t0 = np.pi * rng.random(n0)
    t1 = np.pi * rng.random(n1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.vstack([upper, lower]) + noise * rng.normal(size=(n, 2))
    y = np.repeat([0, 1], [n0, n1])
    return X, y


def make_circles(n, rng, noise=0.05, factor=0.5):
    """A small circle inside a large one (2 classes); `factor` is the inner radius."""
    check_rng(rng)
    n = as_count(n, "n", minimum=2)
    _check_noise(noise)
    if not 0 < factor < 1:
        raise ValueError(f"factor must lie in (0, 1), got {factor}")
    n0, n1 = _split_counts(n, 2)
    t = 2 * np.pi * rng.random(n)
    r = np.concatenate([np.ones(n0), factor * np.ones(n1)])
    X = r[:, None] * np.column_stack([np.cos(t), np.sin(t)]) + noise * rng.normal(size=(n, 2))
    y = np.repeat([0, 1], [n0, n1])
    return X, y


def make_spirals(n, rng, k=3, noise=0.2, turns=1.0):
    """k interleaved spiral arms (k classes), the classic data a linear model cannot separate."""
    check_rng(rng)
    n, k = as_count(n, "n"), as_count(k, "k", minimum=2)
    _check_noise(noise)
    y = np.repeat(np.arange(k), _split_counts(n, k))
    r = np.concatenate([np.linspace(0.05, 1, c) for c in _split_counts(n, k)])
    theta = 2 * np.pi * (turns * r + y / k) + noise * rng.normal(size=n)
    X = np.column_stack([r * np.sin(theta), r * np.cos(theta)])
    return X, y


def make_xor(n, rng, noise=0.1):
    """Four clusters at (±1, ±1); the label is 1 where the signs differ (XOR)."""
    check_rng(rng)
    n = as_count(n, "n", minimum=4)
    _check_noise(noise)
    corners = np.array([[-1, -1], [1, 1], [-1, 1], [1, -1]], dtype=float)
    which = np.repeat(np.arange(4), _split_counts(n, 4))
    X = corners[which] + noise * rng.normal(size=(n, 2))
    y = (which >= 2).astype(np.int64)
    return X, y


DATASETS = {"moons": make_moons, "circles": make_circles, "spirals": make_spirals, "xor": make_xor}


def make_dataset(name, n, rng, **kwargs):
    """One of the 2-D toy datasets by name: "moons", "circles", "spirals" or "xor"."""
    try:
        maker = DATASETS[name]
    except KeyError:
        raise ValueError(f"unknown dataset {name!r}; known datasets: {', '.join(sorted(DATASETS))}") from None
    return maker(n, rng, **kwargs)


def load_digits():
    """The 8×8 handwritten digits bundled with scikit-learn (works offline).

    Returns X: (1797, 64) float64 pixels scaled to [0, 1] and y: (1797,) int64 labels 0–9.
    """
    try:
        from sklearn.datasets import load_digits as _sklearn_digits
    except ImportError as e:
        raise ImportError("load_digits needs scikit-learn (pip install scikit-learn), which bundles the data") from e
    digits = _sklearn_digits()
    return digits.data / 16.0, digits.target.astype(np.int64)


def train_test_split(X, y, rng, test_fraction=0.25):
    """Shuffle the rows with rng and split them: (X_train, X_test, y_train, y_test)."""
    check_rng(rng)
    X = as_float_array(X, "X")
    y = as_labels(y, n=X.shape[0])
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must lie in (0, 1), got {test_fraction}")
    order = rng.permutation(X.shape[0])
    n_test = max(1, int(round(test_fraction * X.shape[0])))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]
