"""The website's explorer is the same math as layerwise: its JavaScript, run by Chromium on the built
explorer page (window.layerwiseJS), against the Python on the same numbers.

- 60 random networks (depths 1-8, widths 1-16, sigmoid/tanh/relu, weights of three scales): the
  logits, the loss and every dW, db of `forward`, `softmaxCrossEntropy`, `backward` equal
  `layerwise.forward`, `softmax_cross_entropy`, `backward` to a relative error <= 1e-12 (max norm:
  max|js - py| / max|py|); so do the grid's flat forward pass and `forwardInference`;
- 20 SGD steps on the same minibatches equal `layerwise.sgd_step`'s to <= 1e-10; logits of ±1e4
  stay finite in both;
- the datasets and the initial weights, fed NumPy's own draws (a recording generator here, a replay
  generator there), equal layerwise.data's and init_params' (which proves the formulas and the
  initialisers' standard deviations equal); the JavaScript's own generator is not NumPy's;
- the explorer model: statistics of the panels (histograms, gradient norms, surface, neuron maps, the
  dead-ReLU message), training on the same minibatches, and both divergence rules with their
  messages, against layerwise.explorer_model.ExplorerModel.

The worst errors go to $SITE_SCREENSHOTS/explorer_js_equality.txt. Needs the built site and Chromium
(skips without them, fails under CI=true), like tests/test_site.py.
"""
from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import numpy as np
import pytest

import layerwise as lw
from layerwise import explorer_model
from layerwise.explorer_model import ExplorerConfig, ExplorerModel
from site_server import ROOT, SiteServer, chromium, require_built, require_chromium

SITE = Path(os.environ.get("SITE_HTML", ROOT / "_build" / "html"))
SHOTS = Path(os.environ.get("SITE_SCREENSHOTS", ROOT / "_build" / "screenshots"))
PAGE = "chapters/explorer.html"
WORST: dict[str, float] = {}

# Arrays come back from the page as plain arrays of numbers (rows may be Float64Arrays there).
PLAIN_JS = "const plain = (M) => Array.from(M, (r) => (typeof r === 'number' ? r : Array.from(r)));"


@pytest.fixture(scope="module")
def page():
    """The built explorer page in Chromium, once its module has run."""
    path = require_chromium()
    require_built(SITE / PAGE, SITE)
    with SiteServer(SITE) as server, chromium(path) as browser:
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server.url + PAGE, wait_until="load")
        page.wait_for_function("() => window.layerwiseJS && window.layerwiseJS.explorers.length > 0", timeout=20_000)
        yield page
    assert not errors, f"uncaught errors on the page: {errors}"


def rel(js, py):
    """max|js - py| / max|py| (0 when both are 0); records nothing."""
    js, py = np.asarray(js, dtype=float), np.asarray(py, dtype=float)
    assert js.shape == py.shape, f"shapes {js.shape} (JavaScript) and {py.shape} (Python) differ"
    scale = np.abs(py).max()
    return float(np.abs(js - py).max() / scale) if scale > 0 else float(np.abs(js).max())


def check(name, js, py, tol):
    """Assert rel(js, py) <= tol and keep the worst error of `name` for the report."""
    err = rel(js, py)
    WORST[name] = max(err, WORST.get(name, 0.0))
    assert err <= tol, f"{name}: relative error {err:.2e} > {tol:g}"


def params_json(params):
    return [[W.tolist(), b.tolist()] for W, b in params]


def random_network(rng, depth, activation):
    """A random network, data and labels: depth hidden layers, widths 1-16, weights of three scales."""
    sizes = [int(rng.integers(1, 7))] + [int(rng.integers(1, 17)) for _ in range(depth)] + [int(rng.integers(2, 6))]
    scale = float(rng.choice([0.3, 1.0, 3.0]))
    params = [(scale * rng.normal(size=(a, b)) / np.sqrt(a), rng.normal(size=b)) for a, b in zip(sizes[:-1], sizes[1:])]
    n = int(rng.integers(1, 41))
    X = 2 * rng.normal(size=(n, sizes[0]))
    y = rng.integers(0, sizes[-1], size=n)
    return params, X, y, activation


