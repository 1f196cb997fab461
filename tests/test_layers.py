"""Tests of layerwise.layers: Z = H W + b by hand, linear_backward against centred differences,
shapes that must be rejected (nothing broadcast), dtype."""

import numpy as np
import pytest

from layerwise import linear_backward, linear_forward, numerical_gradient


def test_linear_forward_by_hand():
    H = np.array([[1.0, 2.0], [0.0, -1.0]])
    W = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])
    b = np.array([0.5, 0.0, -1.0])
    Z, cache = linear_forward(H, W, b)
    # row 1: (1·1 + 2·2, 1·0 + 2·1, 1·(−1) + 0) + b; row 2: (−2, −1, 0) + b — b added to every row.
    np.testing.assert_array_equal(Z, [[5.5, 2.0, -2.0], [-1.5, -1.0, -1.0]])
    assert cache[0] is H and cache[1] is W


def test_linear_forward_matches_sums_written_out():
    rng = np.random.default_rng(10)
    H, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 5)), rng.normal(size=5)
    Z, _ = linear_forward(H, W, b)
    for i in range(4):
        for j in range(5):
            assert Z[i, j] == pytest.approx(sum(H[i, k] * W[k, j] for k in range(3)) + b[j], abs=1e-14)


def test_linear_backward_by_hand():
    H = np.array([[1.0, 2.0], [3.0, 4.0]])
    W = np.array([[1.0, -1.0], [0.5, 2.0]])
    dZ = np.array([[1.0, 0.0], [0.0, 2.0]])
    dH, dW, db = linear_backward(dZ, (H, W))
    np.testing.assert_array_equal(dH, [[1.0, 0.5], [-2.0, 4.0]])      # dZ Wᵀ
    np.testing.assert_array_equal(dW, [[1.0, 6.0], [2.0, 8.0]])       # Hᵀ dZ
    np.testing.assert_array_equal(db, [1.0, 2.0])                      # column sums of dZ


# The loss Σ dZ ⊙ (H W + b) is linear in each of H, W and b: the centred difference has no truncation
# error, only rounding, about ε·|loss|/h ≈ 1e-10 per entry against entries of size ~1. Observed worst
# 1.0e-10; 1e-8 keeps a 100× margin.
GRAD_TOL = 1e-8


def test_linear_backward_matches_numerical_gradient(gradlog):
    """dH, dW, db of loss = Σ dZ ⊙ Z against centred differences, on 60 random shapes in [1, 8]³."""
    rng = np.random.default_rng(11)
    for _ in range(60):
        n, fan_in, fan_out = rng.integers(1, 9, size=3)
        H, W = rng.normal(size=(n, fan_in)), rng.normal(size=(fan_in, fan_out))
        b, dZ = rng.normal(size=fan_out), rng.normal(size=(n, fan_out))

        def loss(_):
            return np.sum(dZ * linear_forward(H, W, b)[0])

        _, cache = linear_forward(H, W, b)
        dH, dW, db = linear_backward(dZ, cache)
        gradlog.check("layers.linear_backward dH", dH, numerical_gradient(loss, H), GRAD_TOL)
        gradlog.check("layers.linear_backward dW", dW, numerical_gradient(loss, W), GRAD_TOL)
        gradlog.check("layers.linear_backward db", db, numerical_gradient(loss, b), GRAD_TOL)


def test_need_dH_false_skips_dH():
    rng = np.random.default_rng(12)
    H, W = rng.normal(size=(3, 2)), rng.normal(size=(2, 4))
    dZ = rng.normal(size=(3, 4))
    dH, dW, db = linear_backward(dZ, (H, W), need_dH=False)
    assert dH is None
    np.testing.assert_allclose(dW, linear_backward(dZ, (H, W))[1])
    np.testing.assert_allclose(db, dZ.sum(axis=0))


