"""Tests of layerwise.training: sgd_step, minibatches, evaluate, the training loop, divergence, and
what training reaches: an MLP fits a spiral and the digits, a linear model cannot (claim 4)."""

import math
import warnings

import numpy as np
import pytest

from layerwise import MLP, evaluate, init_params, iterate_minibatches, sgd_step, train
from layerwise.data import load_digits, make_spirals, make_xor, train_test_split


# --- sgd_step ------------------------------------------------------------------------------------

def test_sgd_step_subtracts_exactly_lr_times_the_gradient_in_place():
    rng = np.random.default_rng(40)
    # Parameters, gradients and lr that are small dyadic fractions: W − lr·dW is then exact in
    # floating point, so the update must equal it bit for bit.
    params = [(rng.integers(-16, 16, size=(3, 4)) / 8, rng.integers(-16, 16, size=4) / 8),
              (rng.integers(-16, 16, size=(4, 2)) / 8, rng.integers(-16, 16, size=2) / 8)]
    before = [(W.copy(), b.copy()) for W, b in params]
    objects = [(id(W), id(b)) for W, b in params]
    grads = [(rng.integers(-8, 8, size=W.shape) / 4, rng.integers(-8, 8, size=b.shape) / 4) for W, b in params]
    out = sgd_step(params, grads, 0.5)
    assert out is params
    assert [(id(W), id(b)) for W, b in params] == objects          # updated in place, not replaced
    for (W, b), (W0, b0), (dW, db) in zip(params, before, grads):
        np.testing.assert_array_equal(W0 - W, 0.5 * dW)
        np.testing.assert_array_equal(b0 - b, 0.5 * db)


def test_sgd_step_keeps_float32():
    params = init_params([2, 3], np.random.default_rng(41), dtype=np.float32)
    grads = [(np.ones((2, 3), dtype=np.float32), np.ones(3, dtype=np.float32))]
    sgd_step(params, grads, 0.1)
    assert params[0][0].dtype == np.float32 and params[0][1].dtype == np.float32
    np.testing.assert_allclose(params[0][1], np.full(3, -0.1, dtype=np.float32))


@pytest.mark.parametrize("lr", [0, -0.1, math.nan, math.inf])
def test_sgd_step_rejects_bad_learning_rates(lr):
    params = init_params([2, 3], np.random.default_rng(42))
    with pytest.raises(ValueError, match="lr .learning rate. must be a positive finite number"):
        sgd_step(params, [(np.zeros((2, 3)), np.zeros(3))], lr)


@pytest.mark.parametrize("lr", ["0.1", None, np.array([0.1, 0.2]), True])
def test_sgd_step_rejects_a_learning_rate_that_is_not_a_number(lr):
    params = init_params([2, 3], np.random.default_rng(42))
    with pytest.raises(TypeError, match="lr .learning rate. must be a positive finite number, got "):
        sgd_step(params, [(np.zeros((2, 3)), np.zeros(3))], lr)
    np.testing.assert_array_equal(params[0][1], 0.0)


def test_sgd_step_needs_one_gradient_pair_per_layer():
    params = init_params([2, 3, 2], np.random.default_rng(43))
    with pytest.raises(ValueError, match="gradients for 1 layers but params has 2"):
        sgd_step(params, [(np.zeros((2, 3)), np.zeros(3))], 0.1)


# --- minibatches ---------------------------------------------------------------------------------