NETWORKS = [random_network(np.random.default_rng(1000 + i), depth=1 + i % 8, activation=("sigmoid", "tanh", "relu")[i % 3])
            for i in range(60)]


def test_forward_loss_backward_equal_layerwise(page):
    cases = [{"params": params_json(p), "X": X.tolist(), "y": y.tolist(), "activation": a} for p, X, y, a in NETWORKS]
    results = page.evaluate(PLAIN_JS + """(cases) => cases.map(({params, X, y, activation}) => {
        const lw = window.layerwiseJS;
        const {O, caches} = lw.forward(params, X, activation);
        const {loss, dO} = lw.softmaxCrossEntropy(O, y);
        const grads = lw.backward(dO, caches);
        const flat = lw.forwardFlat(params, Float64Array.from(X.flat()), X.length, activation);
        return {O: plain(O), loss, grads: grads.map(([dW, db]) => [plain(dW), Array.from(db)]),
                inference: plain(lw.forwardInference(params, X, activation)), flat: Array.from(flat.O)};
    })""", cases)
    assert len(results) == len(NETWORKS) >= 50
    depths = {len(p) - 1 for p, *_ in NETWORKS}
    assert depths == set(range(1, 9)) and {a for *_, a in NETWORKS} == {"sigmoid", "tanh", "relu"}
    for (params, X, y, activation), r in zip(NETWORKS, results):
        O, caches = lw.forward(params, X, activation)
        loss, dO = lw.softmax_cross_entropy(O, y)
        grads = lw.backward(dO, caches)
        check("logits O", r["O"], O, 1e-12)
        check("logits, forwardInference", r["inference"], O, 1e-12)
        check("logits, forwardFlat (the grid)", np.reshape(r["flat"], O.shape), O, 1e-12)
        check("loss", r["loss"], loss, 1e-12)
        for (dW_js, db_js), (dW, db) in zip(r["grads"], grads):
            check("dW", dW_js, dW, 1e-12)
            check("db", db_js, db, 1e-12)


def test_twenty_sgd_steps_on_the_same_minibatches(page):
    for i, (params, X, y, activation) in enumerate(NETWORKS[:12]):
        rng = np.random.default_rng(i)
        X = np.vstack([X] * 4)                                    # enough rows for minibatches
        y = np.concatenate([y] * 4)
        batches = [rng.choice(len(X), size=min(8, len(X)), replace=False) for _ in range(20)]
        lr = float(rng.choice([0.01, 0.1, 0.5]))
        start = params_json(params)
        py = [(W.copy(), b.copy()) for W, b in params]
        losses = []
        for idx in batches:
            O, caches = lw.forward(py, X[idx], activation)
            loss, dO = lw.softmax_cross_entropy(O, y[idx])
            lw.sgd_step(py, lw.backward(dO, caches), lr)
            losses.append(loss)
        r = page.evaluate(PLAIN_JS + """({params, X, y, activation, batches, lr}) => {
            const lw = window.layerwiseJS, losses = [];
            for (const idx of batches) {
                const {O, caches} = lw.forward(params, idx.map((i) => X[i]), activation);
                const {loss, dO} = lw.softmaxCrossEntropy(O, idx.map((i) => y[i]));
                const back = lw.sgdStep(params, lw.backward(dO, caches), lr);
                if (back !== params) throw new Error("sgdStep must return params");
                losses.push(loss);
            }
            return {losses, params: params.map(([W, b]) => [plain(W), Array.from(b)])};
        }""", {"params": start, "X": X.tolist(), "y": y.tolist(), "activation": activation,
               "batches": [b.tolist() for b in batches], "lr": lr})
        check("SGD: loss of each of 20 steps", r["losses"], losses, 1e-10)
        for (W_js, b_js), (W, b) in zip(r["params"], py):
            check("SGD: W after 20 steps", W_js, W, 1e-10)
            check("SGD: b after 20 steps", b_js, b, 1e-10)


