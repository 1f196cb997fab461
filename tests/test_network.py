"""Tests of layerwise.network: forward against a loop reference, backward against centred differences
on random depths, widths, batch sizes and every activation, the caches, claim 4, bad input, dtype."""

import numpy as np
import pytest

from layerwise import (LayerCache, backward, forward, forward_inference, get_activation, init_params,
                       linear_forward, numerical_gradient, softmax_cross_entropy)
from tolerances import rounding_floor

ACTIVATIONS = ["sigmoid", "tanh", "relu", "identity"]
H_STEP = 1e-5
KINK_MARGIN = 1e-3       # 100 h: a perturbation of ±h moves a pre-activation by far less than this
# Relative tolerance of backward against centred differences. The loss is smooth between kinks; per
# entry the difference errs by h²|ℓ⁽³⁾|/6 ≈ 1e-11 plus rounding c·ε·|ℓ|/h, and the rounding part is
# what `rounding_floor` adds as an absolute allowance: it dominates only for the rare tiny gradients
# (sigmoid networks with width-1 layers reach ‖dW‖ ≈ 4e-5, where the relative error is 1.8e-7).
# Observed worst relative error apart from those: 2.7e-9 (identity); 1e-8 keeps a 4× margin.
GRAD_TOL = 1e-8


def random_network(rng, depth=None, dtype=np.float64):
    """params for sizes [d, h_1, ..., p] (depth L in [1, 4], widths in [1, 8], p in [2, 8]) with
    random, non-zero biases, plus X: (n, d) with n in [1, 8] and labels y."""
    L = depth if depth is not None else int(rng.integers(1, 5))
    sizes = [int(k) for k in rng.integers(1, 9, size=L)] + [int(rng.integers(2, 9))]
    params = [(W, rng.normal(0, 0.5, size=b.shape).astype(dtype))
              for W, b in init_params(sizes, rng, init="xavier", dtype=dtype)]
    n = int(rng.integers(1, 9))
    X = rng.normal(size=(n, sizes[0])).astype(dtype)
    y = rng.integers(0, sizes[-1], size=n)
    return sizes, params, X, y


def reference_forward(params, X, activation):
    """O computed one example and one unit at a time with Python sums: independent of the matrix code."""
    f, _ = get_activation(activation)
    out = []
    for x in X.tolist():
        h = x
        for l, (W, b) in enumerate(params, start=1):
            z = [sum(h[i] * W[i, j] for i in range(len(h))) + b[j] for j in range(W.shape[1])]
            h = z if l == len(params) else [float(f(np.array(v))) for v in z]
        out.append(h)
    return np.array(out)


# --- forward -------------------------------------------------------------------------------------

