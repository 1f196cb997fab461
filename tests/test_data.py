"""Tests of layerwise.data: shapes, dtypes, balanced labels, the geometry of each toy set (noise 0),
reproducibility, the digits, the split, and rejected arguments."""

import numpy as np
import pytest

from layerwise.data import (load_digits, make_blobs, make_circles, make_dataset, make_moons, make_spirals,
                            make_xor, train_test_split)

MAKERS = [(make_moons, 2), (make_circles, 2), (make_spirals, 3), (make_xor, 2), (make_blobs, 3)]


@pytest.mark.parametrize("make, k", MAKERS)
@pytest.mark.parametrize("n", [4, 101, 300])
def test_shapes_dtypes_and_balanced_labels(make, k, n):
    X, y = make(n, np.random.default_rng(90))
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    counts = np.bincount(y, minlength=k)
    assert len(counts) == k and counts.sum() == n
    assert counts.max() - counts.min() <= 1          # as equal as n allows
    assert np.isfinite(X).all()


@pytest.mark.parametrize("make, k", MAKERS)
def test_same_seed_same_data_other_seed_other_data(make, k):
    X1, y1 = make(60, np.random.default_rng(5))
    X2, y2 = make(60, np.random.default_rng(5))
    X3, _ = make(60, np.random.default_rng(6))
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


def test_moons_lie_on_two_half_circles_without_noise():
    X, y = make_moons(100, np.random.default_rng(91), noise=0.0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)                       # centre (0, 0), upper half
    assert (upper[:, 1] >= 0).all()
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)   # centre (1, 0.5), lower half
    assert (lower[:, 1] <= 0.5).all()


def test_circles_have_radius_1_and_factor_without_noise():
    X, y = make_circles(100, np.random.default_rng(92), noise=0.0, factor=0.3)
    r = np.hypot(*X.T)
    np.testing.assert_allclose(r[y == 0], 1.0)
    np.testing.assert_allclose(r[y == 1], 0.3)


def test_spiral_arms_follow_their_angle_without_noise():
    k = 3
    X, y = make_spirals(90, np.random.default_rng(93), k=k, noise=0.0, turns=1.0)
    r = np.hypot(*X.T)
    assert r.min() == pytest.approx(0.05) and r.max() == pytest.approx(1.0)
    theta = np.arctan2(X[:, 0], X[:, 1])                   # X = (r sin θ, r cos θ)
    expected = 2 * np.pi * (r + y / k)
    # Equal angles modulo 2π: the difference is a whole number of turns.
    turns = (theta - expected) / (2 * np.pi)
    np.testing.assert_allclose(turns, np.round(turns), atol=1e-12)


def test_xor_labels_are_one_where_the_signs_differ():
    X, y = make_xor(200, np.random.default_rng(94), noise=0.1)
    # Corners at (±1, ±1) with noise 0.1: a sign flip would need a 10σ draw.
    np.testing.assert_array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))
    X0, _ = make_xor(8, np.random.default_rng(94), noise=0.0)
    np.testing.assert_array_equal(np.abs(X0), 1.0)


def test_blobs_sit_around_k_centres_on_a_circle_of_radius_2():
    X, y = make_blobs(3000, np.random.default_rng(95), k=4, spread=0.1)
    for c in range(4):
        centre = X[y == c].mean(axis=0)
        angle = 2 * np.pi * c / 4
        np.testing.assert_allclose(centre, [2 * np.cos(angle), 2 * np.sin(angle)], atol=0.02)


def test_make_dataset_by_name():
    for name, make in [("moons", make_moons), ("circles", make_circles), ("spirals", make_spirals), ("xor", make_xor)]:
        X, y = make_dataset(name, 50, np.random.default_rng(96))
        X0, y0 = make(50, np.random.default_rng(96))
        np.testing.assert_array_equal(X, X0)
        np.testing.assert_array_equal(y, y0)
    X, y = make_dataset("spirals", 40, np.random.default_rng(0), k=4)
    assert set(y) == {0, 1, 2, 3}