def test_extreme_logits_stay_finite_in_both(page):
    O = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 5e3], [1e4, 1e4, -1e4]])
    y = np.array([1, 0, 2])
    loss, dO = lw.softmax_cross_entropy(O, y)
    # a network whose first layer makes Z of ±1e4: sigmoid and tanh saturate without NaN
    params = [(np.array([[1e4, -1e4]]), np.zeros(2)), (np.eye(2), np.zeros(2))]
    X = np.array([[1.0], [-1.0]])
    r = page.evaluate(PLAIN_JS + """({O, y, params, X}) => {
        const lw = window.layerwiseJS, out = lw.softmaxCrossEntropy(O, y);
        const nets = ["sigmoid", "tanh", "relu"].map((a) => {
            const f = lw.forward(params, X, a), s = lw.softmaxCrossEntropy(f.O, [0, 1]);
            return {O: plain(f.O), loss: s.loss, grads: lw.backward(s.dO, f.caches).map(([dW, db]) => [plain(dW), Array.from(db)])};
        });
        return {loss: out.loss, dO: plain(out.dO), nets};
    }""", {"O": O.tolist(), "y": y.tolist(), "params": params_json(params), "X": X.tolist()})
    assert np.isfinite(loss) and np.isfinite(dO).all()
    assert np.isfinite(r["loss"]) and np.isfinite(r["dO"]).all()
    check("loss at logits ±1e4", r["loss"], loss, 1e-12)
    check("dO at logits ±1e4", r["dO"], dO, 1e-12)
    for activation, net in zip(("sigmoid", "tanh", "relu"), r["nets"]):
        O2, caches = lw.forward(params, X, activation)
        loss2, dO2 = lw.softmax_cross_entropy(O2, np.array([0, 1]))
        grads = lw.backward(dO2, caches)
        assert np.isfinite(net["loss"]) and all(np.isfinite(g).all() for pair in net["grads"] for g in pair)
        check("logits O", net["O"], O2, 1e-12)
        check("loss", net["loss"], loss2, 1e-12)
        for (dW_js, db_js), (dW, db) in zip(net["grads"], grads):
            check("dW", dW_js, dW, 1e-12)
            check("db", db_js, db, 1e-12)


class Recorder:
    """A numpy Generator that records every uniform and standard normal it hands out, in order."""

    def __init__(self, seed):
        self.gen = np.random.default_rng(seed)
        self.uniforms, self.normals = [], []

    def random(self, size=None):
        u = self.gen.random(size)
        self.uniforms += np.ravel(u).tolist()
        return u

    def normal(self, loc=0.0, scale=1.0, size=None):
        z = self.gen.standard_normal(size)
        self.normals += np.ravel(z).tolist()
        return loc + scale * z

    def draws(self):
        return {"uniforms": self.uniforms, "normals": self.normals}


@pytest.fixture
def recording(monkeypatch):
    """Let layerwise.data and init_params take a Recorder for an rng."""
    from layerwise import data, initializers

    monkeypatch.setattr(data, "check_rng", lambda rng: rng)
    monkeypatch.setattr(initializers, "check_rng", lambda rng: rng)
    return Recorder


@pytest.mark.parametrize("name, n, noise", [("moons", 101, 0.1), ("circles", 60, 0.05), ("spirals", 100, 0.2),
                                            ("xor", 42, 0.3), ("moons", 7, 0.0)])
def test_datasets_equal_on_the_same_draws(page, recording, name, n, noise):
    rec = recording(n)
    X, y = lw.data.make_dataset(name, n, rec, noise=noise)
    r = page.evaluate("""({name, n, noise, draws}) => {
        const lw = window.layerwiseJS, out = lw.makeDataset(name, n, lw.replayRng(draws), noise);
        return {X: out.X, y: out.y};
    }""", {"name": name, "n": n, "noise": noise, "draws": rec.draws()})
    assert r["y"] == y.tolist()
    check(f"dataset X ({name})", r["X"], X, 1e-14)