def test_forward_by_hand():
    # Z1 = X W1 + b1 = [[1, −2]] → H1 = relu = [[1, 0]] → O = H1 W2 + b2 = [[1·3 + 0·5 + 1]] = [[4]].
    W1, b1 = np.array([[1.0, -1.0], [0.0, -1.0]]), np.array([0.0, 0.0])
    W2, b2 = np.array([[3.0], [5.0]]), np.array([1.0])
    X = np.array([[1.0, 1.0]])
    O, caches = forward([(W1, b1), (W2, b2)], X, "relu")
    np.testing.assert_array_equal(O, [[4.0]])
    np.testing.assert_array_equal(caches[0].Z, [[1.0, -2.0]])
    np.testing.assert_array_equal(caches[1].linear[0], [[1.0, 0.0]])


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_forward_matches_a_loop_reference(activation):
    rng = np.random.default_rng(20)
    for _ in range(5):
        _, params, X, _ = random_network(rng)
        O, _ = forward(params, X, activation)
        np.testing.assert_allclose(O, reference_forward(params, X, activation), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(forward_inference(params, X, activation), O, rtol=1e-14, atol=1e-15)


def test_caches_hold_what_backward_needs():
    rng = np.random.default_rng(21)
    params = init_params([3, 4, 5, 2], rng)
    X = rng.normal(size=(6, 3))
    O, caches = forward(params, X, "tanh")
    assert len(caches) == 3 and all(isinstance(c, LayerCache) for c in caches)
    assert caches[0].linear[0] is X                          # H^(0) = X, not a copy
    for l, (cache, (W, b)) in enumerate(zip(caches, params), start=1):
        assert cache.linear[1] is W
        if l < 3:
            assert cache.activation == "tanh"
            np.testing.assert_allclose(cache.Z, cache.linear[0] @ W + b)
            np.testing.assert_allclose(caches[l].linear[0], np.tanh(cache.Z))   # H^(l) = σ(Z^(l))
    assert caches[-1].Z is None and caches[-1].activation is None           # O = Z^(L), no σ
    np.testing.assert_allclose(O, caches[-1].linear[0] @ params[-1][0] + params[-1][1])


def test_without_activation_a_deep_network_is_one_linear_layer():
    """The note's claim 4: with the identity as σ, L layers collapse into W = W1 W2 ... WL and one b."""
    rng = np.random.default_rng(22)
    params = init_params([3, 6, 5, 4, 2], rng)
    params = [(W, rng.normal(size=b.shape)) for W, b in params]
    W, b = params[0]
    for W_next, b_next in params[1:]:
        W, b = W @ W_next, b @ W_next + b_next               # (H W + b) W' + b' = H (W W') + (b W' + b')
    X = rng.normal(size=(7, 3))
    np.testing.assert_allclose(forward(params, X, "identity")[0], linear_forward(X, W, b)[0], rtol=1e-12)


# --- backward against centred differences --------------------------------------------------------

def _kink_distance(caches):
    """Smallest |Z| over the hidden layers: how close the draw is to a ReLU kink."""
    hidden = [np.abs(c.Z).min() for c in caches if c.Z is not None]
    return min(hidden) if hidden else np.inf


def test_kink_detector_sees_a_pre_activation_at_zero():
    # The redraw rule below is only honest if it fires: here Z^(1) = X W1 + b1 has an exact 0.
    params = [(np.array([[1.0, -1.0]]), np.array([0.0, 1.0])), (np.ones((2, 2)), np.zeros(2))]
    _, caches = forward(params, np.array([[0.0], [2.0]]), "relu")
    assert _kink_distance(caches) == 0.0
    _, caches = forward(params, np.array([[0.5], [2.0]]), "relu")
    assert _kink_distance(caches) == 0.5
    assert _kink_distance(forward(params[1:], np.ones((1, 2)), "relu")[1]) == np.inf   # no hidden layer


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_backward_matches_numerical_gradient(activation, gradlog):
    """Every dW, db of 50 random networks (depth 1–4, widths 1–8, batch 1–8) against centred differences.

    ReLU draws with a hidden |Z| below KINK_MARGIN are redrawn and counted (the count must stay small);
    the loss used for the differences also records whether any ReLU pattern changed, which would mean
    the margin was too small, and that fails the test rather than passing by luck.
    The largest relative errors (~2e-7) come from sigmoid networks with width-1 layers, where ‖dW‖ is
    about 4e-5: there the rounding of the centred difference itself (ε·loss/h ≈ 2e-11 per entry)
    dominates, which the check allows for with `rounding_floor` and no more.
    """
    rng = np.random.default_rng(30 + ACTIVATIONS.index(activation))
    check = f"network.backward ({activation})"
    n_draws = 50
    for _ in range(n_draws):
        gradlog.draws[check] += 1
        sizes, params, X, y = random_network(rng)
        O, caches = forward(params, X, activation)
        while activation == "relu" and _kink_distance(caches) < KINK_MARGIN:
            gradlog.redraws[check] += 1
            sizes, params, X, y = random_network(rng)
            O, caches = forward(params, X, activation)
        masks = [c.Z > 0 for c in caches if c.Z is not None]
        crossed = []

        def loss(_):
            O_h, caches_h = forward(params, X, activation)
            crossed.append(any(((c.Z > 0) != m).any() for c, m in zip(caches_h, masks)))
            return softmax_cross_entropy(O_h, y)[0]

        loss0, dO = softmax_cross_entropy(O, y)
        grads = backward(dO, caches)
        assert len(grads) == len(params)
        for l, ((W, b), (dW, db)) in enumerate(zip(params, grads), start=1):
            assert dW.shape == W.shape and db.shape == b.shape
            gradlog.check(check, dW, numerical_gradient(loss, W, h=H_STEP), GRAD_TOL, rounding_floor(W.size, loss0))
            gradlog.check(check, db, numerical_gradient(loss, b, h=H_STEP), GRAD_TOL, rounding_floor(b.size, loss0))
        if activation == "relu":
            assert not any(crossed), "a ±h perturbation crossed a ReLU kink: KINK_MARGIN is too small"
    assert gradlog.redraws[check] <= n_draws // 10


def test_backward_calls_on_layer_from_the_top_down():
    rng = np.random.default_rng(23)
    params = init_params([2, 5, 4, 3], rng)
    X = rng.normal(size=(6, 2))
    O, caches = forward(params, X, "relu")
    dO = softmax_cross_entropy(O, np.array([0, 1, 2, 0, 1, 2]))[1]
    seen = []
    grads = backward(dO, caches, on_layer=lambda l, dZ, dW, db: seen.append((l, dZ, dW, db)))
    assert [s[0] for s in seen] == [3, 2, 1]
    np.testing.assert_array_equal(seen[0][1], dO)                  # dZ^(L) = dO
    for l, dZ, dW, db in seen:
        assert dZ.shape == (6, params[l - 1][0].shape[1])
        assert dW is grads[l - 1][0] and db is grads[l - 1][1]
        np.testing.assert_allclose(db, dZ.sum(axis=0))


def test_backward_does_not_modify_dO():
    rng = np.random.default_rng(24)
    params = init_params([2, 3, 2], rng)
    O, caches = forward(params, rng.normal(size=(4, 2)), "sigmoid")
    dO = rng.normal(size=O.shape)
    before = dO.copy()
    backward(dO, caches)
    np.testing.assert_array_equal(dO, before)


# --- dtype ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_float32_stays_float32_through_forward_and_backward(activation):
    rng = np.random.default_rng(25)
    _, params, X, y = random_network(rng, depth=3, dtype=np.float32)
    O, caches = forward(params, X, activation)
    assert O.dtype == np.float32
    assert all(c.Z.dtype == np.float32 for c in caches if c.Z is not None)
    assert all(c.linear[0].dtype == np.float32 for c in caches)
    _, dO = softmax_cross_entropy(O, y)
    assert dO.dtype == np.float32
    for dW, db in backward(dO, caches):
        assert dW.dtype == np.float32 and db.dtype == np.float32
    assert forward_inference(params, X, activation).dtype == np.float32


def test_float64_input_is_cast_to_float32_parameters():
    params = init_params([2, 3, 2], np.random.default_rng(26), dtype=np.float32)
    O, caches = forward(params, np.ones((4, 2)), "relu")
    assert O.dtype == np.float32 and caches[0].linear[0].dtype == np.float32


def test_integer_input_is_accepted_as_numbers():
    params = init_params([2, 3, 2], np.random.default_rng(27))
    O, _ = forward(params, np.array([[1, 2], [3, 4]]), "relu")
    np.testing.assert_allclose(O, forward(params, np.array([[1.0, 2.0], [3.0, 4.0]]), "relu")[0])


# --- bad input -----------------------------------------------------------------------------------

PARAMS = init_params([2, 3, 2], np.random.default_rng(28))


@pytest.mark.parametrize("fn", [forward, forward_inference])
@pytest.mark.parametrize("X, error, fragment", [
    (np.ones((4, 3)), ValueError, "X has 3 columns but the network expects 2 inputs"),
    (np.ones((4, 1)), ValueError, "X has 1 columns but the network expects 2 inputs"),
    (np.ones(2), ValueError, r"X must be a 2-D array \(rows are examples\), got 1-D array of shape \(2,\)"),
    (np.ones((4, 2, 1)), ValueError, "X must be a 2-D array .rows are examples., got 3-D"),
    (np.array([["a", "b"]]), TypeError, "X must be a numeric array, got dtype <U1"),
    (np.array([[1.0, 2.0]], dtype=object), TypeError, "X must be a numeric array, got dtype object"),
    (np.array([[1.0, np.nan]]), ValueError, "X contains NaN or inf"),
    (np.array([[np.inf, 1.0]]), ValueError, "X contains NaN or inf"),
    (np.array([[1.0, -np.inf]]), ValueError, "X contains NaN or inf"),
])
def test_bad_X_is_rejected(fn, X, error, fragment):
    with pytest.raises(error, match=fragment):
        fn(PARAMS, X, "relu")


@pytest.mark.parametrize("fn", [forward, forward_inference])
def test_unknown_activation_is_rejected(fn):
    with pytest.raises(ValueError, match="unknown activation 'softmax'; known activations: identity, relu, sigmoid, tanh"):
        fn(PARAMS, np.ones((1, 2)), "softmax")


@pytest.mark.parametrize("params, error, fragment", [
    ([], TypeError, "non-empty list of .W, b. pairs"),
    ((np.ones((2, 3)), np.zeros(3)), TypeError, r"params\[0\] must be a \(W, b\) pair"),
    ([(np.ones((2, 3)), np.zeros((4, 3)))], ValueError, r"layer 1: expected W .fan_in, fan_out. and b .fan_out,."),
    ([(np.ones((2, 3)), np.zeros(2))], ValueError, r"layer 1: b has shape \(2,\) but W has 3 outputs"),
    ([(np.ones((2, 3)), np.zeros(3)), (np.ones((4, 2)), np.zeros(2))], ValueError,
     "layer 2: W expects 4 inputs but layer 1 has 3 outputs"),
    ([(np.ones((2, 3)), np.zeros(3, dtype=np.float32))], TypeError, "must share one floating dtype"),
    ([(np.ones((2, 3), dtype=int), np.zeros(3, dtype=int))], TypeError, "must share one floating dtype"),
])
def test_bad_params_are_rejected(params, error, fragment):
    with pytest.raises(error, match=fragment):
        forward(params, np.ones((4, 2)), "relu")


def plain_numpy_gradients(params, X, y, activation):
    """Loss and [(dW, db), ...] written as the plain NumPy formulas of chapters/backpropagation, one
    expression each, with no layerwise code but σ and σ': O = H W + b, log-softmax with the row maximum
    subtracted, dO = (exp(log P) − one_hot(y)) / n, dZ = dH ⊙ σ'(Z), dW = Hᵀ dZ, db = Σ dZ, dH = dZ Wᵀ."""
    f, f_grad = get_activation(activation)
    Hs, Zs = [X], []
    for l, (W, b) in enumerate(params, start=1):
        Z = Hs[-1] @ W + b
        Zs.append(Z)
        if l < len(params):
            Hs.append(f(Z))
    shifted = Z - Z.max(axis=1, keepdims=True)
    logP = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n, rows = X.shape[0], np.arange(X.shape[0])
    loss = -logP[rows, y].sum() / n
    dZ = np.exp(logP)
    dZ[rows, y] -= 1
    dZ /= n
    grads = [None] * len(params)
    for l in range(len(params), 0, -1):
        W = params[l - 1][0]
        grads[l - 1] = (Hs[l - 1].T @ dZ, dZ.sum(axis=0))
        if l > 1:
            dZ = (dZ @ W.T) * f_grad(Zs[l - 2])
    return float(loss), grads


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gradients_equal_the_plain_numpy_formulas_bit_for_bit(activation, dtype):
    """The speed-ups of the package (bias added in place, logits checked once, checks skipped inside
    train) must not move a gradient by one rounding: forward, softmax_cross_entropy and backward give
    exactly the numbers of the formulas written out plainly, on 40 random networks."""
    rng = np.random.default_rng(41)
    for _ in range(40):
        _, params, X, y = random_network(rng, dtype=dtype)
        O, caches = forward(params, X, activation)
        loss, dO = softmax_cross_entropy(O, y)
        grads = backward(dO, caches)
        expected_loss, expected = plain_numpy_gradients(params, X, y, activation)
        assert loss == expected_loss
        for (dW, db), (eW, eb) in zip(grads, expected):
            assert dW.dtype == eW.dtype == dtype
            np.testing.assert_array_equal(dW, eW)
            np.testing.assert_array_equal(db, eb)
