"""Memory of backpropagation: predicted versus measured bytes kept for backward, and the peak of one step.

Two questions (the note's claim 9): does `forward` keep exactly the bytes `layerwise.predicted_cache_bytes`
predicts, and how close does one training step (forward, loss, backward, SGD update) come to the least
memory any implementation needs: the parameters, their gradients and the cached activations?
tracemalloc sees NumPy's array buffers (NumPy reports them to it), so it measures what was allocated.
Run `python benchmarks/memory.py` for a table.
"""

import gc
import tracemalloc

import numpy as np

import layerwise as lw
from layerwise.fast import train_preallocated

CONFIGS = {
    "digits": {"sizes": [64, 128, 128, 10], "batch_size": 64, "dtype": "float64"},
    "mnist_sized": {"sizes": [784, 512, 512, 10], "batch_size": 256, "dtype": "float32"},
}


def params_nbytes(params):
    """Bytes of every W and b."""
    return sum(W.nbytes + b.nbytes for W, b in params)


def _batch(cfg, seed):
    rng = np.random.default_rng(seed)
    sizes, n, dtype = cfg["sizes"], cfg["batch_size"], np.dtype(cfg["dtype"])
    X = rng.standard_normal((n, sizes[0])).astype(dtype)
    y = rng.integers(0, sizes[-1], n)
    params = lw.init_params(sizes, rng, dtype=dtype)
    return params, X, y


def traced(fn):
    """(bytes still allocated after fn() minus before, peak during fn() minus before, fn's return value).

    Objects fn returns are still alive when the first number is taken, so it counts what fn keeps.
    """
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        out = fn()
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return current - base, peak - base, out


def kept_for_backward(cfg, seed=0):
    """Bytes `forward` keeps: predicted, counted in the caches, and measured by tracemalloc.

    tracemalloc also sees the output O and a few small Python objects, so O's bytes are reported
    beside it; measured − O − predicted is the overhead.
    """
    params, X, _ = _batch(cfg, seed)
    lw.forward(params, X, "relu")           # once untraced: one-time allocations of a first call are not "kept"
    kept, _, (O, caches) = traced(lambda: lw.forward(params, X, "relu"))
    return {
        "predicted_bytes": int(lw.predicted_cache_bytes(cfg["sizes"], cfg["batch_size"], cfg["dtype"])),
        "cache_nbytes": int(lw.cache_nbytes(caches)),
        "tracemalloc_bytes": int(kept),
        "output_bytes": int(O.nbytes),
    }


def step_peak(cfg, seed=0, lr=0.1, keep_caches=False):
    """Peak bytes of one training step of `layerwise` (forward, loss, backward, sgd_step) against the minimum.

    The minimum is parameters + gradients + cached activations (2 × params + predicted_cache_bytes);
    the step's footprint is the parameters (already allocated) plus the peak of what the step adds.
    The batch X is the caller's and is counted in neither. By default the step runs as
    `layerwise.train` runs it (the caches are dropped before sgd_step); keep_caches=True keeps them
    referenced during the update, as a plain `sgd_step(params, backward(dO, caches), lr)` does.
    """
    params, X, y = _batch(cfg, seed)

    def step():
        O, caches = lw.forward(params, X, "relu")
        _, dO = lw.softmax_cross_entropy(O, y)
        grads = lw.backward(dO, caches)
        if not keep_caches:
            del caches
        lw.sgd_step(params, grads, lr)

    step()                                  # once untraced: a first call's one-time allocations are not the step's
    _, peak, _ = traced(step)
    P = params_nbytes(params)
    cache = lw.predicted_cache_bytes(cfg["sizes"], cfg["batch_size"], cfg["dtype"])
    minimum = 2 * P + cache
    return {"params_bytes": int(P), "cache_bytes": int(cache), "minimum_bytes": int(minimum),
            "step_peak_added_bytes": int(peak), "footprint_bytes": int(P + peak),
            "ratio_to_minimum": (P + peak) / minimum}


def preallocated_peak(cfg, seed=0, lr=0.1):
    """The same as step_peak for `layerwise.fast.train_preallocated` on a dataset of exactly one batch.

    Its buffers (batch copy, Z, H, masks, dH, dW, db) are all counted; the batch copy is reported apart.
    """
    params, X, y = _batch(cfg, seed)
    _, peak, _ = traced(lambda: train_preallocated(params, X, y, rng=np.random.default_rng(seed), lr=lr,
                                                   epochs=1, batch_size=cfg["batch_size"]))
    P = params_nbytes(params)
    minimum = 2 * P + lw.predicted_cache_bytes(cfg["sizes"], cfg["batch_size"], cfg["dtype"])
    return {"step_peak_added_bytes": int(peak), "batch_copy_bytes": int(X.nbytes),
            "footprint_bytes": int(P + peak - X.nbytes), "ratio_to_minimum": (P + peak - X.nbytes) / minimum}


def benchmark_memory(configs=CONFIGS):
    """{config name: {"config", "kept_for_backward", "train_step", "train_preallocated"}}."""
    return {name: {"config": cfg, "kept_for_backward": kept_for_backward(cfg), "train_step": step_peak(cfg),
                   "train_step_caches_kept": step_peak(cfg, keep_caches=True),
                   "train_preallocated": preallocated_peak(cfg)}
            for name, cfg in configs.items()}


def format_memory(result):
    """A plain-text table of benchmark_memory's result (kB = 1000 bytes)."""
    lines = [f"{'config':<13}{'predicted kB':>13}{'cache kB':>10}{'traced kB':>10}{'O kB':>7}"
             f"{'minimum kB':>11}{'step kB':>9}{'ratio':>7}{'kept':>9}{'prealloc':>9}"]
    for name, r in result.items():
        k, s, f = r["kept_for_backward"], r["train_step"], r["train_preallocated"]
        rel = r["train_step_caches_kept"]
        lines.append(f"{name:<13}{k['predicted_bytes'] / 1e3:>13.1f}{k['cache_nbytes'] / 1e3:>10.1f}"
                     f"{k['tracemalloc_bytes'] / 1e3:>10.1f}{k['output_bytes'] / 1e3:>7.1f}"
                     f"{s['minimum_bytes'] / 1e3:>11.1f}{s['footprint_bytes'] / 1e3:>9.1f}"
                     f"{s['ratio_to_minimum']:>7.2f}{rel['ratio_to_minimum']:>9.2f}{f['ratio_to_minimum']:>9.2f}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(format_memory(benchmark_memory()))