@pytest.mark.parametrize("n, batch_size", [(10, 3), (12, 4), (1, 5), (7, 1), (100, 32)])
def test_minibatches_cover_every_index_exactly_once(n, batch_size):
    batches = list(iterate_minibatches(n, batch_size, np.random.default_rng(44)))
    assert [len(b) for b in batches] == [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
    np.testing.assert_array_equal(np.sort(np.concatenate(batches)), np.arange(n))


def test_minibatches_are_shuffled_and_reproducible():
    one = np.concatenate(list(iterate_minibatches(50, 8, np.random.default_rng(45))))
    again = np.concatenate(list(iterate_minibatches(50, 8, np.random.default_rng(45))))
    other = np.concatenate(list(iterate_minibatches(50, 8, np.random.default_rng(46))))
    np.testing.assert_array_equal(one, again)
    assert not np.array_equal(one, np.arange(50)) and not np.array_equal(one, other)


def test_minibatches_need_a_generator():
    with pytest.raises(TypeError, match="rng must be a numpy Generator"):
        list(iterate_minibatches(10, 2, 0))


# --- evaluate ------------------------------------------------------------------------------------

def test_evaluate_against_a_reference():
    rng = np.random.default_rng(47)
    params = init_params([2, 5, 3], rng)
    X, y = rng.normal(size=(20, 2)), rng.integers(0, 3, size=20)
    loss, acc = evaluate(params, X, y, "tanh")
    O = np.tanh(X @ params[0][0] + params[0][1]) @ params[1][0] + params[1][1]
    ref = np.mean([math.log(sum(math.exp(v) for v in row)) - row[k] for row, k in zip(O.tolist(), y)])
    assert loss == pytest.approx(ref, rel=1e-12)
    assert acc == pytest.approx(np.mean(O.argmax(axis=1) == y))


# --- the training loop ---------------------------------------------------------------------------

def _spiral(n=300, seed=0):
    return make_spirals(n, np.random.default_rng(seed))


def test_train_records_one_entry_per_epoch_and_calls_back():
    X, y = _spiral(90)
    params = init_params([2, 16, 3], np.random.default_rng(48))
    seen = []
    history = train(params, X, y, rng=np.random.default_rng(49), lr=0.5, epochs=7, batch_size=16,
                    X_val=X[:30], y_val=y[:30], callback=lambda epoch, h: seen.append((epoch, len(h.loss))))
    assert seen == [(e, e) for e in range(1, 8)]
    assert history.epoch == list(range(1, 8))
    assert len(history.loss) == len(history.accuracy) == len(history.val_loss) == len(history.val_accuracy) == 7
    assert not history.diverged and history.message == ""
    assert history.loss[-1] < history.loss[0]
    assert all(0 <= a <= 1 for a in history.accuracy + history.val_accuracy)
    # The recorded validation numbers are those of evaluate on the final parameters.
    assert (history.val_loss[-1], history.val_accuracy[-1]) == pytest.approx(evaluate(params, X[:30], y[:30]))


def test_train_is_reproducible_with_the_same_seeds():
    X, y = _spiral(60)
    runs = []
    for _ in range(2):
        params = init_params([2, 8, 3], np.random.default_rng(50))
        runs.append((train(params, X, y, rng=np.random.default_rng(51), epochs=3).loss, params[0][0]))
    assert runs[0][0] == runs[1][0]
    np.testing.assert_array_equal(runs[0][1], runs[1][1])


def test_progress_prints_about_ten_lines(capsys):
    X, y = _spiral(30)
    params = init_params([2, 4, 3], np.random.default_rng(52))
    train(params, X, y, rng=np.random.default_rng(53), epochs=40, batch_size=30, progress=True)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 10
    assert lines[0].startswith("epoch  4/40  loss") and lines[-1].startswith("epoch 40/40")


def test_train_without_progress_prints_nothing(capsys):
    X, y = _spiral(30)
    train(init_params([2, 4, 3], np.random.default_rng(54)), X, y, rng=np.random.default_rng(55), epochs=2)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("activation, lr", [("identity", 1e3), ("identity", 1e30), ("relu", 1e300)])
def test_train_stops_and_says_so_when_it_diverges(activation, lr):
    X, y = _spiral(300)
    params = init_params([2, 32, 3], np.random.default_rng(1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # divergence is reported in the history, not by warnings
        history = train(params, X, y, rng=np.random.default_rng(1), activation=activation, lr=lr, epochs=20)
    assert history.diverged
    assert "too large (training diverged)" in history.message and f"learning rate {lr}" in history.message
    assert len(history.loss) < 20                  # it stopped early
    assert all(np.isfinite(history.loss))         # only completed epochs are recorded


def test_divergence_message_is_printed_with_progress(capsys):
    X, y = _spiral(90)
    params = init_params([2, 8, 3], np.random.default_rng(2))
    history = train(params, X, y, rng=np.random.default_rng(2), activation="identity", lr=1e6, epochs=50,
                    progress=True)
    assert history.diverged and history.message in capsys.readouterr().out


def test_train_keeps_float32():
    X, y = _spiral(60)
    params = init_params([2, 8, 3], np.random.default_rng(56), dtype=np.float32)
    objects = [id(W) for W, _ in params]
    train(params, X, y, rng=np.random.default_rng(57), epochs=2, batch_size=16)
    assert [id(W) for W, _ in params] == objects
    assert all(W.dtype == np.float32 and b.dtype == np.float32 for W, b in params)


@pytest.mark.parametrize("kwargs, y, error, fragment", [
    ({}, np.zeros(59, dtype=int), ValueError, "59 labels but there are 60 rows"),
    ({}, np.full(60, 3), ValueError, r"labels must lie in \[0, 3\), got 3"),
    ({}, np.full(60, -1), ValueError, "got -1"),
    ({}, np.zeros(60), TypeError, "integer class labels"),
    ({"rng": 0}, None, TypeError, "rng must be a numpy Generator"),
    ({"epochs": 0}, None, ValueError, "epochs must be >= 1"),
    ({"batch_size": 0}, None, ValueError, "batch_size must be >= 1"),
    ({"lr": 0.0}, None, ValueError, "lr .learning rate. must be a positive finite number, got 0.0"),
    ({"activation": "step"}, None, ValueError, "unknown activation 'step'"),
])
def test_train_rejects_bad_arguments(kwargs, y, error, fragment):
    X, y_good = _spiral(60)
    params = init_params([2, 4, 3], np.random.default_rng(58))
    args = {"rng": np.random.default_rng(59), **kwargs}
    with pytest.raises(error, match=fragment):
        train(params, X, y_good if y is None else y, **args)


# --- what training reaches -----------------------------------------------------------------------

def test_mlp_fits_the_three_class_spiral():
    X, y = _spiral(300)
    model = MLP([2, 64, 64, 3], "relu", rng=np.random.default_rng(1))
    history = model.fit(X, y, rng=np.random.default_rng(2), lr=0.5, epochs=200, batch_size=32)
    assert not history.diverged
    assert model.score(X, y) >= 0.97


def test_mlp_reaches_95_percent_on_held_out_digits():
    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, np.random.default_rng(0))
    model = MLP([64, 100, 10], "relu", rng=np.random.default_rng(1))
    model.fit(X_train, y_train, rng=np.random.default_rng(11), lr=0.5, epochs=60, batch_size=64)
    assert model.score(X_test, y_test) >= 0.95


@pytest.mark.parametrize("make, p, ceiling", [(make_spirals, 3, 0.6), (make_xor, 2, 0.76)])
def test_a_linear_model_cannot_separate_spiral_or_xor(make, p, ceiling):
    """The note's claim 4: without a hidden layer and activation, the model is linear, and its
    decision regions are half-planes (p = 2) or convex cells (p = 3): neither fits these data.

    XOR: a line puts at most 3 of the 4 corner clusters on their correct side, so accuracy <= ~0.75.
    Spiral: each arm winds through every direction, so the accuracy stays near chance (1/3).
    The same data with one hidden layer reaches >= 0.97, so the failure is the model, not the training.
    """
    X, y = make(300, np.random.default_rng(0))
    linear = MLP([2, p], rng=np.random.default_rng(1))
    linear.fit(X, y, rng=np.random.default_rng(2), lr=0.5, epochs=100, batch_size=32)
    assert linear.score(X, y) <= ceiling
    deep = MLP([2, 64, 64, p], "relu", rng=np.random.default_rng(1))
    deep.fit(X, y, rng=np.random.default_rng(2), lr=0.5, epochs=200, batch_size=32)
    assert deep.score(X, y) >= 0.97


def test_a_deep_network_without_activation_is_still_linear_on_the_spiral():
    """Claim 4 again: stacking layers with the identity as σ does not help (it is one linear map)."""
    X, y = _spiral(300)
    model = MLP([2, 64, 64, 3], "identity", rng=np.random.default_rng(1))
    model.fit(X, y, rng=np.random.default_rng(2), lr=0.05, epochs=100, batch_size=32)
    assert model.score(X, y) <= 0.6


@pytest.mark.parametrize("dW, db", [
    (np.ones(3), np.ones(3)),               # a row of W's width would broadcast over every row
    (np.ones((1, 3)), np.ones(3)),
    (np.ones((2, 3)), np.ones((2, 3))),     # a per-example bias gradient, not summed
    (np.ones((3, 2)), np.ones(3)),          # transposed
])
def test_sgd_step_rejects_gradients_of_the_wrong_shape_before_updating(dW, db):
    params = init_params([4, 2, 3], np.random.default_rng(44))
    before = [W.copy() for W, _ in params]
    grads = [(np.ones((4, 2)), np.ones(2)), (dW, db)]
    with pytest.raises(ValueError, match=r"layer 2: gradients of shapes .* do not match W \(2, 3\) and b \(3,\)"):
        sgd_step(params, grads, 0.1)
    for (W, _), W0 in zip(params, before):
        np.testing.assert_array_equal(W, W0)          # nothing was half updated


@pytest.mark.parametrize("n, batch_size, error, fragment", [
    (10, 0, ValueError, "batch_size must be >= 1, got 0"),
    (10, 2.5, TypeError, "batch_size must be an integer"),
    (0, 4, ValueError, "n must be >= 1, got 0"),
])
def test_minibatches_reject_bad_sizes(n, batch_size, error, fragment):
    with pytest.raises(error, match=fragment):
        list(iterate_minibatches(n, batch_size, np.random.default_rng(0)))


@pytest.mark.parametrize("X_val, y_val, error, fragment", [
    (np.ones((5, 2)), None, ValueError, "X_val and y_val must be given together"),
    (None, np.zeros(5, dtype=int), ValueError, "X_val and y_val must be given together"),
    (np.ones((5, 2)), np.zeros(4, dtype=int), ValueError, "y_val has 4 labels but there are 5 rows"),
    (np.ones((5, 2)), np.full(5, 3), ValueError, r"labels must lie in \[0, 3\), got 3"),
    (np.ones((5, 3)), np.zeros(5, dtype=int), ValueError, "X has 3 columns but the network expects 2 inputs"),
])
def test_train_checks_validation_data_before_training(X_val, y_val, error, fragment):
    X, y = _spiral(60)
    params = init_params([2, 4, 3], np.random.default_rng(60))
    before = params[0][0].copy()
    with pytest.raises(error, match=fragment):
        train(params, X, y, rng=np.random.default_rng(61), X_val=X_val, y_val=y_val)
    np.testing.assert_array_equal(params[0][0], before)      # failed before any step


# --- what History records, checked against a replay ----------------------------------------------

def _replay(params, X, y, seed, activation, lr, epochs, batch_size):
    """train's loop written out again from the package's parts: per epoch, the size-weighted mean loss
    and the accuracy over the minibatches, as the parameters were when each batch was seen."""
    from layerwise import backward, forward, softmax_cross_entropy

    rng = np.random.default_rng(seed)
    losses, accuracies = [], []
    for _ in range(epochs):
        loss_sum, correct = 0.0, 0
        for idx in iterate_minibatches(len(y), batch_size, rng):
            O, caches = forward(params, X[idx], activation)
            loss, dO = softmax_cross_entropy(O, y[idx])
            loss_sum += loss * len(idx)
            correct += int((O.argmax(axis=1) == y[idx]).sum())
            sgd_step(params, backward(dO, caches), lr)
        losses.append(loss_sum / len(y))
        accuracies.append(correct / len(y))
    return losses, accuracies


@pytest.mark.parametrize("train_fn", ["train", "train_preallocated"])
def test_history_is_the_size_weighted_replay_and_validation_uses_the_activation(train_fn):
    """50 rows in batches of 16 (16, 16, 16 and 2): an unweighted mean of the batch losses, or an
    accuracy divided by the last batch, differs from the replay; tanh, not the default ReLU, must be
    used for the validation numbers, which must be evaluate's on the parameters after each epoch."""
    from layerwise.fast import train_preallocated

    fn = {"train": train, "train_preallocated": train_preallocated}[train_fn]
    X, y = _spiral(50, seed=3)
    X_val, y_val = _spiral(30, seed=4)
    params0 = init_params([2, 8, 3], np.random.default_rng(70))
    params = [(W.copy(), b.copy()) for W, b in params0]
    after_epoch = []
    history = fn(params, X, y, rng=np.random.default_rng(71), activation="tanh", lr=0.5, epochs=4, batch_size=16,
                 X_val=X_val, y_val=y_val,
                 callback=lambda epoch, h: after_epoch.append(evaluate(params, X_val, y_val, "tanh")))
    losses, accuracies = _replay(params0, X, y, 71, "tanh", 0.5, 4, 16)
    assert history.loss == pytest.approx(losses, rel=1e-12)
    assert history.accuracy == accuracies
    assert list(zip(history.val_loss, history.val_accuracy)) == after_epoch
    relu_numbers = evaluate(params, X_val, y_val, "relu")
    assert (history.val_loss[-1], history.val_accuracy[-1]) != relu_numbers   # the activation matters here


# --- divergence through the parameters while the loss is still finite ----------------------------

def _one_step_to(W):
    """A linear model (d = 1, p = 2) on one example x = 1 of class 0, with weights W: (1, 2).

    At W = [[−1.5e308, −1.5e308]] both logits are equal, the loss is ln 2 and dO = (−½, ½), so one
    step with lr = 1e308 gives W = [[−1.0e308, −2.0e308]]: the second weight overflows to −inf, the
    first stays finite, and b = (5e307, −5e307) stays finite. Nothing becomes +inf or NaN.
    """
    params = [(np.array(W, dtype=float), np.zeros(2))]
    return params, np.array([[1.0]]), np.array([0])


@pytest.mark.parametrize("train_fn", ["train", "train_preallocated"])
@pytest.mark.parametrize("case", ["+inf and -inf", "-inf only"])
def test_parameters_that_overflow_stop_training_in_epoch_1(train_fn, case):
    from layerwise.fast import train_preallocated

    fn = {"train": train, "train_preallocated": train_preallocated}[train_fn]
    if case == "-inf only":
        params, X, y = _one_step_to([[-1.5e308, -1.5e308]])
        lr = 1e308
    else:                                                   # a huge input and step: W ± ~1e600
        params, X, y = _one_step_to([[0.0, 0.0]])
        X, lr = X * 1e300, 1e300
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = fn(params, X, y, rng=np.random.default_rng(0), lr=lr, epochs=3, batch_size=4)
    W = params[0][0]
    if case == "-inf only":
        assert W[0, 1] == -np.inf and np.isfinite(W[0, 0]) and np.isfinite(params[0][1]).all()
    else:
        assert np.isposinf(W).any() and np.isneginf(W).any()
    assert history.diverged and history.epoch == [] and history.loss == []
    assert history.message.startswith("parameters became inf or NaN in epoch 1: the learning rate")


@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
@pytest.mark.parametrize("where", ["W", "b"])
def test_params_finite_sees_every_kind_of_non_finite_entry(bad, where):
    from layerwise.training import params_finite

    params = init_params([3, 4, 2], np.random.default_rng(72))
    assert params_finite(params)
    W, b = params[1]
    (W if where == "W" else b).flat[1] = bad               # one entry among finite ones
    assert not params_finite(params)


def test_params_finite_is_not_fooled_by_sums_that_overflow():
    """Finite entries near the largest float sum to inf: params_finite must still say finite
    (its one-sum-per-array shortcut is only a shortcut), for float64 and float32 alike."""
    from layerwise.training import params_finite

    for dtype in (np.float64, np.float32):
        params = init_params([3, 4, 2], np.random.default_rng(73), dtype=dtype)
        big = np.finfo(dtype).max
        params[0][0][:] = big                          # 12 entries of the largest float: the sum overflows
        params[1][0][:] = -big
        with np.errstate(over="ignore"):
            assert np.isinf(params[0][0].sum())
        assert params_finite(params)
        params[1][1][0] = np.nan
        assert not params_finite(params)


def test_the_checks_train_skips_are_back_on_after_it_returns_or_raises():
    """inputs_checked() must end with train: after a normal return, after a divergence and after an
    exception from a callback, bad input to the public functions raises again."""
    from layerwise import forward
    from layerwise._checks import inputs_are_checked

    X, y = _spiral(60)
    params = init_params([2, 8, 3], np.random.default_rng(7))
    bad_X = np.full((2, 2), np.nan)

    def assert_checks_on():
        assert not inputs_are_checked()
        with pytest.raises(ValueError, match="NaN"):
            forward(params, bad_X)
        with pytest.raises(ValueError, match="learning rate"):
            sgd_step(params, [(np.zeros_like(W), np.zeros_like(b)) for W, b in params], -1.0)

    train(params, X, y, rng=np.random.default_rng(0), epochs=1)
    assert_checks_on()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert train([(W.copy(), b.copy()) for W, b in params], X * 1e200, y, rng=np.random.default_rng(0),
                     lr=1e300, epochs=2).diverged
    assert_checks_on()

    def callback(epoch, history):
        assert not inputs_are_checked()                   # user code never runs with the checks off
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        train(params, X, y, rng=np.random.default_rng(0), epochs=2, callback=callback)
    assert_checks_on()


@pytest.mark.parametrize("train_fn", ["train", "train_preallocated"])
def test_a_parameter_that_overflows_mid_epoch_is_reported_in_that_epoch(train_fn):
    """The first of three steps sends W1 and b1 to −inf; the ReLU then outputs 0, so the next two
    losses stay finite and only the parameters show the divergence. Parameters are looked at once per
    epoch: the report must still name epoch 1, and no epoch may be recorded as trained."""
    from layerwise.fast import train_preallocated

    fn = {"train": train, "train_preallocated": train_preallocated}[train_fn]
    # One hidden ReLU unit at Z = 1e-300 > 0; dO = (−½, ½) makes dZ1 = 3 and lr·3 overflows.
    params = [(np.array([[1e-300]]), np.zeros(1)), (np.array([[-3.0, 3.0]]), np.zeros(2))]
    X, y = np.ones((3, 1)), np.zeros(3, dtype=int)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = fn(params, X, y, rng=np.random.default_rng(0), lr=1.5e308, epochs=3, batch_size=1)
    assert params[0][0][0, 0] == -np.inf and params[0][1][0] == -np.inf
    assert np.isfinite(params[1][0]).all() and np.isfinite(params[1][1]).all()
    assert history.diverged and history.epoch == [] and history.loss == []
    assert history.message.startswith("parameters became inf or NaN in epoch 1: the learning rate")


@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
@pytest.mark.parametrize("dW", [0.0, 1.0, -1e308, np.inf, -np.inf, np.nan])
def test_an_sgd_step_never_makes_a_non_finite_parameter_finite_again(bad, dW):
    """Why one look per epoch suffices: W − lr·dW is inf or NaN whenever W is, whatever dW is."""
    params = [(np.array([[bad, 0.5]]), np.zeros(2))]
    with np.errstate(over="ignore", invalid="ignore"):
        sgd_step(params, [(np.array([[dW, dW]]), np.zeros(2))], 1e10)
    assert not np.isfinite(params[0][0][0, 0])


@pytest.mark.parametrize("big", [1e308, -1e308])
def test_a_step_with_infinite_logits_stops_there_before_any_update(big):
    """Logits of ±inf (here an overflowing last layer) make the step's loss NaN or inf: train stops at that
    step, names it, and leaves the parameters as they were before it."""
    X, y = _spiral(30)
    params = init_params([2, 4, 3], np.random.default_rng(3))
    params[-1][0][...] = big                              # H W overflows: O holds ±inf (and NaN where they meet)
    before = [(W.copy(), b.copy()) for W, b in params]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = train(params, X, y, rng=np.random.default_rng(4), lr=0.1, epochs=3, batch_size=10)
    assert history.diverged and history.loss == []
    assert history.message.startswith(("loss became nan in epoch 1:", "loss became inf in epoch 1:"))
    for (W, b), (W0, b0) in zip(params, before):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)
