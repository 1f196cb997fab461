"""The explorer's numbers against the same numbers computed here, by hand, from the documented recipe."""

import numpy as np
import pytest

import layerwise as lw
from layerwise.explorer_model import (CONTROLS, DATASETS, DZ_BINS, DZ_LOG_RANGE, FLOOR, GRID_TOLERANCE, H_BINS, SIGMA_FLOAT32,
                                      ExplorerConfig, ExplorerModel, ExplorerStats, float32_error_bound, grid_forward,
                                      grown_too_much, nice_ceiling)

pytestmark = pytest.mark.filterwarnings("error")     # the chapters' build fails on any warning


def reference_network(dataset="moons", n=300, width=8, depth=3, init="xavier", scale=1.0, seed=0, noise=0.1,
                      n_test=100, test=False, **_):
    """X, y, params made as the explorer's docstring says: one rng for the training points, then the
    test points, then the weights. With test=True also X_test, y_test (after y)."""
    rng = np.random.default_rng(seed)
    X, y = lw.data.make_dataset(dataset, n, rng, noise=noise)
    X_test, y_test = lw.data.make_dataset(dataset, n_test, rng, noise=noise)
    k = int(y.max()) + 1
    params = lw.init_params([2] + [width] * depth + [k], rng, init=init, scale=scale)
    return (X, y, X_test, y_test, params) if test else (X, y, params)