@pytest.mark.parametrize("init, scale", [("he", 0.01), ("xavier", 0.01), ("normal", 0.37)])
def test_initial_weights_equal_on_the_same_draws(page, recording, init, scale):
    rec = recording(7)
    sizes = [2, 16, 3, 9, 4]
    params = lw.init_params(sizes, rec, init=init, scale=scale)
    r = page.evaluate(PLAIN_JS + """({sizes, init, scale, draws}) => {
        const lw = window.layerwiseJS;
        return lw.initParams(sizes, lw.replayRng(draws), init, scale).map(([W, b]) => [plain(W), Array.from(b)]);
    }""", {"sizes": sizes, "init": init, "scale": scale, "draws": rec.draws()})
    for (W_js, b_js), (W, b) in zip(r, params):
        check(f"initial W ({init})", W_js, W, 1e-15)
        assert b_js == b.tolist() == [0.0] * len(b)


def test_defaults_and_constants_equal_the_python(page):
    r = page.evaluate("""() => { const lw = window.layerwiseJS;
        return {defaults: lw.DEFAULTS, FLOOR: lw.FLOOR, H_BINS: lw.H_BINS, DZ_BINS: lw.DZ_BINS,
                DZ_LOG_RANGE: lw.DZ_LOG_RANGE, NEURON_MAP_MAX_WIDTH: lw.NEURON_MAP_MAX_WIDTH}; }""")
    assert r.pop("defaults") == dataclasses.asdict(ExplorerConfig())
    assert r == {"FLOOR": explorer_model.FLOOR, "H_BINS": explorer_model.H_BINS, "DZ_BINS": explorer_model.DZ_BINS,
                 "DZ_LOG_RANGE": list(explorer_model.DZ_LOG_RANGE),
                 "NEURON_MAP_MAX_WIDTH": explorer_model.NEURON_MAP_MAX_WIDTH}


def test_histograms_rules_and_formats_on_their_edge_cases(page):
    """Values exactly on bin edges, beyond the range, NaN; the growth rule at its thresholds; the
    numbers in the messages as Python formats them."""
    edges = np.linspace(-1.0, 1.0, explorer_model.H_BINS + 1)    # tanh's: (v - lo)·bins/(hi - lo) misses some edges
    values = np.concatenate([edges, [-3.0, 3.0, np.nan, 0.1, -0.2, 1e-300, -1e-300]]).reshape(2, 19)
    pairs = [(0.7, 2.7), (0.7, 2.7000001), (2.0, 6.0), (2.0, 6.0000001), (0.5, 0.4), (1.1, 3.2), (1.1, 3.0999)]
    numbers = [10.0, 3.0, 0.1, 0.001, 1e-7, 1234.5, 40.404, 0.25, 5.0, 123456789.0, 0.5260622843]
    r = page.evaluate("""({edges, values, pairs, numbers}) => {
        const lw = window.layerwiseJS;
        return {counts: lw.fractionHistogram(values, edges), grown: pairs.map(([a, b]) => lw.grownTooMuch(a, b)),
                g: numbers.map((x) => lw.formatG(x)), g3: numbers.map((x) => lw.formatG(x, 3)),
                nice: numbers.map((x) => lw.niceCeiling(x))};
    }""", {"edges": edges.tolist(), "values": values.tolist(),                  # NaN goes over as NaN
           "pairs": pairs, "numbers": numbers})
    assert r["counts"] == explorer_model.fraction_histogram(values, edges).tolist()
    assert r["grown"] == [explorer_model.grown_too_much(a, b) for a, b in pairs]
    assert r["g"] == [f"{x:g}" for x in numbers] and r["g3"] == [f"{x:.3g}" for x in numbers]
    assert r["nice"] == [explorer_model.nice_ceiling(x) for x in numbers]


def model_state(m, permutations=()):
    """What the JavaScript model needs to start where the Python one is: data, weights, replayed draws."""
    return {"X": m.X.tolist(), "y": m.y.tolist(), "X_test": m.X_test.tolist(), "y_test": m.y_test.tolist(),
            "params": params_json(m.params), "draws": {"permutations": [p.tolist() for p in permutations]}}


JS_MODEL = """const lw = window.layerwiseJS;
const start = (settings, state, resolution) => lw.ExplorerModel.fromState(
    settings, {...state, rng: lw.replayRng(state.draws)}, {resolution});"""

