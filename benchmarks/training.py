"""Training throughput: layerwise against scikit-learn's MLPClassifier and PyTorch on identical work.

Identical work means: the same data, the same layer sizes, the same initial weights (He normal,
drawn once by `layerwise.init_params` and copied into every peer), plain minibatch SGD with the
same learning rate and batch size, a fresh shuffle every epoch, the same dtype, and the same
number of epochs. layerwise and PyTorch even see the same minibatches (the same permutations);
scikit-learn shuffles with its own generator. Run `python benchmarks/training.py` for a table.
"""

import os
import warnings

# Idle OpenMP threads of PyTorch must sleep, not spin: spinning threads would steal the cores from
# NumPy's BLAS threads in the next peer's turn (set before torch is imported; an explicit value wins).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402

import layerwise as lw  # noqa: E402
from layerwise.fast import train_preallocated  # noqa: E402

# Importable both as a script (`python benchmarks/training.py`) and as the module benchmarks.training.
try:
    from common import interleaved, matmul_peak, nominal_flops, summarize, timed
except ImportError:
    from benchmarks.common import interleaved, matmul_peak, nominal_flops, summarize, timed


# The two workloads of issue 7.
TASKS = {
    "digits": {"sizes": [64, 128, 128, 10], "batch_size": 64, "epochs": 20, "lr": 0.1, "dtype": "float64"},
    "mnist_sized": {"sizes": [784, 512, 512, 10], "batch_size": 256, "epochs": 1, "lr": 0.1, "dtype": "float32",
                    "n_train": 60_000, "n_test": 10_000},
}


def digits_data(rng):
    """The 8×8 digits split 75/25 with rng: (X_train, X_test, y_train, y_test), float64 in [0, 1]."""
    X, y = lw.data.load_digits()
    return lw.data.train_test_split(X, y, rng, test_fraction=0.25)


def teacher_data(n_train, n_test, sizes, rng, dtype=np.float32, hidden=64):
    """MNIST-sized synthetic data with learnable structure: X ~ N(0, 1), labels from a random teacher network.

    X: (n, d) with d = sizes[0]; y = argmax(tanh(X A / √d) B) with A: (d, hidden) and B: (hidden, p)
    drawn from rng, p = sizes[-1]. A network can learn the rule, so accuracy measures learning, not noise.
    Returns (X_train, X_test, y_train, y_test) with X in `dtype` and y int64.
    """
    d, p = sizes[0], sizes[-1]
    X = rng.standard_normal((n_train + n_test, d), dtype=np.float32).astype(dtype, copy=False)
    A = rng.standard_normal((d, hidden)) / np.sqrt(d)
    B = rng.standard_normal((hidden, p))
    y = np.tanh(X.astype(np.float64) @ A) @ B
    y = y.argmax(axis=1).astype(np.int64)
    return X[:n_train], X[n_train:], y[:n_train], y[n_train:]


def copy_params(params):
    """A deep copy of [(W, b), ...], so that every peer starts from the same numbers."""
    return [(W.copy(), b.copy()) for W, b in params]


def train_public_api(params, X, y, *, rng, activation="relu", lr=0.1, epochs=10, batch_size=32):
    """The training loop a user writes with the public API: forward, softmax_cross_entropy, backward,
    sgd_step per minibatch, on the minibatches `layerwise.train` draws from rng. Returns a History
    with each epoch's mean loss, summed as `layerwise.train` sums it."""
    history = lw.History()
    for epoch in range(1, epochs + 1):
        total_loss = 0.0
        for idx in lw.iterate_minibatches(X.shape[0], batch_size, rng):
            O, caches = lw.forward(params, X[idx], activation)
            loss, dO = lw.softmax_cross_entropy(O, y[idx])
            grads = lw.backward(dO, caches)
            lw.sgd_step(params, grads, lr)
            total_loss += loss * len(idx)
        history.epoch.append(epoch)
        history.loss.append(total_loss / X.shape[0])
    return history


