"""Correctness of the benchmark helpers (benchmarks/): the arithmetic, the peers' configuration, the reports.

No test here asserts a time: benchmarks measure, tests check that what is measured is the right thing.
"""

import json
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import layerwise as lw

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import book_build  # noqa: E402
import common  # noqa: E402
import explorer_js  # noqa: E402
import memory  # noqa: E402
import other_load  # noqa: E402
import run_all  # noqa: E402
import scaling  # noqa: E402
import training  # noqa: E402
import widget_latency  # noqa: E402


# common -------------------------------------------------------------------------------------------

def test_summarize_median_min_max():
    assert common.summarize([3, 1, 2, 10]) == {"median": 2.5, "min": 1.0, "max": 10.0, "n": 4}
    with pytest.raises(ValueError, match="summarize needs at least one sample"):
        common.summarize([])


def test_interleaved_rotates_the_order_every_round():
    calls = []
    runners = {k: (lambda k=k: calls.append(k) or {"seconds": 0.0}) for k in "abc"}
    out = common.interleaved(runners, repeats=4)
    assert calls == list("abc" "bca" "cab" "abc")
    assert {k: len(v) for k, v in out.items()} == {"a": 4, "b": 4, "c": 4}


def test_parameter_and_flop_counts_by_hand():
    # [2, 3, 1]: W1 2×3 + b1 3, W2 3×1 + b2 1 = 13 numbers.
    assert common.mlp_n_params([2, 3, 1]) == 13
    assert common.nominal_flops([2, 3, 1], 10) == 6 * 13 * 10
    # digits network: 64·128 + 128 + 128·128 + 128 + 128·10 + 10
    assert common.mlp_n_params([64, 128, 128, 10]) == 26_122


def test_step_matmul_shapes_skip_the_input_gradient():
    shapes = common.step_matmul_shapes([4, 5, 3], 2)
    assert shapes == [(2, 4, 5), (2, 5, 3),      # H @ W
                      (4, 2, 5), (5, 2, 3),      # Hᵀ @ dZ
                      (2, 3, 5)]                 # dZ @ Wᵀ, layer 2 only
    assert common.matmul_flops(shapes) == 2 * (40 + 30 + 40 + 30 + 30)


def test_matmul_peak_counts_the_flops_it_timed():
    r = common.matmul_peak([8, 6, 4], 5, np.float32, steps=3)
    # By hand, one step on 5 rows: 5·8·6 + 5·6·4 forward, 8·5·6 + 6·5·4 for dW, 5·4·6 for dH of layer 2,
    # = 840 multiply-adds, 1680 flops; three steps 5040.
    assert r["seconds"] > 0
    assert r["gflops"] * 1e9 * r["seconds"] == pytest.approx(5040)


def test_machine_description_has_the_fields_the_page_reads():
    m = common.machine()
    assert {"cpu", "cores", "versions", "blas"} <= set(m)
    assert m["versions"]["numpy"] == np.__version__
    assert common.load_average() is None or len(common.load_average()) == 3


# training: the peers do the same work -----------------------------------------------------------

def test_teacher_data_shapes_dtype_and_determinism():
    a = training.teacher_data(300, 100, [20, 16, 4], np.random.default_rng(0))
    b = training.teacher_data(300, 100, [20, 16, 4], np.random.default_rng(0))
    X, X_test, y, y_test = a
    assert X.shape == (300, 20) and X_test.shape == (100, 20) and X.dtype == np.float32
    assert y.dtype == np.int64 and set(np.unique(y)) <= set(range(4)) and len(np.unique(y)) > 1
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")  # 3 epochs on purpose
def test_sklearn_peer_takes_exactly_the_steps_of_layerwise_train():
    # One full batch per epoch: the shuffle cannot matter, so both must compute the same updates.
    X, y = lw.data.load_digits()
    X, y = X[:200], y[:200]
    cfg = dict(training.TASKS["digits"], epochs=3, batch_size=200)
    params0 = lw.init_params(cfg["sizes"], np.random.default_rng(1))
    clf = training.sklearn_model(params0, cfg, seed=0)
    clf.set_params(shuffle=False)
    clf.fit(X, y)
    params = training.copy_params(params0)
    lw.train(params, X, y, rng=np.random.default_rng(0), lr=cfg["lr"], epochs=3, batch_size=200)
    for (W, b), Ws, bs in zip(params, clf.coefs_, clf.intercepts_):
        assert lw.rel_error(W, Ws) <= 1e-12 and lw.rel_error(b, bs) <= 1e-12