def reference_numbers(params, X, y, activation):
    """H^(l), dZ^(l), ‖dW^(l)‖ and the loss, with dZ propagated by hand (rows: Z = H W + b)."""
    f, f_grad = lw.get_activation(activation)
    Zs, Hs, H = [], [X], X
    for W, b in params:
        Z = H @ W + b
        Zs.append(Z)
        H = f(Z)
        Hs.append(H)
    O = Zs[-1]
    P = np.exp(O - O.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    n = X.shape[0]
    loss = -np.log(P[np.arange(n), y]).mean()
    dZ = (P - np.eye(P.shape[1])[y]) / n
    dZs, norms = [None] * len(params), [None] * len(params)
    for l in range(len(params), 0, -1):
        dZs[l - 1] = dZ
        norms[l - 1] = np.sqrt(((Hs[l - 1].T @ dZ) ** 2).sum())
        if l > 1:
            dZ = (dZ @ params[l - 1][0].T) * f_grad(Zs[l - 2])
    return {"H": Hs[1:-1], "dZ": dZs, "dW_norms": np.array(norms), "loss": loss, "O": O}


def grid_atol(params, G, activation):
    """What the surface and the neuron maps may differ by from float64 values: float32's proven bound when
    grid_forward computes in float32 (asserted to be within GRID_TOLERANCE), else float64 rounding."""
    bound = float32_error_bound(params, G, activation)
    return bound if bound <= GRID_TOLERANCE else 1e-12


def fractions(values, edges):
    v = np.clip(np.ravel(values), edges[0], edges[-1])
    return np.histogram(v, bins=edges)[0] / v.size


@pytest.mark.parametrize("settings", [
    {},
    {"dataset": "spirals", "width": 16, "depth": 6, "activation": "relu", "init": "he", "seed": 3},
    {"dataset": "xor", "width": 3, "depth": 2, "activation": "sigmoid", "init": "normal", "scale": 0.5},
])
def test_stats_match_a_hand_computation(settings):
    m = ExplorerModel(resolution=20, **settings)
    s = m.stats(layer=1)
    cfg = {**ExplorerConfig().__dict__, **settings}
    X, y, params = reference_network(**cfg)
    ref = reference_numbers(params, X, y, cfg["activation"])
    np.testing.assert_allclose(s.X, X)
    np.testing.assert_allclose(s.dW_norms, ref["dW_norms"], rtol=1e-10)
    assert s.loss == pytest.approx(ref["loss"], rel=1e-12)
    assert len(s.H_counts) == cfg["depth"] and len(s.dZ_counts) == cfg["depth"] + 1
    assert len(s.H_edges) == H_BINS + 1 and len(s.dZ_edges) == DZ_BINS + 1
    lo, hi = {"sigmoid": (0, 1), "tanh": (-1, 1)}.get(cfg["activation"], (0, None))
    assert s.H_edges[0] == lo and (hi is None or s.H_edges[-1] == hi)
    if hi is None:                                   # ReLU: the range covers the largest activation
        assert s.H_edges[-1] >= max(H.max() for H in ref["H"])
    for counts, H in zip(s.H_counts, ref["H"]):
        np.testing.assert_allclose(counts, fractions(H, s.H_edges))
    np.testing.assert_allclose(s.dZ_edges, np.linspace(*DZ_LOG_RANGE, DZ_BINS + 1))
    for counts, dZ in zip(s.dZ_counts, ref["dZ"]):
        np.testing.assert_allclose(counts, fractions(np.log10(np.maximum(np.abs(dZ), FLOOR)), s.dZ_edges))
    # The surface: softmax of the network over the grid of layerwise.plots.input_grid, around the
    # training and the test points.
    _, _, X_test, y_test, _ = reference_network(**cfg, test=True)
    np.testing.assert_allclose(s.X_test, X_test)
    xx, yy, G = lw.plots.input_grid(np.vstack([X, X_test]), 20)
    P = lw.softmax(lw.forward_inference(params, G, cfg["activation"]))
    np.testing.assert_allclose(s.P_grid, P.reshape(20, 20, -1), atol=grid_atol(params, G, cfg["activation"]))
    assert s.extent == (xx.min(), xx.max(), yy.min(), yy.max())


def test_neuron_maps_are_the_layer_outputs_on_the_grid():
    m = ExplorerModel(resolution=12, width=5, depth=3)
    s = m.stats(layer=2)
    X, y, X_test, _, params = reference_network(width=5, depth=3, test=True)
    _, _, G = lw.plots.input_grid(np.vstack([X, X_test]), 12)
    H2 = np.tanh(np.tanh(G @ params[0][0] + params[0][1]) @ params[1][0] + params[1][1])
    assert s.layer == 2 and s.neuron_maps.shape == (5, 12, 12)
    assert s.neuron_maps.dtype == np.float32                 # narrow tanh layers: float32 is proven close enough
    for j in range(5):
        np.testing.assert_allclose(s.neuron_maps[j], H2[:, j].reshape(12, 12), rtol=0,
                                   atol=grid_atol(params, G, "tanh"))
    assert ExplorerModel(resolution=12, width=9).stats().neuron_maps is None     # too wide for maps
    assert ExplorerModel(resolution=12, depth=2).stats(layer=7).layer == 2        # clipped to the depth


def test_step_is_one_full_batch_gradient_descent_step():
    m = ExplorerModel(resolution=10, lr=0.5)
    X, y, params = reference_network()
    O, caches = lw.forward(params, X, "tanh")
    _, dO = lw.softmax_cross_entropy(O, y)
    grads = lw.backward(dO, caches)
    m.step()
    for (W, b), (W0, b0), (dW, db) in zip(m.params, params, grads):
        np.testing.assert_allclose(W, W0 - 0.5 * dW)
        np.testing.assert_allclose(b, b0 - 0.5 * db)
    assert m.epochs == [0, 1]
    assert m.losses[1] == pytest.approx(reference_numbers(m.params, X, y, "tanh")["loss"])


def test_train_epochs_records_the_full_data_loss_after_each_epoch():
    m = ExplorerModel(resolution=10)
    seen = []
    m.train_epochs(4, callback=lambda epoch, total: seen.append((epoch, total)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)] and m.epochs == [0, 1, 2, 3, 4]
    assert m.losses[-1] == pytest.approx(reference_numbers(m.params, m.X, m.y, "tanh")["loss"])
    assert m.losses[-1] < m.losses[0]


def test_lr_change_keeps_the_network_other_changes_reset_it():
    m = ExplorerModel(resolution=10)
    m.step()
    assert m.update(lr=0.01) is False and len(m.losses) == 2
    assert m.update(width=4) is True and len(m.losses) == 1 and m.params[0][0].shape == (2, 4)
    with pytest.raises(ValueError, match="known datasets"):
        m.update(dataset="blobs")
    with pytest.raises(ValueError, match="depth"):
        m.update(depth=11)


def test_large_learning_rate_diverges_says_so_and_reset_recovers():
    m = ExplorerModel(resolution=10, lr=10.0)
    m.train_epochs(20)
    s = m.stats()
    assert m.diverged and "learning rate 10 is too large" in s.message
    assert all(np.isfinite(W).all() for W, _ in m.params)         # the view keeps finite numbers
    before = len(m.losses)
    m.step()                                                      # blocked until reset
    assert len(m.losses) == before
    m.reset()
    assert not m.diverged and m.stats().message == "" and m.losses == [m.losses[0]]


def test_nan_loss_is_reported_as_nan():
    m = ExplorerModel(resolution=10, init="normal", scale=10.0, depth=6, width=32, activation="relu", lr=10.0)
    m.train_epochs(3)
    assert m.diverged and m.stats().message.startswith(("loss became NaN", "loss grew"))


def test_extreme_architectures_do_not_warn_or_crash():
    s = ExplorerModel(resolution=10, depth=10, width=1).stats()
    assert s.dW_norms.shape == (11,) and np.isfinite(s.loss)
    s = ExplorerModel(resolution=10, depth=10, activation="sigmoid").stats()
    assert s.dW_norms[0] < 1e-4 * s.dW_norms[-1]                  # vanishing gradients at the bottom
    s = ExplorerModel(resolution=10, init="normal", scale=0.001, depth=10).stats()
    assert s.dW_norms[0] < FLOOR                                  # below the floor: the plot clips it


def test_dead_relu_network_is_named():
    m = ExplorerModel(resolution=10, activation="relu", init="he")
    m.params = [(W, b - 100.0) for W, b in m.params]                # every unit negative: all dead
    assert "dead" in m.stats().message


def test_nice_ceiling():
    assert [nice_ceiling(x) for x in (0, 0.7, 1, 1.2, 3, 7, 12, 1e18 * 1.4)] == [1, 1, 1, 2, 5, 10, 20, 2e18]


def test_nan_in_a_later_epoch_keeps_the_network_of_the_last_finite_epoch():
    """Epoch 1 trains normally; then the top weights are set to the largest float, so the logits of
    epoch 2 overflow and its loss is NaN. The model must show the network it had when epoch 2 began
    (after epoch 1, with those top weights): finite, and not the initial one."""
    m = ExplorerModel(resolution=10, lr=0.5)
    initial = [(W.copy(), b.copy()) for W, b in m.params]
    after_epoch_1 = []

    def blow_up(epoch, total):
        if epoch == 1:
            m.params[-1][0][...] = np.finfo(np.float64).max
            after_epoch_1.extend((W.copy(), b.copy()) for W, b in m.params)
            with np.errstate(over="ignore", invalid="ignore"):
                assert not np.isfinite(lw.forward_inference(m.params, m.X, "tanh")).all()

    m.train_epochs(3, callback=blow_up)
    assert m.diverged and m.message.startswith("loss became NaN")
    assert m.epochs == [0, 1]                                 # epoch 1 was recorded, epoch 2 was not
    for (W, b), (W1, b1), (W0, _) in zip(m.params, after_epoch_1, initial):
        np.testing.assert_array_equal(W, W1)
        np.testing.assert_array_equal(b, b1)
        assert not np.array_equal(W, W0)


def test_a_step_that_overflows_keeps_the_network_before_it():
    m = ExplorerModel(resolution=10, lr=0.1)
    m.params[-1][0][...] = np.finfo(np.float64).max              # finite weights, overflowing logits
    before = [(W.copy(), b.copy()) for W, b in m.params]
    m.step()
    assert m.diverged and m.epochs == [0]
    for (W, b), (W0, b0) in zip(m.params, before):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)