def test_make_dataset_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="unknown dataset 'swiss roll'; known datasets: circles, moons, spirals, xor"):
        make_dataset("swiss roll", 10, np.random.default_rng(0))


@pytest.mark.parametrize("call, error, fragment", [
    (lambda: make_moons(0, np.random.default_rng(0)), ValueError, "n must be >= 2, got 0"),
    (lambda: make_spirals(-5, np.random.default_rng(0)), ValueError, "n must be >= 1, got -5"),
    (lambda: make_spirals(30, np.random.default_rng(0), k=1), ValueError, "k must be >= 2, got 1"),
    (lambda: make_xor(2.5, np.random.default_rng(0)), TypeError, "n must be an integer"),
    (lambda: make_moons(10, np.random.default_rng(0), noise=-0.1), ValueError, "noise must be a finite number >= 0"),
    (lambda: make_circles(10, np.random.default_rng(0), noise=np.nan), ValueError, "noise must be a finite number"),
    (lambda: make_circles(10, np.random.default_rng(0), factor=1.5), ValueError, r"factor must lie in \(0, 1\)"),
    (lambda: make_blobs(10, np.random.default_rng(0), spread=-1.0), ValueError, "spread must be a finite number >= 0"),
    (lambda: make_moons(10, 0), TypeError, "rng must be a numpy Generator"),
    (lambda: make_blobs(10, np.random.RandomState(0)), TypeError, "rng must be a numpy Generator"),
])
def test_bad_arguments_are_rejected(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()


# --- the digits and the split --------------------------------------------------------------------

@pytest.fixture(scope="module")
def digits():
    return load_digits()


def test_digits_shape_range_and_labels(digits):
    X, y = digits
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    # The raw pixels are integers 0..16 (4-bit grey levels), scaled by 1/16.
    np.testing.assert_array_equal(X * 16, np.round(X * 16))
    assert set(np.unique(y)) == set(range(10))
    assert np.bincount(y).min() >= 170            # about 180 images per digit


def test_split_partitions_the_rows(digits):
    X, y = digits
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, np.random.default_rng(97), test_fraction=0.25)
    assert len(X_te) == round(0.25 * 1797) == 449 and len(X_tr) == 1797 - 449
    assert len(y_tr) == len(X_tr) and len(y_te) == len(X_te)
    # Tag each row by its index to see that every row lands in exactly one part, with its own label.
    idx = np.arange(1797, dtype=float)[:, None]
    I_tr, I_te, yi_tr, yi_te = train_test_split(idx, y, np.random.default_rng(97), test_fraction=0.25)
    both = np.concatenate([I_tr[:, 0], I_te[:, 0]]).astype(int)
    np.testing.assert_array_equal(np.sort(both), np.arange(1797))
    np.testing.assert_array_equal(yi_tr, y[I_tr[:, 0].astype(int)])
    np.testing.assert_array_equal(X_te, X[I_te[:, 0].astype(int)])      # same seed, same split


@pytest.mark.parametrize("kwargs, y, error, fragment", [
    ({"test_fraction": 0.0}, None, ValueError, r"test_fraction must lie in \(0, 1\)"),
    ({"test_fraction": 1.0}, None, ValueError, r"test_fraction must lie in \(0, 1\)"),
    ({}, np.zeros(9, dtype=int), ValueError, "9 labels but there are 10 rows"),
    ({}, np.zeros(10), TypeError, "integer class labels"),
    ({}, np.full(10, -1), ValueError, "labels must be >= 0, got -1"),
])
def test_split_rejects_bad_arguments(kwargs, y, error, fragment):
    X = np.ones((10, 2))
    with pytest.raises(error, match=fragment):
        train_test_split(X, np.zeros(10, dtype=int) if y is None else y, np.random.default_rng(0), **kwargs)