def test_benchmark_task_reports_every_peer_and_ratios():
    cfg = {"sizes": [20, 16, 4], "batch_size": 32, "epochs": 1, "lr": 0.1, "dtype": "float32",
           "n_train": 256, "n_test": 64}
    r = training.benchmark_task("tiny", cfg, repeats=1, peers=["layerwise", "sklearn"],
                                extra_runners=training.extra_runners())
    ours = {"layerwise", "layerwise_preallocated", "layerwise_public_api"}
    assert set(r["peers"]) == ours | {"sklearn", "bare_numpy"}
    assert set(r["speedup"]) == ours and set(r["speedup"]["layerwise"]) == {"sklearn", "bare_numpy"}
    # Every layerwise path trains the same network on the same batches: the same accuracy.
    assert len({r["peers"][name]["accuracy"]["median"] for name in ours}) == 1
    assert r["peers"]["layerwise"]["dtype"] == "float32"
    assert "layerwise" in training.format_task("tiny", r)


def test_paired_ratio_is_the_median_of_ratios_within_rounds():
    # A machine twice as slow in round 2 slows both runs of that round: its ratio stays 3.
    assert training.paired_ratio([3.0, 6.0, 4.0], [1.0, 2.0, 2.0]) == 3.0
    assert training.paired_ratio([1.0, 2.0], [4.0, 4.0]) == pytest.approx(0.375)
    with pytest.raises(ValueError, match="one pair per round, got 2 and 1"):
        training.paired_ratio([1.0, 2.0], [1.0])


def test_benchmark_arithmetic_on_known_times(monkeypatch):
    """Runners that report fixed times: every derived number is then known by hand."""
    seconds = {"layerwise": iter([4.0, 6.0, 5.0]), "sklearn": iter([10.0, 12.0, 14.0])}

    def fake(name):
        return lambda data, params0, cfg, seed: {"seconds": next(seconds[name]), "accuracy": 0.5, "dtype": "float32"}

    monkeypatch.setattr(training, "run_layerwise", fake("layerwise"))
    monkeypatch.setattr(training, "run_sklearn", fake("sklearn"))
    peak_seconds = iter([1.0, 1.4, 0.6])
    monkeypatch.setattr(training, "matmul_peak", lambda sizes, n, dtype, steps: {"seconds": next(peak_seconds),
                                                                                  "gflops": 7.0})
    cfg = {"sizes": [20, 16, 4], "batch_size": 32, "epochs": 2, "lr": 0.1, "dtype": "float32",
           "n_train": 256, "n_test": 64}
    bare = iter([3.0, 2.0, 4.0])
    r = training.benchmark_task("tiny", cfg, repeats=3, peers=["layerwise", "sklearn"], extra_runners={
        "bare_numpy": lambda data, params0, cfg, seed: {"seconds": next(bare), "accuracy": 0.5, "dtype": "float32"}})
    # Epoch times by round: layerwise 2, 3, 2.5 s (median 2.5, fastest 2); scikit-learn 5, 6, 7 (median 6,
    # fastest 5). Ratios are taken within rounds, 5/2, 6/3, 7/2.5, and their median is 2.5, where the
    # ratio of the two medians would be 6/2.5 = 2.4.
    assert r["peers"]["layerwise"]["epoch_seconds"] == {"median": 2.5, "min": 2.0, "max": 3.0, "n": 3}
    # The yardstick's epochs, 1.5, 1, 2 s: against layerwise 1.5/2, 1/3, 2/2.5 (median 0.75); scikit-learn
    # against it 5/1.5, 6/1, 7/2 (median 3.5), where dividing the two medians of layerwise would give 2.5/0.75.
    assert r["speedup"] == {"layerwise": {"sklearn": 2.5, "bare_numpy": 0.75}}
    assert r["yardstick_speedup"] == {"bare_numpy": {"sklearn": 3.5}}
    assert r["speedup_best"] == {"layerwise": {"sklearn": 5 / 2, "bare_numpy": 1 / 2}}
    # [20, 16, 4] has 21·16 + 17·4 = 404 parameters; an epoch of 256 rows is 6 · 404 · 256 = 620,544 flops.
    assert r["nominal_gflop_per_epoch"] == pytest.approx(620_544e-9)
    assert r["peers"]["layerwise"]["gflops"] == pytest.approx(620_544 / 2.5 / 1e9)
    # Each peak run covers round(256/32 · 2) = 16 steps, the run's 16, so 1.0, 1.4 and 0.6 s are two epochs:
    # 0.5, 0.7 and 0.3 s per epoch (median 0.5, fastest 0.3). Shares by round: layerwise 0.5/2, 0.7/3,
    # 0.3/2.5 (median 0.7/3, not 0.5/2.5); scikit-learn 0.5/5, 0.7/6, 0.3/7 (median 0.1, not 0.5/6).
    assert r["peak"]["matmul_only_epoch_seconds"] == {"median": 0.5, "min": 0.3, "max": 0.7, "n": 3}
    assert r["peers"]["layerwise"]["fraction_of_peak"] == pytest.approx(0.7 / 3)
    assert r["peers"]["sklearn"]["fraction_of_peak"] == pytest.approx(0.1)
    assert r["peers"]["layerwise"]["fraction_of_peak_best"] == pytest.approx(0.3 / 2)