def test_no_dead_relu_note_when_only_some_gradients_are_zero():
    """Layer 2 dead (bias −100) makes dW of layers 1–3 zero; layer 3's bias +1 keeps H^(3) = 1, so the
    top layer's dW^(4) = H^(3)ᵀ dZ^(4) is not zero: training is stuck below, but not everywhere."""
    m = ExplorerModel(resolution=10, activation="relu", init="he", depth=3)
    (W1, b1), (W2, b2), (W3, b3), top = m.params
    m.params = [(W1, b1), (W2, b2 - 100.0), (W3, b3 + 1.0), top]
    s = m.stats()
    np.testing.assert_array_equal(s.dW_norms[:3], 0.0)
    assert s.dW_norms[3] > 0
    assert s.message == ""


def test_training_uses_the_training_points_only_and_records_both_losses():
    m = ExplorerModel(resolution=10, lr=0.3, batch_size=16)
    m.train_epochs(3)
    # the documented recipe, continued by layerwise.train on the training points with the same rng
    rng = np.random.default_rng(0)
    X, y = lw.data.make_dataset("moons", 300, rng, noise=0.1)
    X_test, y_test = lw.data.make_dataset("moons", 100, rng, noise=0.1)
    params = lw.init_params([2, 8, 8, 8, 2], rng, init="xavier")
    losses, test_losses = [], []
    for _ in range(3):
        lw.train(params, X, y, rng=rng, activation="tanh", lr=0.3, epochs=1, batch_size=16)
        losses.append(reference_numbers(params, X, y, "tanh")["loss"])
        test_losses.append(reference_numbers(params, X_test, y_test, "tanh")["loss"])
    for (W, b), (W0, b0) in zip(m.params, params):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)
    np.testing.assert_allclose(m.losses[1:], losses, rtol=1e-12)
    np.testing.assert_allclose(m.test_losses[1:], test_losses, rtol=1e-12)
    s = m.stats()
    assert s.test_losses == m.test_losses and s.test_loss == pytest.approx(test_losses[-1], rel=1e-12)
    assert m.epochs == [0, 1, 2, 3] and len(m.test_losses) == 4