def train_bare_numpy(params, X, y, *, rng, activation="relu", lr=0.1, epochs=10, batch_size=32):
    """The floor of any per-minibatch NumPy loop: the same SGD on the same minibatches with no checks,
    no function calls of layerwise and the fewest NumPy calls a step needs (ReLU only). Returns a History.

    Not bit-equal to train (softmax as E / ΣE instead of exp(log-softmax)); a yardstick, not a peer to use.
    """
    history = lw.History()
    L = len(params)
    for epoch in range(1, epochs + 1):
        for idx in lw.iterate_minibatches(X.shape[0], batch_size, rng):
            Hs, m = [X[idx]], len(idx)
            for l, (W, b) in enumerate(params, start=1):
                Z = Hs[-1] @ W
                Z += b
                if l < L:
                    Hs.append(np.maximum(Z, 0))
            dZ = np.exp(Z - Z.max(axis=1, keepdims=True))
            dZ /= dZ.sum(axis=1, keepdims=True)
            dZ[np.arange(m), y[idx]] -= 1
            dZ /= m
            for l in range(L, 0, -1):
                W, b = params[l - 1]
                dW, db = Hs[l - 1].T @ dZ, dZ.sum(axis=0)
                if l > 1:
                    dZ = dZ @ W.T
                    dZ *= Hs[l - 1] > 0
                W -= lr * dW
                b -= lr * db
        history.epoch.append(epoch)
    return history


# Our ways of training besides `layerwise.train`, timed beside it: {peer name: train-like function}.
OUR_VARIANTS = {"layerwise_preallocated": train_preallocated, "layerwise_public_api": train_public_api}
# What no per-minibatch NumPy loop beats, timed beside them (not counted as ours).
YARDSTICKS = {"bare_numpy": train_bare_numpy}


def extra_runners():
    """extra_runners for benchmark_task: OUR_VARIANTS and YARDSTICKS as run_layerwise runners."""
    return {name: (lambda *a, f=f: run_layerwise(*a, train=f)) for name, f in {**OUR_VARIANTS, **YARDSTICKS}.items()}


def run_layerwise(data, params0, cfg, seed, train=None):
    """Train a copy of params0 with `train` (default layerwise.train); {"seconds", "accuracy", "dtype"}."""
    train = lw.train if train is None else train
    X, X_test, y, y_test = data
    params = copy_params(params0)
    seconds, history = timed(train, params, X, y, rng=np.random.default_rng(seed), activation="relu",
                             lr=cfg["lr"], epochs=cfg["epochs"], batch_size=cfg["batch_size"])
    if history.diverged:
        raise RuntimeError(history.message)
    _, accuracy = lw.evaluate(params, X_test, y_test, "relu")
    return {"seconds": seconds, "accuracy": accuracy, "dtype": str(params[0][0].dtype)}


def sklearn_model(params0, cfg, seed):
    """An MLPClassifier configured as plain minibatch SGD that starts from params0 instead of Glorot uniform."""
    from sklearn.neural_network import MLPClassifier

    class GivenInitMLP(MLPClassifier):
        # scikit-learn draws its initial weights in _init_coef, layer by layer; hand it ours instead.
        def _init_coef(self, fan_in, fan_out, dtype):
            W, b = self.initial_params_[len(self.coefs_)]
            return W.astype(dtype, copy=True), b.astype(dtype, copy=True)

    clf = GivenInitMLP(
        hidden_layer_sizes=tuple(cfg["sizes"][1:-1]), activation="relu", solver="sgd", alpha=0.0,
        batch_size=cfg["batch_size"], learning_rate="constant", learning_rate_init=cfg["lr"],
        momentum=0.0, nesterovs_momentum=False, shuffle=True, max_iter=cfg["epochs"],
        tol=0.0, n_iter_no_change=cfg["epochs"] + 1, early_stopping=False, random_state=seed,
    )
    clf.initial_params_ = copy_params(params0)
    return clf


def run_sklearn(data, params0, cfg, seed):
    """Train scikit-learn's MLPClassifier on the same work; {"seconds", "accuracy", "dtype"}."""
    from sklearn.exceptions import ConvergenceWarning

    X, X_test, y, y_test = data
    clf = sklearn_model(params0, cfg, seed)
    with warnings.catch_warnings():
        # Reaching max_iter is the point here (a fixed number of epochs), not a convergence problem.
        warnings.simplefilter("ignore", ConvergenceWarning)
        seconds, _ = timed(clf.fit, X, y)
    return {"seconds": seconds, "accuracy": float(clf.score(X_test, y_test)), "dtype": str(clf.coefs_[0].dtype)}