# float32 stays float32 ----------------------------------------------------------------------------

def test_no_silent_upcast_in_a_float32_training_epoch():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((96, 12)).astype(np.float32)
    y = rng.integers(0, 3, 96)
    params = lw.init_params([12, 8, 8, 3], rng, dtype=np.float32)
    # Every array of one step: caches, logits, dO, dZ, dW, db.
    O, caches = lw.forward(params, X, "relu")
    loss, dO = lw.softmax_cross_entropy(O, y)
    seen = [O.dtype, dO.dtype] + [c.linear[0].dtype for c in caches] + [c.Z.dtype for c in caches if c.Z is not None]
    grads = lw.backward(dO, caches, on_layer=lambda l, dZ, dW, db: seen.extend([dZ.dtype, dW.dtype, db.dtype]))
    assert all(dt == np.float32 for dt in seen), seen
    assert all(dW.dtype == np.float32 and db.dtype == np.float32 for dW, db in grads)
    # A whole epoch through train (int64 labels and a Python-float lr must not upcast either).
    history = lw.train(params, X, y, rng=np.random.default_rng(1), lr=0.1, epochs=1, batch_size=32)
    assert not history.diverged
    assert all(W.dtype == np.float32 and b.dtype == np.float32 for W, b in params)


def test_every_array_train_passes_between_functions_stays_float32(monkeypatch):
    import layerwise.training as training_module

    dtypes = []

    def spy(fn):
        def wrapped(*args, **kwargs):
            out = fn(*args, **kwargs)
            for a in (*args, out) if not isinstance(out, tuple) else (*args, *out):
                for arr in _arrays(a):
                    if arr.dtype.kind == "f":
                        dtypes.append((fn.__name__, arr.dtype))
            return out
        return wrapped

    for name in ("forward", "backward", "softmax_cross_entropy", "sgd_step"):
        monkeypatch.setattr(training_module, name, spy(getattr(training_module, name)))
    rng = np.random.default_rng(2)
    X = rng.standard_normal((64, 6)).astype(np.float32)
    params = lw.init_params([6, 5, 3], rng, dtype=np.float32)
    lw.train(params, X, rng.integers(0, 3, 64), rng=np.random.default_rng(3), lr=0.1, epochs=2, batch_size=16)
    assert {name for name, _ in dtypes} == {"forward", "backward", "softmax_cross_entropy", "sgd_step"}
    assert all(dt == np.float32 for _, dt in dtypes), sorted(set(dtypes), key=str)


def _arrays(obj):
    """Every ndarray inside obj (nested lists, tuples, LayerCache named tuples)."""
    if isinstance(obj, np.ndarray):
        yield obj
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from _arrays(item)


# memory -------------------------------------------------------------------------------------------

def test_memory_benchmark_agrees_with_the_shapes():
    cfg = {"sizes": [30, 20, 10, 5], "batch_size": 40, "dtype": "float64"}
    k = memory.kept_for_backward(cfg)
    # Z and H of two hidden layers, 40 rows each, 8 bytes: 8 · 40 · 2 · (20 + 10).
    assert k["predicted_bytes"] == k["cache_nbytes"] == 8 * 40 * 2 * 30
    # tracemalloc sees the caches and O, plus at most a few small Python objects.
    assert 0 <= k["tracemalloc_bytes"] - k["predicted_bytes"] - k["output_bytes"] < 4096
    s = memory.step_peak(cfg)
    P = 8 * (30 * 20 + 20 + 20 * 10 + 10 + 10 * 5 + 5)
    assert s["params_bytes"] == P and s["minimum_bytes"] == 2 * P + 8 * 40 * 2 * 30
    assert s["ratio_to_minimum"] >= 1.0          # train's step holds the caches, gradients and params at once
    # Keeping the caches referenced through the update can only cost more.
    assert memory.step_peak(cfg, keep_caches=True)["footprint_bytes"] >= s["footprint_bytes"]


