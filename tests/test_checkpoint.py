"""Gradient checkpointing gives the gradients of plain backpropagation while storing less."""

import numpy as np
import pytest

import layerwise as lw
from layerwise.checkpoint import (backward_checkpointed, checkpoint_nbytes, forward_checkpointed,
                                  predicted_checkpoint_bytes, segment_starts)
from tolerances import rounding_floor


def _net(rng, L, width=7, d=5, p=4, n=6, dtype=np.float64):
    sizes = [d] + [width + l for l in range(L - 1)] + [p]      # unequal widths catch index slips
    params = lw.init_params(sizes, rng, init="xavier", dtype=dtype)
    for W, b in params:
        b += rng.normal(size=b.shape).astype(dtype)            # non-zero biases, so db is tested
    X = rng.normal(size=(n, d)).astype(dtype)
    y = rng.integers(0, p, size=n)
    return sizes, params, X, y


def test_segment_starts_by_hand():
    assert segment_starts(7, 1) == [1, 2, 3, 4, 5, 6, 7]
    assert segment_starts(7, 3) == [1, 4, 7]
    assert segment_starts(7, 7) == [1]
    assert segment_starts(7, 10) == [1]


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("L", [1, 2, 5, 8])
def test_gradients_identical_to_plain_backward_for_every_k(activation, L):
    rng = np.random.default_rng(100 + L)
    _, params, X, y = _net(rng, L)
    O, caches = lw.forward(params, X, activation)
    loss, dO = lw.softmax_cross_entropy(O, y)
    expected = lw.backward(dO, caches)
    for every in range(1, L + 2):
        O_ck, ck = forward_checkpointed(params, X, activation, every=every)
        np.testing.assert_array_equal(O_ck, O)
        grads = backward_checkpointed(dO, ck, params)
        assert len(grads) == L
        for (dW, db), (dW_ref, db_ref) in zip(grads, expected):
            # The same float operations in the same order: equal to the last bit.
            np.testing.assert_array_equal(dW, dW_ref)
            np.testing.assert_array_equal(db, db_ref)


def test_on_layer_sees_layers_top_first_with_the_plain_values():
    rng = np.random.default_rng(3)
    _, params, X, y = _net(rng, 6)
    O, caches = lw.forward(params, X, "tanh")
    _, dO = lw.softmax_cross_entropy(O, y)
    plain, ck = [], []
    lw.backward(dO, caches, on_layer=lambda l, dZ, dW, db: plain.append((l, dZ.copy())))
    _, cps = forward_checkpointed(params, X, "tanh", every=4)
    backward_checkpointed(dO, cps, params, on_layer=lambda l, dZ, dW, db: ck.append((l, dZ.copy())))
    assert [l for l, _ in ck] == [6, 5, 4, 3, 2, 1]
    for (l, dZ), (l_ref, dZ_ref) in zip(ck, plain):
        assert l == l_ref
        np.testing.assert_array_equal(dZ, dZ_ref)


# A sigmoid network of width 4: the absolute errors are rounding, ≤ 9e-11, so the relative error grows
# as the gradient shrinks towards layer 1 (‖dW⁽¹⁾‖ = 2.6e-3: 1.1e-8), which the rounding floor (1.6e-9
# absolute here) allows for; the upper layers (‖dW‖ ≥ 0.1) reach 4e-10 at most. As in test_network.
GRAD_TOL = 1e-8


def test_finite_differences_through_checkpointed_backward(gradlog):
    rng = np.random.default_rng(7)
    _, params, X, y = _net(rng, 4, width=4, n=5)

    def loss_of_params(_):
        O, _ck = forward_checkpointed(params, X, "sigmoid", every=2)
        return lw.softmax_cross_entropy(O, y)[0]

    O, ck = forward_checkpointed(params, X, "sigmoid", every=2)
    _, dO = lw.softmax_cross_entropy(O, y)
    grads = backward_checkpointed(dO, ck, params)
    loss = lw.softmax_cross_entropy(O, y)[0]
    for (W, b), (dW, db) in zip(params, grads):
        for A, dA in ((W, dW), (b, db)):
            gradlog.check("checkpoint.backward_checkpointed", dA, lw.numerical_gradient(loss_of_params, A),
                          GRAD_TOL, rounding_floor(A.size, loss))


@pytest.mark.parametrize("every", [1, 2, 3, 5, 9])
def test_stored_bytes_match_the_shapes(every):
    rng = np.random.default_rng(11)
    sizes, params, X, _ = _net(rng, 9, width=3, n=13)
    _, ck = forward_checkpointed(params, X, "relu", every=every)
    # By hand: the inputs of layers 1+k, 1+2k, ... are H^(k), H^(2k), ..., of widths sizes[k], sizes[2k], ...
    by_hand = 8 * 13 * sum(sizes[j] for j in range(every, 9, every))
    assert checkpoint_nbytes(ck) == by_hand
    assert predicted_checkpoint_bytes(sizes, 13, every) == by_hand
    assert ck.inputs[0] is X or np.shares_memory(ck.inputs[0], X)


def test_every_one_stores_half_of_plain_forward():
    sizes = [10, 20, 30, 40, 5]
    # Plain forward keeps H and Z of each hidden layer; checkpoints with k = 1 keep only the H's.
    assert 2 * predicted_checkpoint_bytes(sizes, 8, 1) == lw.predicted_cache_bytes(sizes, 8)


def test_float32_stays_float32():
    rng = np.random.default_rng(5)
    _, params, X, y = _net(rng, 3, dtype=np.float32)
    O, ck = forward_checkpointed(params, X, "relu", every=2)
    _, dO = lw.softmax_cross_entropy(O, y)
    grads = backward_checkpointed(dO, ck, params)
    assert O.dtype == np.float32
    assert all(dW.dtype == np.float32 and db.dtype == np.float32 for dW, db in grads)


def test_checkpoints_of_another_network_are_rejected():
    rng = np.random.default_rng(1)
    _, params, X, _ = _net(rng, 4)
    _, deeper, _, _ = _net(rng, 6)
    _, ck = forward_checkpointed(params, X, "relu", every=2)      # segments start at 1, 3
    with pytest.raises(ValueError, match="another network"):
        backward_checkpointed(np.zeros((6, 4)), ck, deeper)        # 6 layers: 1, 3, 5


def test_bad_every_raises():
    rng = np.random.default_rng(1)
    _, params, X, _ = _net(rng, 3)
    with pytest.raises(ValueError, match="every must be >= 1, got 0"):
        forward_checkpointed(params, X, "relu", every=0)
    with pytest.raises(TypeError, match="every must be an integer, got float 1.5"):
        forward_checkpointed(params, X, "relu", every=1.5)
