"""Tests of layerwise.losses.softmax_cross_entropy: hand values, a math-module reference,
the gradient dO against centred differences, extreme logits, dtype and bad labels."""

import math

import numpy as np
import pytest

from layerwise import numerical_gradient, softmax_cross_entropy


def reference_loss(O, y):
    """−(1/n) Σ_i log softmax(O)_{i, y_i}, one row at a time with Python's math (moderate logits only)."""
    total = 0.0
    for row, label in zip(O.tolist(), y.tolist()):
        total += math.log(math.fsum(math.exp(v) for v in row)) - row[label]
    return total / len(y)


def test_uniform_logits_give_log_p():
    # softmax of equal logits is 1/p for every class, so the loss is −log(1/p) = log p.
    O = np.zeros((5, 4))
    y = np.array([0, 1, 2, 3, 3])
    loss, dO = softmax_cross_entropy(O, y)
    assert loss == pytest.approx(math.log(4), rel=1e-15)
    expected = np.full((5, 4), 0.25)
    expected[np.arange(5), y] -= 1
    np.testing.assert_allclose(dO, expected / 5, rtol=1e-15)


def test_one_row_by_hand():
    # logits (0, ln 3): probabilities (1/4, 3/4); label 1: loss = −ln(3/4), dO = (1/4, 3/4 − 1).
    loss, dO = softmax_cross_entropy(np.array([[0.0, math.log(3)]]), np.array([1]))
    assert loss == pytest.approx(math.log(4 / 3), rel=1e-14)
    np.testing.assert_allclose(dO, [[0.25, -0.25]], rtol=1e-14)


def test_loss_matches_a_math_reference_on_random_batches():
    rng = np.random.default_rng(5)
    for _ in range(20):
        n, p = rng.integers(1, 9, size=2)
        O = rng.normal(0, 3, size=(n, p))
        y = rng.integers(0, p, size=n)
        loss, _ = softmax_cross_entropy(O, y)
        assert loss == pytest.approx(reference_loss(O, y), rel=1e-13, abs=1e-15)


# The loss is smooth in O with third derivatives of size ≤ 1 (softmax's); per entry the centred
# difference errs by h²/6 ≈ 2e-11 (truncation) plus ε·|loss|/h ≈ 5e-11 (rounding), against entries
# of dO of size ~1/n. Observed worst 2.3e-10; 1e-8 keeps a 40× margin.
GRAD_TOL = 1e-8


def test_dO_matches_numerical_gradient(gradlog):
    """dO against centred differences of the loss, on 60 random (n, p), n in [1, 8], p in [2, 8]."""
    rng = np.random.default_rng(6)
    for _ in range(60):
        n, p = rng.integers(1, 9), rng.integers(2, 9)
        O = rng.normal(0, 2, size=(n, p))
        y = rng.integers(0, p, size=n)
        _, dO = softmax_cross_entropy(O, y)
        numeric = numerical_gradient(lambda V: softmax_cross_entropy(V, y)[0], O)
        gradlog.check("losses.softmax_cross_entropy dO", dO, numeric, GRAD_TOL)


def test_rows_of_dO_sum_to_zero():
    # Σ_k (softmax_k − one_hot_k) = 1 − 1: shifting a row's logits does not change the loss.
    rng = np.random.default_rng(7)
    O = rng.normal(size=(6, 5))
    _, dO = softmax_cross_entropy(O, rng.integers(0, 5, size=6))
    np.testing.assert_allclose(dO.sum(axis=1), 0.0, atol=1e-16)


def test_extreme_logits_stay_finite_and_exact(no_float_trouble):
    O = np.array([[1e4, -1e4], [1e4, -1e4]])
    with no_float_trouble():
        right, dO_right = softmax_cross_entropy(O, np.array([0, 0]))
        wrong, dO_wrong = softmax_cross_entropy(O, np.array([1, 1]))
    # Right with certainty: loss 0, gradient 0. Wrong: loss = 1e4 − (−1e4) = 2e4, dO = (1, −1)/n.
    assert right == 0.0 and wrong == 2e4
    np.testing.assert_array_equal(dO_right, 0.0)
    np.testing.assert_array_equal(dO_wrong, [[0.5, -0.5], [0.5, -0.5]])


def test_does_not_modify_O():
    O = np.random.default_rng(8).normal(size=(3, 4))
    before = O.copy()
    softmax_cross_entropy(O, np.array([0, 1, 3]))
    np.testing.assert_array_equal(O, before)


def test_float32_logits_give_float32_dO():
    O = np.random.default_rng(9).normal(size=(4, 3)).astype(np.float32)
    loss, dO = softmax_cross_entropy(O, np.array([0, 1, 2, 0]))
    assert dO.dtype == np.float32
    assert isinstance(loss, float) and np.isfinite(loss)


@pytest.mark.parametrize("y, error, fragment", [
    (np.array([0.0, 1.0, 2.0]), TypeError, "integer class labels, got dtype float64"),
    (np.array([0, 1, 3]), ValueError, r"labels must lie in \[0, 3\), got 3"),
    (np.array([0, -1, 2]), ValueError, r"labels must lie in \[0, 3\), got -1"),
    (np.array([0, 1]), ValueError, "2 labels but there are 3 rows"),
    (np.array([0, 1, 2, 0]), ValueError, "4 labels but there are 3 rows"),
    (np.array([[0], [1], [2]]), ValueError, "1-D array of labels"),
    (np.array(["0", "1", "2"]), TypeError, "integer class labels"),
    (np.array([True, False, True]), TypeError, "integer class labels"),
])
def test_bad_labels_are_rejected(y, error, fragment):
    with pytest.raises(error, match=fragment):
        softmax_cross_entropy(np.zeros((3, 3)), y)


@pytest.mark.parametrize("O, error, fragment", [
    (np.zeros(3), ValueError, "2-D array"),
    (np.zeros((3, 3, 1)), ValueError, "got 3-D"),
    (np.array([[0.0, np.nan, 1.0]] * 3), ValueError, "NaN or inf"),
    (np.array([[0.0, np.inf, 1.0]] * 3), ValueError, "NaN or inf"),
    (np.array([["a", "b", "c"]] * 3), TypeError, "numeric array"),
])
def test_bad_logits_are_rejected(O, error, fragment):
    with pytest.raises(error, match=fragment):
        softmax_cross_entropy(O, np.array([0, 1, 2]))