STATS_SETTINGS = [
    {},
    {"dataset": "spirals", "width": 6, "depth": 5, "activation": "relu", "init": "he", "seed": 3, "noise": 0.3},
    {"dataset": "xor", "width": 3, "depth": 2, "activation": "sigmoid", "init": "normal", "scale": 0.5, "seed": 1},
    {"dataset": "circles", "width": 12, "depth": 8, "activation": "sigmoid", "init": "xavier", "seed": 2},
    {"activation": "relu", "init": "he", "dead": True},
]


@pytest.mark.parametrize("settings", STATS_SETTINGS, ids=lambda s: ",".join(f"{k}={v}" for k, v in s.items()) or "defaults")
def test_panel_statistics_equal_explorer_stats(page, settings, monkeypatch):
    settings = dict(settings)
    dead = settings.pop("dead", False)
    m = ExplorerModel(resolution=20, **settings)
    if dead:
        m.params = [(W, b - 100.0) for W, b in m.params]            # every ReLU unit negative for every point
    shown = m.stats(layer=2 if m.config.depth > 1 else 1)          # the Jupyter explorer's: float32 grid where proven
    tolerance = explorer_model.GRID_TOLERANCE
    monkeypatch.setattr(explorer_model, "GRID_TOLERANCE", 0.0)     # the page's grid is float64: Python's here too
    s = m._stats(shown.layer)
    r = page.evaluate(PLAIN_JS + JS_MODEL + """({settings, state, layer}) => {
        const s = start(settings, state, 20).stats(layer);
        return {HEdges: s.HEdges, HCounts: s.HCounts, dZEdges: s.dZEdges, dZCounts: s.dZCounts, dWNorms: s.dWNorms,
                loss: s.loss, accuracy: s.accuracy, testLoss: s.testLoss, P: Array.from(s.P), extent: s.extent,
                neuronMaps: s.neuronMaps && plain(s.neuronMaps), neuronRange: s.neuronRange, layer: s.layer,
                message: s.message, weights: s.weights.map(plain)};
    }""", {"settings": dataclasses.asdict(m.config), "state": model_state(m), "layer": s.layer})
    assert r["layer"] == s.layer
    check("H histogram edges", r["HEdges"], s.H_edges, 1e-15)
    assert r["HCounts"] == [c.tolist() for c in s.H_counts], "fractions of H^(l) per bin differ"
    assert r["dZEdges"] == s.dZ_edges.tolist()
    assert r["dZCounts"] == [c.tolist() for c in s.dZ_counts], "fractions of log10|dZ^(l)| per bin differ"
    if s.dW_norms.any():
        check("‖dW^(l)‖", r["dWNorms"], s.dW_norms, 1e-12)
    else:
        assert r["dWNorms"] == [0.0] * len(s.dW_norms)
    check("stats: loss", r["loss"], s.loss, 1e-12)
    check("stats: test loss", r["testLoss"], s.test_loss, 1e-12)
    assert r["accuracy"] == s.accuracy
    check("surface softmax(O) on the grid", r["P"], s.P_grid.ravel(), 1e-12)
    assert np.abs(np.array(r["P"]) - shown.P_grid.ravel()).max() <= tolerance
    check("grid extent", r["extent"], s.extent, 1e-15)
    if s.neuron_maps is None:
        assert r["neuronMaps"] is None
    else:
        check("neuron maps", r["neuronMaps"], s.neuron_maps.reshape(len(s.neuron_maps), -1), 1e-12)
        assert np.abs(np.array(r["neuronMaps"]) - shown.neuron_maps.reshape(len(s.neuron_maps), -1)).max() <= tolerance
        check("neuron map range", r["neuronRange"], s.neuron_range, 1e-15)
    assert r["message"] == s.message
    assert ("all ReLU units are dead" in s.message) == dead
    for W_js, W in zip(r["weights"], s.weights):
        assert W_js == W.tolist()


# (settings, epochs, "sgd" (train_epochs) or "step" (full-batch steps), what the message must say)
TRAINING = [
    ({"lr": 0.1}, 12, "sgd", ""),                                             # trains normally
    ({"lr": 0.3, "batch_size": 7, "activation": "relu", "init": "he"}, 8, "sgd", ""),
    ({"lr": 10.0}, 20, "sgd", "loss grew from"),                              # the loss grows: stops
    ({"lr": 10.0, "init": "normal", "scale": 10.0, "depth": 6, "width": 32, "activation": "relu"}, 5, "sgd",
     "loss became NaN"),                                                      # overflow: the last finite state
    ({"lr": 3.0, "activation": "relu"}, 20, "sgd", "all ReLU units are dead"),
    ({"lr": 0.5}, 6, "step", ""),                                             # full-batch gradient descent
    ({"lr": 10.0, "activation": "sigmoid", "seed": 2}, 8, "step", "loss grew from"),
]