def test_linear_backward_does_not_modify_dZ():
    rng = np.random.default_rng(13)
    H, W, dZ = rng.normal(size=(3, 2)), rng.normal(size=(2, 4)), rng.normal(size=(3, 4))
    before = dZ.copy()
    linear_backward(dZ, (H, W))
    np.testing.assert_array_equal(dZ, before)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept_forward_and_backward(dtype):
    rng = np.random.default_rng(14)
    H = rng.normal(size=(5, 3)).astype(dtype)
    W = rng.normal(size=(3, 2)).astype(dtype)
    b = np.zeros(2, dtype=dtype)
    Z, cache = linear_forward(H, W, b)
    assert Z.dtype == dtype
    dH, dW, db = linear_backward(np.ones_like(Z), cache)
    assert dH.dtype == dW.dtype == db.dtype == dtype


# --- shapes that must be rejected ----------------------------------------------------------------

def _good(n=4, fan_in=3, fan_out=2):
    return np.ones((n, fan_in)), np.ones((fan_in, fan_out)), np.zeros(fan_out)


def test_wrong_number_of_columns():
    H, W, b = _good()
    with pytest.raises(ValueError, match=r"H has 2 columns but W expects 3 inputs"):
        linear_forward(H[:, :2], W, b)


@pytest.mark.parametrize("b, fragment", [
    (np.zeros((4, 2)), "b must be a 1-D array, got 2-D"),   # the note's (n, p) bias: one p-vector is meant
    (np.zeros((1, 2)), "b must be a 1-D array, got 2-D"),   # a row vector would broadcast: still rejected
    (np.zeros(3), r"b must have shape \(2,\) to match W"),
    (np.zeros(1), r"b must have shape \(2,\) to match W"),  # length 1 would broadcast silently
])
def test_bias_of_the_wrong_shape_is_not_broadcast(b, fragment):
    H, W, _ = _good()
    with pytest.raises(ValueError, match=fragment):
        linear_forward(H, W, b)


@pytest.mark.parametrize("which, bad, error, fragment", [
    (0, np.ones(3), ValueError, "H must be a 2-D array .rows are examples., got 1-D"),
    (0, np.ones((4, 3, 1)), ValueError, "H must be a 2-D array .rows are examples., got 3-D"),
    (1, np.ones(3), ValueError, r"W must be a 2-D array \(fan_in, fan_out\), got 1-D"),
    (1, np.ones((3, 2, 1)), ValueError, "W must be a 2-D array"),
    (0, np.array([["1", "2", "3"]] * 4), TypeError, "H must be a numeric array"),
    (0, np.ones((4, 3), dtype=object), TypeError, "H must be a numeric array, got dtype object"),
    (1, np.ones((3, 2), dtype=complex), TypeError, "W must be a numeric array"),
    (0, np.ones((0, 3)), ValueError, "H must not be empty"),
])
def test_bad_arrays_are_rejected(which, bad, error, fragment):
    args = list(_good())
    args[which] = bad
    with pytest.raises(error, match=fragment):
        linear_forward(*args)


def test_dZ_of_the_wrong_shape_is_rejected():
    H, W, b = _good()
    _, cache = linear_forward(H, W, b)
    with pytest.raises(ValueError, match=r"dZ must have shape \(4, 2\)"):
        linear_backward(np.ones((4, 3)), cache)
    with pytest.raises(ValueError, match=r"dZ must have shape \(4, 2\)"):
        linear_backward(np.ones((1, 2)), cache)          # one row would broadcast over the batch
    with pytest.raises(ValueError, match="dZ must be a 2-D array"):
        linear_backward(np.ones(2), cache)


def test_weights_and_bias_of_different_dtypes_are_rejected():
    """The bias is added in place to H @ W: a float64 b would be narrowed into a float32 Z without a word."""
    rng = np.random.default_rng(8)
    H = rng.normal(size=(3, 4)).astype(np.float32)
    W = rng.normal(size=(4, 2)).astype(np.float32)
    with pytest.raises(TypeError, match="W and b must share one floating dtype, got float32 and float64"):
        linear_forward(H, W, np.zeros(2))


def test_float32_input_with_float64_layer_gives_float64():
    """Z has the dtype of H @ W: float32 data through a float64 layer is computed in float64."""
    rng = np.random.default_rng(9)
    H = rng.normal(size=(3, 4)).astype(np.float32)
    W, b = rng.normal(size=(4, 2)), rng.normal(size=2)
    Z, _ = linear_forward(H, W, b)
    assert Z.dtype == np.float64
    np.testing.assert_array_equal(Z, H.astype(np.float64) @ W + b)