def test_noise_setting_reaches_the_data():
    X = ExplorerModel(resolution=10, noise=0.0).X
    np.testing.assert_allclose(np.hypot(X[:150, 0], X[:150, 1]), 1.0)         # the upper moon, exactly
    noisy = ExplorerModel(resolution=10, noise=0.3).X
    assert np.abs(np.hypot(noisy[:150, 0], noisy[:150, 1]) - 1).mean() > 0.1
    with pytest.raises(ValueError, match="noise"):
        ExplorerConfig(noise=-0.1).check()
    with pytest.raises(ValueError, match="batch_size"):
        ExplorerConfig(batch_size=0).check()


def test_growth_rule_by_hand():
    assert not grown_too_much(0.7, 2.7) and grown_too_much(0.7, 2.71)        # start + 2 for small starts
    assert not grown_too_much(2.0, 6.0) and grown_too_much(2.0, 6.01)        # 3 × start for large ones


def test_training_stops_at_the_first_epoch_the_loss_has_grown_too_much():
    m = ExplorerModel(resolution=10, lr=5.0, activation="relu", init="he", seed=0)   # grows late, at epoch 23
    m.train_epochs(50)
    assert m.diverged and 5 < len(m.epochs) < 51
    assert m.message.startswith(f"loss grew from {m.losses[0]:.2f} to ") and "learning rate 5 is too large" in m.message
    assert grown_too_much(m.losses[0], m.losses[-1])
    assert not any(grown_too_much(m.losses[0], v) for v in m.losses[1:-1])
    assert all(np.isfinite(W).all() for W, _ in m.params)
    before = len(m.epochs)
    m.train_epochs(5)                                             # blocked until reset
    assert len(m.epochs) == before


