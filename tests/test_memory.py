"""Tests of layerwise.memory: bytes predicted from the shapes equal the bytes the caches really hold
(the note's claim 9), and both equal a count by hand."""

import numpy as np
import pytest

from layerwise import cache_nbytes, forward, init_params, minimum_cache_bytes, predicted_cache_bytes


def test_hand_count():
    # sizes [3, 5, 4, 2], n = 7: hidden layers keep Z and H of widths 5 and 4, i.e. 2·7·(5 + 4) = 126
    # numbers; 8 bytes each in float64 (1008), 4 in float32 (504). The input and the output are not counted.
    assert predicted_cache_bytes([3, 5, 4, 2], 7) == 1008
    assert predicted_cache_bytes([3, 5, 4, 2], 7, np.float32) == 504
    params = init_params([3, 5, 4, 2], np.random.default_rng(80))
    _, caches = forward(params, np.ones((7, 3)), "relu")
    assert cache_nbytes(caches) == 1008
    assert cache_nbytes(caches, include_input=True) == 1008 + 7 * 3 * 8


def test_minimum_by_hand():
    # H alone for the hidden widths 5 and 4: 7 · (5 + 4) = 63 numbers, 504 bytes in float64, 252 in
    # float32; nothing at all for a linear model, which has no hidden layer.
    assert minimum_cache_bytes([3, 5, 4, 2], 7) == 504
    assert minimum_cache_bytes([3, 5, 4, 2], 7, np.float32) == 252
    assert minimum_cache_bytes([3, 2], 7) == 0
    with pytest.raises(ValueError, match="layer width must be >= 1, got 0"):
        minimum_cache_bytes([3, 0, 2], 7)


def test_a_linear_model_keeps_nothing_but_its_input():
    params = init_params([4, 3], np.random.default_rng(81))
    X = np.ones((10, 4))
    _, caches = forward(params, X, "relu")
    assert predicted_cache_bytes([4, 3], 10) == 0 == cache_nbytes(caches)
    assert cache_nbytes(caches, include_input=True) == X.nbytes


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_prediction_equals_what_the_caches_hold(activation, dtype):
    rng = np.random.default_rng(82)
    for _ in range(20):
        sizes = [int(k) for k in rng.integers(1, 40, size=rng.integers(2, 7))]
        n = int(rng.integers(1, 64))
        params = init_params(sizes, rng, dtype=dtype)
        _, caches = forward(params, rng.normal(size=(n, sizes[0])), activation)
        assert cache_nbytes(caches) == predicted_cache_bytes(sizes, n, dtype)
        # Independently: every hidden layer's Z and H as arrays of n × width numbers.
        by_hand = sum(c.Z.size * c.Z.itemsize + caches[l + 1].linear[0].nbytes
                      for l, c in enumerate(caches) if c.Z is not None)
        assert cache_nbytes(caches) == by_hand


def test_identity_activation_shares_Z_and_H():
    """With the identity, H^(l) is the very array Z^(l), so the caches hold half the prediction:
    predicted_cache_bytes counts what a nonlinear σ needs, cache_nbytes counts distinct arrays."""
    params = init_params([3, 5, 4, 2], np.random.default_rng(83))
    _, caches = forward(params, np.ones((7, 3)), "identity")
    assert caches[1].linear[0] is caches[0].Z
    assert cache_nbytes(caches) == predicted_cache_bytes([3, 5, 4, 2], 7) // 2


def test_bytes_grow_linearly_with_the_batch():
    sizes = [8, 16, 16, 4]
    assert predicted_cache_bytes(sizes, 64) == 64 * predicted_cache_bytes(sizes, 1)


@pytest.mark.parametrize("sizes, n, error, fragment", [
    ([3, 0, 2], 5, ValueError, "layer width must be >= 1, got 0"),
    ([3, 4, 2], 0, ValueError, "n must be >= 1, got 0"),
    ([3, 4, 2], 2.5, TypeError, "n must be an integer"),
])
def test_bad_arguments_are_rejected(sizes, n, error, fragment):
    with pytest.raises(error, match=fragment):
        predicted_cache_bytes(sizes, n)