def torch_model(params0):
    """nn.Sequential(Linear, ReLU, ..., Linear) holding a copy of params0 (torch stores W transposed)."""
    import torch

    layers = []
    for l, (W, b) in enumerate(params0, start=1):
        linear = torch.nn.Linear(W.shape[0], W.shape[1], dtype=torch.from_numpy(W).dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W.T.copy()))
            linear.bias.copy_(torch.from_numpy(b))
        layers.append(linear)
        if l < len(params0):
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def torch_fit(model, X, y, cfg, seed):
    """Train a torch model in place by plain SGD on the minibatches layerwise.train would draw from `seed`."""
    import torch
    import torch.nn.functional as F

    n, bs = X.shape[0], cfg["batch_size"]
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=0.0)
    rng = np.random.default_rng(seed)              # the same permutations as layerwise.train's rng
    for _ in range(cfg["epochs"]):
        order = torch.from_numpy(rng.permutation(n))
        for start in range(0, n, bs):
            idx = order[start:start + bs]
            loss = F.cross_entropy(model(Xt[idx]), yt[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    return model


def run_torch(data, params0, cfg, seed):
    """Train the same network in PyTorch (CPU, torch.optim.SGD, same minibatches); {"seconds", "accuracy", "dtype"}."""
    import torch

    X, X_test, y, y_test = data
    model = torch_model(params0)
    seconds, _ = timed(torch_fit, model, X, y, cfg, seed)
    with torch.no_grad():
        pred = model(torch.from_numpy(X_test)).argmax(dim=1).numpy()
    return {"seconds": seconds, "accuracy": float((pred == y_test).mean()), "dtype": str(model[0].weight.dtype).removeprefix("torch.")}


def available_peers():
    """Names of the peers whose libraries import here (PyTorch is optional)."""
    peers = ["layerwise"]
    for name, module in (("sklearn", "sklearn"), ("torch", "torch")):
        try:
            __import__(module)
            peers.append(name)
        except ImportError:
            pass
    return peers


def make_data(task, cfg, seed):
    """The data of a task: digits (its first cfg["n_train"] training rows when given), or MNIST-sized
    teacher data (n_train, n_test from cfg)."""
    rng = np.random.default_rng(seed)
    if task == "digits":
        X, X_test, y, y_test = digits_data(rng)
        n = cfg.get("n_train", len(X))
        return X[:n], X_test, y[:n], y_test
    return teacher_data(cfg["n_train"], cfg["n_test"], cfg["sizes"], rng, dtype=np.dtype(cfg["dtype"]))


def paired_ratio(numerators, denominators):
    """Median over rounds of numerators[r] / denominators[r]: the ratio of two runs of one round.

    Runs of one round are minutes apart at most, so a machine that is slow for a while slows both
    sides of a ratio; a ratio of two medians would compare runs from different moments.
    """
    if len(numerators) != len(denominators):
        raise ValueError(f"paired_ratio needs one pair per round, got {len(numerators)} and {len(denominators)} runs")
    return summarize([a / b for a, b in zip(numerators, denominators)])["median"]


def benchmark_task(task, cfg, repeats, seed=0, peers=None, extra_runners=None):
    """Time every peer `repeats` times, interleaved, with the matmul peak measured between them.

    Returns {"config", "peers": {name: {"epoch_seconds", "accuracy", "gflops", "fraction_of_peak", "dtype"}},
    "peak": {...}, "speedup": {ours: {peer: peer's epoch time / ours}}, "yardstick_speedup": {yardstick: {peer: ...}}},
    ours being the layerwise* runners and yardsticks those of YARDSTICKS.
    Ratios (speedup, fraction_of_peak) are medians of the ratios within each round (`paired_ratio`);
    speedup_best and fraction_of_peak_best compare the fastest runs.
    `extra_runners` maps more names to run_layerwise-like callables (a faster path, say).
    """
    peers = available_peers() if peers is None else peers
    cfg = dict(cfg)
    data = make_data(task, cfg, seed)
    dtype = np.dtype(cfg["dtype"])
    params0 = lw.init_params(cfg["sizes"], np.random.default_rng(seed + 1), init="he", dtype=dtype)
    n = data[0].shape[0]
    steps_per_epoch = n / cfg["batch_size"]
    run = {"layerwise": run_layerwise, "sklearn": run_sklearn, "torch": run_torch}
    runners = {name: (lambda f=run[name]: f(data, params0, cfg, seed)) for name in peers}
    for name, fn in (extra_runners or {}).items():
        runners[name] = lambda f=fn: f(data, params0, cfg, seed)

    def peak():
        # The products of every step of the run (a partial last batch counted as its fraction of a step).
        steps = max(1, round(steps_per_epoch * cfg["epochs"]))
        p = matmul_peak(cfg["sizes"], cfg["batch_size"], dtype, steps)
        return {"seconds": p["seconds"] * steps_per_epoch * cfg["epochs"] / steps, "gflops": p["gflops"]}

    runners["matmul_peak"] = peak
    raw = interleaved(runners, repeats)

    flops = nominal_flops(cfg["sizes"], n)
    peak_runs = raw.pop("matmul_peak")
    peak_epoch = summarize([r["seconds"] / cfg["epochs"] for r in peak_runs])
    out = {"config": dict(cfg, n_train=n, n_test=data[1].shape[0], repeats=repeats, init="he (layerwise.init_params)"),
           "nominal_gflop_per_epoch": flops / 1e9,
           "peak": {"matmul_gflops": summarize([r["gflops"] for r in peak_runs]),
                    "matmul_only_epoch_seconds": peak_epoch},
           "peers": {}}
    seconds = {name: [r["seconds"] for r in runs] for name, runs in raw.items()}
    for name, runs in raw.items():
        epoch = summarize([s / cfg["epochs"] for s in seconds[name]])
        out["peers"][name] = {
            "epoch_seconds": epoch,
            "accuracy": summarize([r["accuracy"] for r in runs]),
            "gflops": flops / epoch["median"] / 1e9,
            # Share of the epoch that matrix products at peak speed would fill: 1.0 means nothing else costs time.
            "fraction_of_peak": paired_ratio([r["seconds"] for r in peak_runs], seconds[name]),
            "dtype": runs[0]["dtype"],
        }
    # speedup[ours][peer] = peer's epoch time / ours (≥ 1: ours is faster); its inverse is the time ratio.
    ours = [name for name in out["peers"] if name.startswith("layerwise")]
    others = [name for name in out["peers"] if name not in ours]
    out["speedup"] = {a: {b: paired_ratio(seconds[b], seconds[a]) for b in others} for a in ours}
    # The same for each yardstick against the peers: how far any per-minibatch NumPy loop gets.
    yardsticks = [name for name in others if name in YARDSTICKS]
    out["yardstick_speedup"] = {a: {b: paired_ratio(seconds[b], seconds[a]) for b in others if b not in yardsticks}
                                for a in yardsticks}
    # The same from each peer's fastest run: on a loaded machine, the best estimate of undisturbed speed.
    out["speedup_best"] = {a: {b: out["peers"][b]["epoch_seconds"]["min"] / out["peers"][a]["epoch_seconds"]["min"]
                               for b in others} for a in ours}
    for name, p in out["peers"].items():
        p["fraction_of_peak_best"] = peak_epoch["min"] / p["epoch_seconds"]["min"]
    return out


def format_task(name, result):
    """A plain-text table of one task's result."""
    lines = [f"{name}: sizes {result['config']['sizes']}, batch {result['config']['batch_size']}, "
             f"{result['config']['epochs']} epoch(s), {result['config']['dtype']}, {result['config']['repeats']} repeats",
             f"  {'peer':<16}{'epoch s (median)':>18}{'min–max':>18}{'accuracy':>10}{'GFLOP/s':>9}{'of peak':>9}"]
    for peer, r in result["peers"].items():
        e = r["epoch_seconds"]
        lines.append(f"  {peer:<16}{e['median']:>18.4f}{e['min']:>9.4f}–{e['max']:<8.4f}"
                     f"{r['accuracy']['median']:>10.3f}{r['gflops']:>9.1f}{r['fraction_of_peak']:>9.0%}")
    pk = result["peak"]
    lines.append(f"  matmul-only epoch at peak: {pk['matmul_only_epoch_seconds']['median']:.4f} s "
                 f"({pk['matmul_gflops']['median']:.1f} GFLOP/s on the step's own shapes)")
    for a, row in result["speedup"].items():
        for b, x in row.items():
            lines.append(f"  {a} vs {b}: {x:.2f}× the throughput (time ratio {1 / x:.2f}; "
                         f"fastest runs: {result['speedup_best'][a][b]:.2f}×)")
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--task", choices=sorted(TASKS), action="append")
    args = parser.parse_args()
    for task in args.task or list(TASKS):
        print(format_task(task, benchmark_task(task, TASKS[task], args.repeats, extra_runners=extra_runners())))