@pytest.mark.parametrize("task", sorted(memory.CONFIGS))
def test_a_training_step_peaks_within_a_fifth_of_the_minimum(task):
    """Issue 15: a step of train's (forward, loss, backward, sgd_step) peaks at ≤ 1.2 × parameters +
    gradients + caches. Exceeded when backward keeps a layer's dZ alive while the next layer's
    σ'(Z) and dZ are made (digits was 1.22× so), or an update makes more than one temporary."""
    s = memory.step_peak(memory.CONFIGS[task])
    assert 1.0 <= s["ratio_to_minimum"] <= 1.2


# scaling: how cost grows -------------------------------------------------------------------------

def test_digits_data_can_be_cut_to_the_first_rows():
    full = training.make_data("digits", {}, seed=0)
    cut = training.make_data("digits", {"n_train": 64}, seed=0)
    assert cut[0].shape == (64, 64) and np.array_equal(cut[0], full[0][:64]) and np.array_equal(cut[2], full[2][:64])
    assert np.array_equal(cut[1], full[1])                      # the held-out rows stay whole


def assert_kept_bytes_match_the_shapes(point):
    """Z and H of every hidden layer, 8 bytes each (by hand), and tracemalloc within the stated overhead."""
    sizes, n = point["sizes"], point["batch_size"]
    assert point["predicted_bytes"] == point["cache_nbytes"] == 8 * n * 2 * sum(sizes[1:-1])
    depth = len(sizes) - 1
    assert 0 <= point["measured_bytes"] - point["predicted_bytes"] <= scaling.OVERHEAD_PER_LAYER * depth


