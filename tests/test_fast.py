"""layerwise.fast.train_preallocated must give exactly what layerwise.train gives, only faster."""

import numpy as np
import pytest

import layerwise as lw
from layerwise.fast import train_preallocated


def _copy(params):
    return [(W.copy(), b.copy()) for W, b in params]


def _both(sizes, X, y, dtype=np.float64, seed=0, **kwargs):
    """Train two copies of one initial network, with train and with train_preallocated, from one seed."""
    params0 = lw.init_params(sizes, np.random.default_rng(seed), dtype=dtype)
    a, b = _copy(params0), _copy(params0)
    ha = lw.train(a, X, y, rng=np.random.default_rng(seed + 1), **kwargs)
    hb = train_preallocated(b, X, y, rng=np.random.default_rng(seed + 1), **kwargs)
    return a, b, ha, hb


def _assert_same(a, b, ha, hb):
    for (Wa, ba), (Wb, bb) in zip(a, b):
        assert Wa.dtype == Wb.dtype and ba.dtype == bb.dtype
        np.testing.assert_array_equal(Wa, Wb)        # bit for bit (±0 compare equal)
        np.testing.assert_array_equal(ba, bb)
    assert ha.loss == hb.loss and ha.accuracy == hb.accuracy and ha.epoch == hb.epoch
    assert ha.diverged == hb.diverged


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "identity"])
def test_same_parameters_and_history_as_train_on_digits(activation):
    X, y = lw.data.load_digits()
    X, y = X[:300], y[:300]
    # 300 rows in batches of 64: the last batch has 44 rows, so partial buffers are exercised too.
    a, b, ha, hb = _both([64, 32, 16, 10], X, y, activation=activation, lr=0.1, epochs=3, batch_size=64)
    _assert_same(a, b, ha, hb)
    assert lw.rel_error(a[0][0], b[0][0]) <= 1e-12


def test_same_result_in_float32_and_stays_float32():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((200, 20)).astype(np.float32)
    y = rng.integers(0, 4, 200)
    a, b, ha, hb = _both([20, 16, 16, 4], X, y, dtype=np.float32, lr=0.05, epochs=2, batch_size=32)
    _assert_same(a, b, ha, hb)
    assert all(W.dtype == np.float32 and c.dtype == np.float32 for W, c in b)


def test_validation_history_and_callback_match():
    X, y = lw.data.make_dataset("moons", 120, np.random.default_rng(0))
    seen = []
    a, b, ha, hb = _both([2, 8, 2], X, y, lr=0.5, epochs=4, batch_size=16, X_val=X[:40], y_val=y[:40],
                         callback=lambda epoch, h: seen.append(epoch))
    _assert_same(a, b, ha, hb)
    assert ha.val_loss == hb.val_loss and ha.val_accuracy == hb.val_accuracy
    assert seen == [1, 2, 3, 4, 1, 2, 3, 4]        # train's callbacks, then train_preallocated's


def test_divergence_is_reported_at_the_same_step():
    X, y = lw.data.make_dataset("spirals", 150, np.random.default_rng(1))
    # Large inputs, depth and learning rate overflow float32 within the first epoch.
    a, b, ha, hb = _both([2, 32, 32, 32, 3], X * 100, y, dtype=np.float32, lr=10.0, epochs=5, batch_size=10)
    assert ha.diverged and hb.diverged
    assert ha.message == hb.message and ha.epoch == hb.epoch
    for (Wa, _), (Wb, _) in zip(a, b):
        np.testing.assert_array_equal(Wa, Wb)       # NaN where train has NaN, the same numbers elsewhere


def test_one_batch_larger_than_data():
    X, y = lw.data.make_dataset("xor", 20, np.random.default_rng(2))
    a, b, ha, hb = _both([2, 4, 2], X, y, lr=0.1, epochs=2, batch_size=64)
    _assert_same(a, b, ha, hb)


def test_rejects_what_train_rejects():
    params = lw.init_params([2, 3, 2], np.random.default_rng(0))
    X, y = np.zeros((4, 2)), np.array([0, 1, 0, 1])
    with pytest.raises(ValueError, match=r"lr \(learning rate\) must be a positive finite number, got 0.0"):
        train_preallocated(params, X, y, rng=np.random.default_rng(0), lr=0.0)
    with pytest.raises(TypeError, match="rng must be a numpy Generator"):
        train_preallocated(params, X, y, rng=0)
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 2\), got 2"):
        train_preallocated(params, X, np.array([0, 1, 2, 1]), rng=np.random.default_rng(0))
