"""Tests of layerwise.mlp.MLP: a thin class that must agree with the functions it wraps."""

import numpy as np
import pytest

from layerwise import MLP, backward, forward, init_params, softmax_cross_entropy, train
from layerwise.data import make_moons


def test_parameters_match_init_params_with_the_same_seed():
    model = MLP([3, 5, 2], "tanh", "xavier", rng=np.random.default_rng(70))
    expected = init_params([3, 5, 2], np.random.default_rng(70), init="xavier")
    for (W, b), (W0, b0) in zip(model.params, expected):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)


def test_n_params_counted_by_hand():
    # (2 + 1)·3 + (3 + 1)·4 = 25 numbers: each layer has fan_in·fan_out weights and fan_out biases.
    assert MLP([2, 3, 4], rng=np.random.default_rng(0)).n_params == 25
    assert MLP([64, 100, 10], rng=np.random.default_rng(0)).n_params == 65 * 100 + 101 * 10


def test_methods_agree_with_the_functions():
    rng = np.random.default_rng(71)
    model = MLP([2, 6, 3], "sigmoid", rng=rng)
    X, y = rng.normal(size=(9, 2)), rng.integers(0, 3, size=9)
    O, caches = model.forward(X)
    O_ref, caches_ref = forward(model.params, X, "sigmoid")
    np.testing.assert_array_equal(O, O_ref)
    dO = softmax_cross_entropy(O, y)[1]
    for (dW, db), (dW0, db0) in zip(model.backward(dO, caches), backward(dO, caches_ref)):
        np.testing.assert_array_equal(dW, dW0)
        np.testing.assert_array_equal(db, db0)
    np.testing.assert_array_equal(model.predict(X), O.argmax(axis=1))
    P = model.predict_proba(X)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-14)
    np.testing.assert_array_equal(P.argmax(axis=1), model.predict(X))
    assert model.score(X, y) == pytest.approx(np.mean(O.argmax(axis=1) == y))


def test_fit_trains_in_place_and_improves():
    X, y = make_moons(200, np.random.default_rng(72))
    model = MLP([2, 16, 2], rng=np.random.default_rng(73))
    W_first = model.params[0][0]
    before = model.score(X, y)
    history = model.fit(X, y, rng=np.random.default_rng(74), lr=0.5, epochs=30, batch_size=20)
    assert model.params[0][0] is W_first
    assert len(history.loss) == 30 and history.loss[-1] < history.loss[0]
    assert model.score(X, y) > max(before, 0.85)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "identity"])
def test_fit_trains_with_the_models_activation(activation):
    """fit is train on the model's own params and activation: the same seeds give the same numbers."""
    X, y = make_moons(60, np.random.default_rng(78))
    model = MLP([2, 5, 2], activation, rng=np.random.default_rng(79))
    params = init_params([2, 5, 2], np.random.default_rng(79))
    history = model.fit(X, y, rng=np.random.default_rng(80), lr=0.3, epochs=3, batch_size=16)
    expected = train(params, X, y, rng=np.random.default_rng(80), activation=activation, lr=0.3, epochs=3,
                     batch_size=16)
    assert history.loss == expected.loss
    for (W, b), (W0, b0) in zip(model.params, params):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)


def test_float32_model_stays_float32():
    X, y = make_moons(40, np.random.default_rng(75))
    model = MLP([2, 4, 2], rng=np.random.default_rng(76), dtype=np.float32)
    model.fit(X, y, rng=np.random.default_rng(77), epochs=2)
    assert all(W.dtype == np.float32 and b.dtype == np.float32 for W, b in model.params)
    assert model.forward(X)[0].dtype == np.float32


def test_repr_names_sizes_and_activation():
    assert repr(MLP([2, 3, 2], "tanh", rng=np.random.default_rng(0))) == "MLP(sizes=[2, 3, 2], activation='tanh')"


@pytest.mark.parametrize("args, kwargs, error, fragment", [
    (([2, 0, 2],), {}, ValueError, r"sizes\[1\] \(layer width\) must be >= 1, got 0"),
    (([2, -3, 2],), {}, ValueError, r"must be >= 1, got -3"),
    (([2, 3, 2], "swish"), {}, ValueError, "unknown activation 'swish'; known activations: identity, relu, sigmoid, tanh"),
    (([2, 3, 2], "relu", "uniform"), {}, ValueError, "unknown init 'uniform'; known inits: he, normal, xavier"),
    (([2, 3, 2],), {"rng": 42}, TypeError, "rng must be a numpy Generator"),
])
def test_bad_arguments_are_rejected(args, kwargs, error, fragment):
    kwargs = {"rng": np.random.default_rng(0), **kwargs}
    with pytest.raises(error, match=fragment):
        MLP(*args, **kwargs)


def test_rng_is_required():
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument: 'rng'"):
        MLP([2, 3, 2])