def test_step_and_batch_size_and_lr_keep_the_network():
    m = ExplorerModel(resolution=10)
    m.step()
    assert m.update(batch_size=8) is False and m.update(lr=0.5) is False and m.epochs == [0, 1]
    assert m.update(noise=0.2) is True and m.epochs == [0]


def test_stats_carry_copies_of_the_weights():
    m = ExplorerModel(resolution=10, width=3, depth=2)
    s = m.stats()
    assert [W.shape for W in s.weights] == [(2, 3), (3, 3), (3, 2)]
    for W, (W0, _) in zip(s.weights, m.params):
        np.testing.assert_array_equal(W, W0)
    m.step()
    assert not np.array_equal(s.weights[0], m.params[0][0])                  # a snapshot, not a view


def test_control_ranges_hold_the_defaults_and_the_issue_ranges():
    c = ExplorerConfig()
    for name, (label, bounds) in CONTROLS.items():
        assert label
        if bounds and hasattr(c, name):
            assert bounds[0] <= getattr(c, name) <= bounds[1], name
    assert CONTROLS["width"][1] == (1, 16) and CONTROLS["depth"][1] == (1, 8)
    assert CONTROLS["lr"][1] == (1e-3, 10.0)


def test_one_blas_thread_limits_blas_inside_and_restores_it_after():
    import threadpoolctl                                     # pinned in requirements.txt

    from layerwise.explorer_model import one_blas_thread

    def blas_threads():
        return [pool["num_threads"] for pool in threadpoolctl.threadpool_info() if pool["user_api"] == "blas"]

    before = blas_threads()
    assert before                                            # numpy's BLAS is loaded
    for _ in range(2):                                       # the cached controller works more than once
        with one_blas_thread():
            assert blas_threads() == [1] * len(before)
        assert blas_threads() == before


def differing_fields(s, t):
    """Names of the ExplorerStats fields in which s and t differ."""
    from dataclasses import fields

    from layerwise.plots.explorer import same

    return [f.name for f in fields(ExplorerStats) if not same(getattr(s, f.name), getattr(t, f.name))]


def test_remembered_stats_follow_every_change_of_what_they_show():
    """stats() remembers its results; after each change (weights in place, a step, new data, a new network,
    the layer) they must be what a computation from scratch (_stats) gives."""
    m = ExplorerModel(resolution=10, width=3)
    first = m.stats(layer=2)
    assert m.update(lr=0.5) is False
    again = m.stats(layer=2)
    assert again.config.lr == 0.5 and again.P_grid is first.P_grid           # remembered, with the new lr
    changes = [lambda: m.params[0][0].__setitem__((0, 0), 3.0),                # in place, behind the model's back
               m.step, lambda: m.update(seed=4), lambda: m.update(depth=2),
               lambda: setattr(m, "params", [(W, b - 100.0) for W, b in m.params]), lambda: m.train_epochs(2),
               m.reset, lambda: m.update(activation="relu")]
    for change in changes:
        before = m.stats(layer=2)
        change()
        assert differing_fields(before, m.stats(layer=2))                         # the change shows
        for layer in (2, 1, 2):
            assert differing_fields(m.stats(layer=layer), m._stats(layer)) == []