@pytest.mark.parametrize("settings, epochs, how, says", TRAINING, ids=[f"{s}-{e}-{h}" for s, e, h, _ in TRAINING])
def test_training_and_divergence_rules_equal_the_python(page, settings, epochs, how, says):
    m = ExplorerModel(resolution=10, **settings)
    twin = np.random.default_rng()
    twin.bit_generator.state = m.rng.bit_generator.state                   # the minibatches train will draw
    permutations = [twin.permutation(m.config.n) for _ in range(epochs)] if how == "sgd" else []
    state = model_state(m, permutations)
    for _ in range(epochs):
        m.train_epochs(1) if how == "sgd" else m.step()
    r = page.evaluate(PLAIN_JS + JS_MODEL + """({settings, state, epochs, how}) => {
        const m = start(settings, state, 10);
        for (let e = 0; e < epochs; e++) (how === "sgd" ? m.trainEpoch() : m.step());
        const s = m.stats(1);
        return {epochs: m.epochs, losses: m.losses, testLosses: m.testLosses, diverged: m.diverged,
                message: s.message, params: m.params.map(([W, b]) => [plain(W), Array.from(b)])};
    }""", {"settings": dataclasses.asdict(m.config), "state": state, "epochs": epochs, "how": how})
    s = m.stats()
    assert r["epochs"] == m.epochs and r["diverged"] == m.diverged
    assert r["message"] == s.message, "the explorer must say the same thing"
    check("training: loss per epoch", r["losses"], m.losses, 1e-10)
    check("training: test loss per epoch", r["testLosses"], m.test_losses, 1e-10)
    for (W_js, b_js), (W, b) in zip(r["params"], m.params):
        check("training: W kept", W_js, W, 1e-10)
        check("training: b kept", b_js, b, 1e-10)
    assert all(np.isfinite(W).all() for W, _ in m.params)                 # the last finite state is kept
    assert (says in s.message) if says else s.message == "", f"the case is meant to end with {says!r}: {s.message!r}"


def test_the_grid_worker_computes_what_the_page_computes(page):
    """While playing, the surface comes from grid_worker.js: the same gridForward, bit for bit."""
    same = page.evaluate("""() => new Promise((resolve, reject) => {
        const lw = window.layerwiseJS, m = new lw.ExplorerModel({activation: "relu", depth: 3, width: 5}, {resolution: 30});
        const mine = m.gridValues();
        const worker = new Worker("../_static/lw-explorer/grid_worker.js", {type: "module"});
        worker.onerror = (e) => reject(new Error("worker failed: " + e.message));
        worker.onmessage = ({data}) => {
            worker.terminate();
            const equal = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
            resolve(data.start === 7 && data.version === m.version && data.layer === 2 && equal(data.P, mine.P)
                    && equal(data.Hl, mine.H[2]));
        };
        worker.postMessage({start: 7, version: m.version, params: m.params, activation: "relu", k: m.k, n: 900,
                            layer: 2, grid: m.grid});
    })""")
    assert same


def test_zz_report_the_worst_errors():
    """Writes the worst relative error of each comparison (read by the lead's report)."""
    assert WORST, "run the whole module: the comparisons record their errors"
    SHOTS.mkdir(parents=True, exist_ok=True)
    lines = [f"{name:<40} worst relative error {err:.2e}" for name, err in sorted(WORST.items())]
    lines.append(f"{len(NETWORKS)} random networks, depths {sorted({len(p) - 1 for p, *_ in NETWORKS})}")
    (SHOTS / "explorer_js_equality.txt").write_text("\n".join(lines) + "\n")
    (SHOTS / "explorer_js_equality.json").write_text(json.dumps(WORST, indent=1) + "\n")
