"""layerwise.h_only keeps only H^(l) and still gives backward's gradients: bit for bit, and against
centred differences; it keeps itemsize · n · Σ h_l bytes, counted by hand."""

import numpy as np
import pytest

import layerwise as lw
from layerwise.h_only import KeptOutputs, backward_h_only, forward_h_only
from tolerances import rounding_floor

ACTIVATIONS = ["sigmoid", "tanh", "relu", "identity"]
# The same networks and loss as tests/test_network.py (observed worst relative error there 2.7e-9,
# apart from tiny gradients, which the rounding floor covers).
GRAD_TOL = 1e-8


def _net(rng, sizes, n, dtype=np.float64):
    params = [(W, rng.normal(0, 0.5, size=b.shape).astype(dtype))
              for W, b in lw.init_params(sizes, rng, init="xavier", dtype=dtype)]
    X = rng.normal(size=(n, sizes[0])).astype(dtype)
    y = rng.integers(0, sizes[-1], size=n)
    return params, X, y


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradients_equal_backward_bit_for_bit(activation):
    """σ' read off H is the very number σ' of Z gives (H(1 − H) is σ(Z)(1 − σ(Z)), ...): equal gradients."""
    rng = np.random.default_rng(200 + ACTIVATIONS.index(activation))
    for _ in range(20):
        L = int(rng.integers(1, 6))
        sizes = [int(k) for k in rng.integers(1, 9, size=L)] + [int(rng.integers(2, 6))]
        params, X, y = _net(rng, sizes, int(rng.integers(1, 9)))
        O, caches = lw.forward(params, X, activation)
        O_h, kept = forward_h_only(params, X, activation)
        np.testing.assert_array_equal(O_h, O)
        dO = lw.softmax_cross_entropy(O, y)[1]
        for (dW, db), (dW_ref, db_ref) in zip(backward_h_only(dO, kept, params), lw.backward(dO, caches)):
            np.testing.assert_array_equal(dW, dW_ref)
            np.testing.assert_array_equal(db, db_ref)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_gradients_match_centred_differences(activation, gradlog):
    rng = np.random.default_rng(210 + ["sigmoid", "tanh", "relu"].index(activation))
    check = f"h_only.backward_h_only ({activation})"
    for _ in range(15):
        params, X, y = _net(rng, [3, 5, 4, 3], 6)
        O, kept = forward_h_only(params, X, activation)
        if activation == "relu":      # no pre-activation within ±100 h of the kink (see test_network)
            _, caches = lw.forward(params, X, activation)
            if min(np.abs(c.Z).min() for c in caches if c.Z is not None) < 1e-3:
                continue
        loss0, dO = lw.softmax_cross_entropy(O, y)

        def loss(_):
            return lw.softmax_cross_entropy(forward_h_only(params, X, activation)[0], y)[0]

        for (W, b), (dW, db) in zip(params, backward_h_only(dO, kept, params)):
            gradlog.check(check, dW, lw.numerical_gradient(loss, W), GRAD_TOL, rounding_floor(W.size, loss0))
            gradlog.check(check, db, lw.numerical_gradient(loss, b), GRAD_TOL, rounding_floor(b.size, loss0))
    assert gradlog.checks[check] >= 60


def test_keeps_only_the_inputs_of_each_layer():
    rng = np.random.default_rng(220)
    params, X, _ = _net(rng, [3, 5, 4, 2], 7)
    O, kept = forward_h_only(params, X, "tanh")
    assert isinstance(kept, KeptOutputs) and kept.activation == "tanh"
    assert kept.H[0] is X                                           # H^(0) = X, not a copy
    assert [H.shape for H in kept.H] == [(7, 3), (7, 5), (7, 4)]
    np.testing.assert_allclose(kept.H[1], np.tanh(X @ params[0][0] + params[0][1]), rtol=1e-15)
    # 7 rows × (5 + 4) hidden numbers × 8 bytes, by hand; forward keeps twice that (Z and H).
    assert sum(H.nbytes for H in kept.H[1:]) == 7 * 9 * 8 == lw.minimum_cache_bytes([3, 5, 4, 2], 7)
    assert 2 * lw.minimum_cache_bytes([3, 5, 4, 2], 7) == lw.predicted_cache_bytes([3, 5, 4, 2], 7)


def test_on_layer_is_called_from_the_top_down_with_backwards_values():
    rng = np.random.default_rng(221)
    params, X, y = _net(rng, [2, 5, 4, 3], 6)
    O, caches = lw.forward(params, X, "relu")
    dO = lw.softmax_cross_entropy(O, y)[1]
    plain, ours = [], []
    lw.backward(dO, caches, on_layer=lambda l, dZ, dW, db: plain.append((l, dZ.copy())))
    backward_h_only(dO, forward_h_only(params, X, "relu")[1], params,
                    on_layer=lambda l, dZ, dW, db: ours.append((l, dZ.copy())))
    assert [l for l, _ in ours] == [3, 2, 1]
    for (l, dZ), (_, dZ_ref) in zip(ours, plain):
        np.testing.assert_array_equal(dZ, dZ_ref)


def test_float32_stays_float32_and_dO_is_not_modified():
    rng = np.random.default_rng(222)
    params, X, y = _net(rng, [4, 6, 3], 5, dtype=np.float32)
    O, kept = forward_h_only(params, X, "sigmoid")
    dO = lw.softmax_cross_entropy(O, y)[1]
    before = dO.copy()
    grads = backward_h_only(dO, kept, params)
    np.testing.assert_array_equal(dO, before)
    assert O.dtype == np.float32 and all(H.dtype == np.float32 for H in kept.H)
    assert all(dW.dtype == np.float32 and db.dtype == np.float32 for dW, db in grads)


def test_kept_values_of_another_network_are_rejected():
    rng = np.random.default_rng(223)
    params, X, _ = _net(rng, [3, 4, 2], 4)
    deeper, _, _ = _net(rng, [3, 4, 4, 2], 4)
    _, kept = forward_h_only(params, X, "relu")
    with pytest.raises(ValueError, match="inputs of 2 layers but params has 3"):
        backward_h_only(np.zeros((4, 2)), kept, deeper)


def test_bad_arguments_fail_like_forward():
    params = lw.init_params([3, 4, 2], np.random.default_rng(0))
    with pytest.raises(ValueError, match="unknown activation 'softplus'"):
        forward_h_only(params, np.ones((2, 3)), "softplus")
    with pytest.raises(ValueError, match="X has 2 columns but the network expects 3 inputs"):
        forward_h_only(params, np.ones((2, 2)), "relu")