def test_another_layer_of_the_last_network_takes_only_its_maps_and_equals_a_fresh_computation(monkeypatch):
    """A new layer of the network shown last reuses its grid values (no forward pass again); for a network
    shown earlier, or one too wide for maps, stats are computed anew. Either way: what _stats gives."""
    for settings in (dict(width=3), dict(width=4, activation="relu"), dict(width=9)):
        m = ExplorerModel(resolution=10, depth=4, **settings)
        fresh = {layer: m._stats(layer) for layer in (1, 2, 3, 4, 9)}
        computed = []
        real = m._stats
        monkeypatch.setattr(m, "_stats", lambda layer, state=None: computed.append(layer) or real(layer, state))
        for layer in (2, 1, 3, 9, 2):
            assert differing_fields(m.stats(layer=layer), fresh[layer]) == []
        assert computed == ([2] if settings["width"] <= 8 else [2, 1, 3, 9])     # 9: no maps to pick from
        assert m.stats(layer=9).layer == 4                                         # clipped to the deepest
        m.update(seed=1)
        m.stats(layer=1)
        m.update(seed=0)                       # back to a remembered network, but not the one computed last
        assert differing_fields(m.stats(layer=4), fresh[4]) == [] and computed[-1] == 4


def test_stats_of_earlier_settings_are_remembered_and_stay_right():
    """Going back to an earlier setting reuses its stats (the same arrays) only while it is among the last
    REMEMBERED_STATES networks shown, and what is reused equals a computation from scratch."""
    from layerwise.explorer_model import REMEMBERED_STATES

    m = ExplorerModel(resolution=10, width=3)
    first = m.stats(layer=2)
    m.update(seed=1)
    other = m.stats(layer=2)
    m.update(seed=0)                                             # back: the same network as at first
    back = m.stats(layer=2)
    assert back.P_grid is first.P_grid and back.neuron_maps is first.neuron_maps
    assert differing_fields(back, m._stats(2)) == [] and differing_fields(back, other)
    m.step()                                                     # trained: a new state, not the remembered one
    assert differing_fields(m.stats(layer=2), first)
    for seed in range(1, REMEMBERED_STATES + 1):                 # with the step: REMEMBERED_STATES + 1 others
        m.update(seed=seed)
        m.stats(layer=2)
    assert len(m._remembered) == REMEMBERED_STATES
    m.update(seed=0)
    again = m.stats(layer=2)
    assert again.P_grid is not first.P_grid and differing_fields(again, first) == []   # recomputed, same numbers


def ulps_off(f32, f64):
    """Largest |f32 − f64| in units of float32's u = 2^-24, relative to 1 (the bound of |σ| in SIGMA_FLOAT32)."""
    return float(np.abs(f32.astype(np.float64) - f64).max()) / (np.finfo(np.float32).eps / 2)


@pytest.mark.parametrize("activation", sorted(SIGMA_FLOAT32))
def test_float32_activations_round_within_what_the_bound_assumes(activation):
    """float32_error_bound takes σ's own float32 error as at most SIGMA_FLOAT32[σ][1] u (|σ| <= 1):
    checked on a million float32 inputs across σ's whole working range, and its tails."""
    f, _ = lw.get_activation(activation)
    z = np.concatenate([np.linspace(-30, 30, 1_000_001), np.random.default_rng(0).standard_normal(100_000) * 1e-3,
                        [-1e4, -88.5, 1e-30, 88.5, 1e4]]).astype(np.float32)
    off = ulps_off(f(z), f(z.astype(np.float64)))
    assert off <= SIGMA_FLOAT32[activation][1]
    assert off > 0.1                         # the comparison does see float32 rounding (not float64 twice)


