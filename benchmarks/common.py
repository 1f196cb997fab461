"""Helpers shared by the benchmarks: timing summaries, interleaved repeats, the machine, the matmul peak.

Benchmarks are scripts, not tests: nothing here asserts a time. Every number is a median over
repeats with its min and max, because the machine may be shared and one run proves little.
"""

import contextlib
import json
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np


def summarize(samples):
    """{"median", "min", "max", "n"} of a list of numbers (seconds, bytes, ...). Raises on an empty list."""
    samples = [float(s) for s in samples]
    if not samples:
        raise ValueError("summarize needs at least one sample")
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples), "n": len(samples)}


def interleaved(runners, repeats):
    """Run every runner once per round, `repeats` rounds, rotating the order each round.

    runners: {name: zero-argument callable returning a dict with at least "seconds"}.
    Returns {name: [result of round 1, round 2, ...]}. Rotating the order spreads a burst of load
    from other processes over all peers instead of charging it to one of them.
    """
    names = list(runners)
    results = {name: [] for name in names}
    for r in range(repeats):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            results[name].append(runners[name]())
    return results


def timed(fn, *args, **kwargs):
    """(seconds, return value) of one call of fn, by the monotonic high-resolution clock."""
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - t0, out


def mlp_n_params(sizes):
    """Trainable numbers of a dense network with layer widths sizes = [d, h_1, ..., p]: Σ (fan_in + 1) fan_out."""
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))


def nominal_flops(sizes, n):
    """The usual estimate of one training epoch's work, 6 × parameters × samples (forward 2, backward 4)."""
    return 6 * mlp_n_params(sizes) * n


def step_matmul_shapes(sizes, n):
    """(m, k, n) of every matrix product one SGD step on a batch of n rows performs, forward then backward.

    Forward: H^(l-1) W^(l) for each layer. Backward: dW = Hᵀ dZ for each layer and dH = dZ Wᵀ for
    every layer but the first (the input X needs no gradient).
    """
    shapes = [(n, a, b) for a, b in zip(sizes[:-1], sizes[1:])]             # H @ W
    shapes += [(a, n, b) for a, b in zip(sizes[:-1], sizes[1:])]            # Hᵀ @ dZ
    shapes += [(n, b, a) for a, b in list(zip(sizes[:-1], sizes[1:]))[1:]]  # dZ @ Wᵀ
    return shapes


def matmul_flops(shapes):
    """2 m k n multiply-adds summed over matrix products of shapes (m, k, n)."""
    return sum(2 * m * k * n for m, k, n in shapes)


def step_matmuls(sizes, batch_size, dtype, rng=None):
    """A zero-argument function doing exactly the matrix products of one SGD step (same shapes, same transposes).

    Forward H^(l-1) @ W^(l); backward H^(l-1)ᵀ @ dZ^(l), and dZ^(l) @ W^(l)ᵀ for l > 1, on random
    operands of `dtype` made once here.
    """
    rng = np.random.default_rng(0) if rng is None else rng
    dtype = np.dtype(dtype)
    n = batch_size
    Hs = [rng.standard_normal((n, a)).astype(dtype) for a in sizes[:-1]]
    Ws = [rng.standard_normal((a, b)).astype(dtype) for a, b in zip(sizes[:-1], sizes[1:])]
    dZs = [rng.standard_normal((n, b)).astype(dtype) for b in sizes[1:]]

    def step():
        for H, W in zip(Hs, Ws):
            H @ W
        for H, dZ in zip(Hs, dZs):
            H.T @ dZ
        for dZ, W in list(zip(dZs, Ws))[1:]:
            dZ @ W.T

    return step


def matmul_peak(sizes, batch_size, dtype, steps, rng=None):
    """NumPy's speed on the matrix products alone of `steps` SGD steps, timed in one go like an epoch.

    Returns {"seconds": time of the `steps` steps' products, "gflops": their GFLOP/s}. Nothing but
    matrix products is timed, so this is the speed a training loop would reach if every other
    operation were free: the "peak" against which an epoch is compared. It is timed exactly like a
    training run (once per repeat, no best-of), so that load from other processes hits both alike.
    """
    step = step_matmuls(sizes, batch_size, dtype, rng)
    step()                                              # warm up BLAS threads and caches
    seconds, _ = timed(lambda: [step() for _ in range(steps)])
    flops = steps * matmul_flops(step_matmul_shapes(sizes, batch_size))
    return {"seconds": seconds, "gflops": flops / seconds / 1e9}


def square_matmul_gflops(size, dtype, repeats=3, rng=None):
    """Best GFLOP/s of one (size × size) @ (size × size) product over `repeats`: the BLAS's large-matrix speed."""
    rng = np.random.default_rng(0) if rng is None else rng
    A = rng.standard_normal((size, size)).astype(dtype)
    A @ A
    best = min(timed(lambda: A @ A)[0] for _ in range(repeats))
    return 2 * size ** 3 / best / 1e9


def cpu_model():
    """The CPU's model name from /proc/cpuinfo (or platform.processor() elsewhere)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cpu_flags(wanted=("avx", "avx2", "fma", "avx512f")):
    """Which of the SIMD flags `wanted` /proc/cpuinfo lists (what the BLAS kernels can use)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    present = set(line.split(":", 1)[1].split())
                    return [w for w in wanted if w in present]
    except OSError:
        pass
    return []


def load_average():
    """The 1-, 5- and 15-minute load averages, or None where the OS has none."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def versions():
    """Versions of Python and of every library a benchmark may use; None for one that is missing."""
    out = {"python": platform.python_version()}
    for name in ("numpy", "sklearn", "torch", "threadpoolctl", "layerwise", "jupyter_book", "myst_nb"):
        try:
            module = __import__(name)
            out[name] = getattr(module, "__version__", "unknown")
        except ImportError:
            out[name] = None
    return out


def blas_info():
    """The thread pools (BLAS, OpenMP) loaded in this process, as threadpoolctl reports them."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    keep = ("user_api", "internal_api", "version", "num_threads", "architecture", "threading_layer", "prefix")
    return [{k: info.get(k) for k in keep} for info in threadpool_info()]


def machine():
    """The machine description stored beside every result."""
    return {
        "cpu": cpu_model(),
        "cpu_flags": cpu_flags(),
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "versions": versions(),
        "blas": blas_info(),
    }


def write_results(results, path):
    """The results as indented JSON at path (its folder made if missing); prints where."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {path}", flush=True)


def threads_context(threads):
    """Limit NumPy's BLAS and PyTorch to `threads` threads (None: leave every library's default)."""
    stack = contextlib.ExitStack()
    if threads is None:
        return stack
    from threadpoolctl import threadpool_limits
    stack.enter_context(threadpool_limits(threads))
    try:
        import torch
    except ImportError:
        return stack
    stack.callback(torch.set_num_threads, torch.get_num_threads())      # restored on exit
    torch.set_num_threads(threads)
    return stack