def test_scaling_quick_times_every_peer_and_the_right_products_at_every_size(monkeypatch):
    """Every peer at every point of both sweeps, and the matmul-only line timed on each point's own
    sizes and batch, for the steps of one epoch (spied on benchmark_task's call of matmul_peak)."""
    calls = []

    def spy(sizes, batch_size, dtype, steps):
        calls.append((list(sizes), batch_size, np.dtype(dtype).name, steps))
        return common.matmul_peak(sizes, batch_size, dtype, steps)

    monkeypatch.setattr(training, "matmul_peak", spy)
    plan = scaling.QUICK_PLAN
    r = scaling.measure(quick=True, log=lambda text: None)
    n = plan["n_train"]
    expected = ([([64, 128, 128, 10], b) for b in plan["batch_sizes"]]
                + [([64, w, w, 10], scaling.BATCH_SIZE) for w in plan["widths"]])
    points = r["time_by_batch"] + r["time_by_width"]
    assert [(p["sizes"], p["batch_size"]) for p in points] == expected
    assert calls[1:] == [(sizes, b, "float64", n // b) for sizes, b in expected]      # calls[0]: the warm-up
    for p in points:
        assert set(p["peers"]) == set(training.available_peers())
        for s in [*p["peers"].values(), p["matmul_only"]]:
            assert s["n"] == plan["repeats"] and 0 < s["min"] <= s["median"] <= s["max"]
    assert [m["sizes"] for m in r["memory_by_depth"]] == [[64] + [128] * (d - 1) + [10] for d in plan["depths"]]
    assert [m["batch_size"] for m in r["memory_by_batch"]] == plan["batch_sizes"]
    for m in r["memory_by_depth"] + r["memory_by_batch"]:
        assert_kept_bytes_match_the_shapes(m)
    assert r["workload"]["n_train"] == n and r["workload"]["epochs"] == 1 and r["other_processes"]["samples"] >= 1


def test_predicted_memory_is_what_tracemalloc_measures_over_the_whole_plan():
    """The full sweeps of memory (deterministic, a second): depth 2 to 32, batch 1 to 1024."""
    plan = scaling.PLAN
    for depth in plan["depths"]:
        assert_kept_bytes_match_the_shapes(scaling.memory_point(scaling.sizes_of(128, depth), 64))
    for b in plan["batch_sizes"]:
        assert_kept_bytes_match_the_shapes(scaling.memory_point(scaling.sizes_of(128), b))


def test_committed_scaling_has_what_the_performance_page_reads():
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "results" / "scaling.json"
    assert path.exists(), "benchmarks/results/scaling.json is committed and read by chapters/performance.md"
    r = json.loads(path.read_text())
    plan = scaling.PLAN
    assert r["quick"] is False and r["workload"]["n_train"] == plan["n_train"]
    assert [p["batch_size"] for p in r["time_by_batch"]] == plan["batch_sizes"]
    assert [p["sizes"][1] for p in r["time_by_width"]] == plan["widths"]
    for p in r["time_by_batch"] + r["time_by_width"]:
        assert set(p["peers"]) == {"layerwise", "sklearn", "torch"} and p["matmul_only"]["n"] == plan["repeats"]
    assert [len(m["sizes"]) - 1 for m in r["memory_by_depth"]] == plan["depths"]
    for m in r["memory_by_depth"] + r["memory_by_batch"]:
        assert_kept_bytes_match_the_shapes(m)
    assert {"machine", "load_average", "other_processes", "loaded", "note", "command", "created_utc"} <= set(r)


# book build report --------------------------------------------------------------------------------

class FakeEnv:
    """Stands in for Sphinx's BuildEnvironment: only nb_metadata is read."""


def test_execution_report_reads_myst_nb_exec_data(tmp_path):
    env = FakeEnv()
    env.nb_metadata = {"chapters/a": {"exec_data": {"runtime": 1.5, "method": "direct", "succeeded": True,
                                                    "mtime": 0.0, "error": None, "traceback": None}},
                       "intro": {}}
    (tmp_path / "environment.pickle").write_bytes(pickle.dumps(env))
    assert book_build.execution_report(tmp_path) == {
        "chapters/a": {"runtime": 1.5, "method": "direct", "succeeded": True}}


# run_all: widget latency and targets ------------------------------------------------------------

def test_widget_latency_is_summarized_per_control(tmp_path):
    fake = tmp_path / "widget_latency.py"
    fake.write_text("import numpy as np\n"
                    "def measure(repeats=5, image_format='png'):\n"
                    "    return {'width': (np.arange(1.0, 101.0), np.ones(100)), 'depth': (np.full(4, 7.0), np.ones(4))}\n"
                    "def first_repeat(results):\n"
                    "    return np.array([2.0, 4.0, 6.0])\n")
    r = run_all.run_widget_latency(fake, 1, log=lambda s: None)
    assert r["controls"]["width"]["wall_p50_ms"] == pytest.approx(50.5)
    assert r["controls"]["width"]["wall_p95_ms"] == pytest.approx(95.05)
    assert r["controls"]["depth"]["wall_p95_ms"] == 7.0 and r["overall"]["n"] == 104
    assert r["first_repeat"] == {"n": 3, "wall_p50_ms": 4.0, "wall_p95_ms": pytest.approx(5.8)}
    assert run_all.run_widget_latency(tmp_path / "missing.py", 1, log=print) == {"skipped": "missing.py not found"}


def test_first_repeat_takes_each_controls_first_sweep():
    # measure() appends each control's values repeat after repeat: the first len(SWEEPS[name]) are repeat 1.
    results = {"width": (np.arange(12.0), np.zeros(12)), "lr": (100 + np.arange(9.0), np.zeros(9))}
    assert widget_latency.SWEEPS["width"] == [2, 4, 16, 8] and len(widget_latency.SWEEPS["lr"]) == 3
    assert widget_latency.first_repeat(results).tolist() == [0.0, 1.0, 2.0, 3.0, 100.0, 101.0, 102.0]


def test_targets_are_met_or_missed_by_the_numbers():
    peer = lambda t, f=0.9, dt="float32": {"epoch_seconds": {"median": t}, "fraction_of_peak": f, "dtype": dt}  # noqa: E731
    results = {
        "training": {
            "digits": {"peers": {"layerwise": peer(1.0, dt="float64")}, "speedup": {"layerwise": {"sklearn": 2.5}}},
            "mnist_sized": {"peers": {"layerwise": peer(2.0, 0.8)}, "speedup": {"layerwise": {"torch": 0.5}}},
        },
        "memory": {"m": {"train_step": {"ratio_to_minimum": 1.1}, "train_preallocated": {"ratio_to_minimum": 1.3}}},
        "widget_latency": {"overall": {"wall_p50_ms": 40.0, "wall_p95_ms": 120.0}},
        "explorer_js": {"frame_ms": {"p50": 15.5, "p95": 33.5}, "sgd_steps_per_frame": 7},
        "total_seconds": 300.0,
    }
    met = {(r["name"], r["measured"]): r["met"] for r in run_all.evaluate_targets(results)}
    assert met[("digits_vs_sklearn", "2.50×")] is True
    assert met[("mnist_vs_torch", "time ratio 2.00")] is False
    assert met[("mnist_peak", "80.0%")] is False
    assert met[("float32_end_to_end", "layerwise: float32")] is True
    assert met[("memory_step_peak", "m, layerwise.train's step: 1.10×")] is True
    assert met[("memory_step_peak", "m, train_preallocated: 1.30×")] is False
    assert met[("slider_latency", "p50 40 ms, p95 120 ms")] is False
    assert met[("python_explorer_latency", "p50 40 ms, p95 120 ms; first repeat p50 40 ms, p95 120 ms")] is False
    results["widget_latency"]["overall"] = {"wall_p50_ms": 14.0, "wall_p95_ms": 31.0}          # p95 over 30
    met = {(r["name"], r["measured"]): r["met"] for r in run_all.evaluate_targets(results)}
    assert met[("slider_latency", "p50 14 ms, p95 31 ms")] is True
    assert met[("python_explorer_latency", "p50 14 ms, p95 31 ms; first repeat p50 14 ms, p95 31 ms")] is False
    results["widget_latency"]["overall"] = {"wall_p50_ms": 15.0, "wall_p95_ms": 30.0}
    met = {(r["name"], r["measured"]): r["met"] for r in run_all.evaluate_targets(results)}
    assert met[("python_explorer_latency", "p50 15 ms, p95 30 ms; first repeat p50 15 ms, p95 30 ms")] is True
    # Met over all changes, but not where the settings are new: missed.
    results["widget_latency"]["first_repeat"] = {"wall_p50_ms": 16.0, "wall_p95_ms": 30.0}
    met = {(r["name"], r["measured"]): r["met"] for r in run_all.evaluate_targets(results)}
    assert met[("python_explorer_latency", "p50 15 ms, p95 30 ms; first repeat p50 16 ms, p95 30 ms")] is False
    assert met[("explorer_frame", "p50 15.5 ms, p95 33.5 ms, 7 SGD steps a frame")] is False      # p95 over 33
    assert met[("make_bench_time", "5.0 min (benchmarks only, without installs)")] is True


def test_committed_results_have_what_the_performance_page_reads():
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "results" / "latest.json"
    assert path.exists(), "benchmarks/results/latest.json is committed and read by chapters/performance.md"
    r = json.loads(path.read_text())
    assert {"machine", "load_average", "training", "memory", "targets", "command", "created_utc"} <= set(r)
    for task in ("digits", "mnist_sized"):
        assert "layerwise" in r["training"][task]["peers"]
    assert "sklearn" in r["training"]["digits"]["yardstick_speedup"]["bare_numpy"]


# explorer_js: the website explorer's frames ------------------------------------------------------

def test_explorer_benchmark_page_has_the_issue_settings(tmp_path):
    from bs4 import BeautifulSoup

    page = tmp_path / explorer_js.write_page(tmp_path)
    root = BeautifulSoup(page.read_text(), "html.parser").select_one("div.lw-live-explorer")
    settings = json.loads(root["data-settings"])
    assert (settings["width"], settings["depth"], settings["n"], settings["batch_size"]) == (8, 4, 200, 32)
    assert root["data-resolution"] == "100" and root["data-view"] == "all"
    assert len(root["data-panels"].split(",")) == 7                        # every panel of the explorer
    assert (tmp_path / "_static" / "lw-explorer" / "explorer.js").exists()
    assert explorer_js.summarize([1, 2, 3, 4]) == {"p50": 2.5, "p95": pytest.approx(3.85), "mean": 2.5, "min": 1.0,
                                                   "max": 4.0, "n": 4}


def test_explorer_benchmark_times_whole_frames_of_one_epoch():
    """A few frames in Chromium: one epoch (200 / 32 → 7 SGD steps) per frame, every panel on screen."""
    from site_server import require_chromium

    require_chromium()
    r = explorer_js.measure(frames=4, runs=1, warmup=2)
    assert r["sgd_steps_per_frame"] == 7 and r["frame_ms"]["n"] == 4
    assert r["frame_ms"]["p50"] >= r["draw_ms"]["p50"] >= r["grid_ms"]["p50"] >= 0 and r["train_ms"]["p50"] > 0
    assert r["worker_grid_ms"]["p50"] > 0 and 0 <= r["grid_behind_epochs"]["p50"] <= 4
    assert "explorer" in explorer_js.report(r)


def test_committed_explorer_frames_have_what_the_performance_page_reads():
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "results" / "explorer_js.json"
    assert path.exists(), "benchmarks/results/explorer_js.json is committed and read by chapters/performance.md"
    r = json.loads(path.read_text())
    assert {"frame_ms", "train_ms", "draw_ms", "grid_ms", "worker_grid_ms", "grid_behind_epochs", "per_run",
            "sgd_steps_per_frame", "sgd_step_ms", "sgd_steps_that_fit_16ms", "load_average", "machine", "command",
            "created_utc", "target", "met", "runs", "frames_per_run"} <= set(r)
    assert r["settings"]["width"] == 8 and r["settings"]["depth"] == 4 and r["settings"]["n"] == 200


# --- other processes' load (benchmarks/other_load.py) -------------------------------------------

def _fake_proc(root, processes):
    """A /proc with {pid: (ppid, start, utime, stime)}; names with spaces and ')' as real ones may have."""
    for pid, (ppid, start, utime, stime) in processes.items():
        (root / str(pid)).mkdir(parents=True, exist_ok=True)
        fields = ["S", str(ppid)] + ["0"] * 9 + [str(utime), str(stime)] + ["0"] * 6 + [str(start)] + ["0"] * 5
        (root / str(pid) / "stat").write_text(f"{pid} (a name) with) {' '.join(fields)}\n")
    return str(root)


def test_others_are_every_process_outside_our_tree(tmp_path):
    # pid 10 is us, 11 our child, 12 its child; 20 someone else's, 21 a newcomer, 22 a reused pid
    before = other_load.process_times(_fake_proc(tmp_path / "a", {
        10: (1, 5, 100, 0), 11: (10, 6, 50, 0), 12: (11, 7, 5, 5), 20: (1, 3, 1000, 0), 22: (1, 4, 70, 0)}))
    after = other_load.process_times(_fake_proc(tmp_path / "b", {
        10: (1, 5, 300, 0), 11: (10, 6, 250, 0), 12: (11, 7, 105, 5), 20: (1, 3, 1100, 50),
        21: (1, 8, 400, 0), 22: (1, 9, 80, 0)}))
    assert other_load.descendants(after, 10) == {10, 11, 12}
    # only pid 20 counts: 150 jiffies (ours are excluded, 21 was not there before, 22 is another process)
    assert other_load.others_jiffies(before, after, 10) == 150
    assert other_load.others_cores(before, after, seconds=1.5, root_pid=10, ticks=100) == pytest.approx(1.0)


def _spin_code(seconds, orphan):
    fork = "import os, sys\nif os.fork(): sys.exit(0)\n" if orphan else ""
    return f"{fork}import time\nend = time.process_time() + {seconds}\nwhile time.process_time() < end: pass"


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="Linux /proc only")
def test_a_busy_child_is_ours_and_a_busy_orphan_is_other():
    """One-sided checks, so that load from elsewhere cannot make them fail: an orphan (double fork: no
    longer our descendant) spinning for 1.5 s of CPU is seen as at least 1 core-second of other work;
    a spinning child of ours is in our tree, so it is never counted as other work."""
    sampler = other_load.OtherLoad(interval=0.2).start()
    subprocess.run([sys.executable, "-c", _spin_code(1.5, orphan=True)], check=True)
    time.sleep(2.5)                                    # the orphan spins meanwhile, then ends
    orphan = sampler.stop()
    assert orphan["mean_cores"] * orphan["samples"] * 0.2 >= 1.0

    before = other_load.process_times()
    child = subprocess.Popen([sys.executable, "-c", _spin_code(1.0, orphan=False)])
    time.sleep(0.3)
    during = other_load.process_times()
    assert child.pid in other_load.descendants(during, os.getpid())
    child.wait()
    assert other_load.others_jiffies(before, during, os.getpid()) >= 0


def test_verdict_never_calls_a_loaded_machine_quiet():
    loaded = {"mean_cores": 1.04, "max_cores": 1.5, "samples": 30, "cores": 2}
    is_loaded, note = other_load.verdict(loaded, "quiet machine: no other work running")
    assert is_loaded is True and note.startswith("Loaded machine: Other processes used 1.04 cores")
    assert "withdrawn as contradicted: 'quiet machine: no other work running'" in note and "Quiet machine:" not in note
    quiet = {"mean_cores": 0.05, "max_cores": 0.2, "samples": 30, "cores": 2}
    assert other_load.verdict(quiet, "quiet machine") == (False, "quiet machine. Quiet machine: Other processes used "
                                                          "0.05 cores on average (at most 0.20 in a 30-sample run) of 2.")
    assert other_load.verdict(quiet, "")[1].startswith("Quiet machine: Other processes used 0.05")
    assert other_load.verdict({"mean_cores": None}, "")[0] is None


def test_other_load_sampler_reports_samples():
    sampler = other_load.OtherLoad(interval=0.05).start()
    time.sleep(0.3)
    summary = sampler.stop()
    if os.path.exists("/proc/self/stat"):
        assert summary["samples"] >= 2 and 0 <= summary["mean_cores"] <= summary["max_cores"]


def test_committed_results_do_not_contradict_themselves():
    """A results file that was loaded, or not measured, never calls the run quiet in its own words."""
    for path in (Path(__file__).resolve().parent.parent / "benchmarks" / "results").glob("*.json"):
        r = json.loads(path.read_text())
        note = r.get("note") or ""
        if r.get("loaded") is not False:
            assert not note.lower().startswith("quiet") and "Quiet machine:" not in note, f"{path.name}: {note}"


def _beside_train(train_fn, activation="relu", dtype=np.float64):
    """Two epochs of layerwise.train and of train_fn from the same weights (of `dtype`; the data stays
    float64, so both must cast it) on the same minibatches:
    (params0, train's params, train_fn's params, train's History, train_fn's History)."""
    X, y = lw.data.load_digits()
    X, y = X[:300], y[:300]
    params0 = lw.init_params([64, 32, 16, 10], np.random.default_rng(5), dtype=dtype)
    ours, theirs = training.copy_params(params0), training.copy_params(params0)
    kwargs = dict(activation=activation, lr=0.1, epochs=2, batch_size=64)
    our_history = lw.train(ours, X, y, rng=np.random.default_rng(6), **kwargs)
    history = train_fn(theirs, X, y, rng=np.random.default_rng(6), **kwargs)
    return params0, ours, theirs, our_history, history


@pytest.mark.parametrize("activation", ["relu", "tanh"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_public_api_loop_trains_exactly_as_train(activation, dtype):
    """The benchmark's public-API loop (forward, softmax_cross_entropy, backward, sgd_step) must do
    train's work, step for step: the same parameters bit for bit after two epochs, and the same losses.
    train checks its inputs once and skips the per-call checks inside its steps; this is what shows
    that its steps are still exactly those public functions (float64 data into float32 weights too)."""
    _, ours, theirs, our_history, history = _beside_train(training.train_public_api, activation, dtype)
    assert history.epoch == [1, 2] and not history.diverged
    for (W, b), (W2, b2) in zip(ours, theirs):
        assert W.dtype == W2.dtype == dtype
        assert np.array_equal(W, W2) and np.array_equal(b, b2)
    assert history.loss == our_history.loss


def test_the_bare_numpy_yardstick_does_train_s_arithmetic():
    """The floor the page compares with must do the same SGD on the same minibatches: equal to train's
    parameters up to rounding (it computes softmax as E / ΣE, not exp(log-softmax))."""
    params0, ours, bare, _, _ = _beside_train(training.train_bare_numpy)
    for (W, b), (W2, b2) in zip(ours, bare):
        assert lw.rel_error(W, W2) < 1e-12 and lw.rel_error(b, b2) < 1e-12
    assert not np.array_equal(ours[0][0], params0[0][0])        # it trained: the check compares real steps


def test_threads_context_restores_both_libraries_thread_counts(monkeypatch):
    """run_all and scaling.py limit BLAS and PyTorch for a run; afterwards both must be as before, or a
    later measurement in the same process would run on the limit without saying so."""
    import types

    from threadpoolctl import threadpool_info

    counts = {"n": 2}
    fake_torch = types.SimpleNamespace(get_num_threads=lambda: counts["n"],
                                       set_num_threads=lambda k: counts.update(n=k))
    monkeypatch.setitem(sys.modules, "torch", fake_torch)
    blas_before = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    with common.threads_context(1):
        assert counts["n"] == 1
        assert all(pool["num_threads"] == 1 for pool in threadpool_info() if pool["user_api"] == "blas")
    assert counts["n"] == 2
    assert [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"] == blas_before
    with common.threads_context(None):
        assert counts["n"] == 2