@pytest.mark.parametrize("activation", sorted(SIGMA_FLOAT32))
def test_float32_grid_values_lie_within_the_proven_bound(activation):
    """On random networks (widths 1-16, depths 1-8, every init, scales up to 3), P and every H computed
    in float32 differ from float64 by no more than float32_error_bound says."""
    rng = np.random.default_rng(42)
    for trial in range(40):
        width, depth = int(rng.integers(1, 17)), int(rng.integers(1, 9))
        init = ["xavier", "he", "normal"][trial % 3]
        params = lw.init_params([2] + [width] * depth + [int(rng.integers(2, 5))], rng, init=init,
                                scale=float(rng.uniform(0.05, 3.0)))
        _, _, G = lw.plots.input_grid(rng.standard_normal((50, 2)) * rng.uniform(0.5, 5), 24)
        bound = float32_error_bound(params, G, activation)
        single = [(W.astype(np.float32), b.astype(np.float32)) for W, b in params]
        O32, caches32 = lw.forward(single, G.astype(np.float32), activation)
        O64, caches64 = lw.forward(params, G, activation)
        assert np.abs(lw.softmax(O32).astype(np.float64) - lw.softmax(O64)).max() <= bound
        for c32, c64 in zip(caches32[1:], caches64[1:]):
            assert np.abs(c32.linear[0].astype(np.float64) - c64.linear[0]).max() <= bound


def test_grid_forward_takes_float32_only_where_proven_close_enough():
    """Float32 for the narrow tanh and sigmoid networks the bound allows; float64 for a deep wide one, for
    ReLU (unbounded, so no bound) and for a large init scale: then the values are forward's, exactly."""
    assert float32_error_bound(ExplorerModel().params, np.zeros((1, 2)), "relu") == np.inf
    for settings, dtype in [({}, np.float32), ({"activation": "sigmoid", "width": 4}, np.float32),
                            ({"width": 16}, np.float32), ({"depth": 6}, np.float32), ({"init": "he"}, np.float32),
                            ({"width": 16, "depth": 6}, np.float64), ({"activation": "relu", "init": "he"}, np.float64),
                            ({"init": "normal", "scale": 5.0}, np.float64)]:
        m = ExplorerModel(resolution=16, **settings)
        c = m.config
        O, H = grid_forward(m.params, m.grid, c.activation)
        assert O.dtype == dtype and all(A.dtype == dtype for A in H), settings
        assert (float32_error_bound(m.params, m.grid, c.activation) <= GRID_TOLERANCE) == (dtype == np.float32)
        if dtype == np.float64:
            O64, caches = lw.forward(m.params, m.grid, c.activation)
            assert np.array_equal(O, O64)
            assert all(np.array_equal(A, cache.linear[0]) for A, cache in zip(H, caches[1:]))
        assert m.stats().P_grid.dtype == dtype


def test_grid_tolerance_moves_a_pixel_by_one_level_at_most():
    """What GRID_TOLERANCE promises: a surface colour 1 − α(1 − P C) moves by at most α · Σ_k |ΔP_k| · 1/2
    (ΔP sums to 0, so C's channels count from their midpoint), under a quarter of one of 255 levels for
    the explorer's at most 3 classes; a neuron map, whose colour range is at least 1 wide, by about a quarter
    of one of 256 colours. On the deepest float32 network of the controls' defaults the pixels show it."""
    from layerwise.plots.explorer import SURFACE_ALPHA, probability_colors

    classes = max(int(lw.data.make_dataset(d, 300, np.random.default_rng(0))[1].max()) + 1 for d in DATASETS)
    assert classes == 3
    assert SURFACE_ALPHA * classes * GRID_TOLERANCE / 2 * 255 < 0.25
    assert GRID_TOLERANCE * 256 < 0.26
    m = ExplorerModel(dataset="spirals", depth=6)              # float32 near the tolerance: bound 2e-4
    single = m.stats()
    assert single.P_grid.dtype == np.float32
    exact = ExplorerModel(dataset="spirals", depth=6)
    O, _ = lw.forward(exact.params, exact.grid, "tanh")
    levels = lambda P: np.rint(255 * probability_colors(np.asarray(P, np.float64))).astype(int)   # noqa: E731
    assert np.abs(levels(single.P_grid) - levels(lw.softmax(O).reshape(single.P_grid.shape))).max() <= 1
