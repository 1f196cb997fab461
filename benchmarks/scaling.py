"""How cost grows: epoch time against batch size and against width, memory kept for backward against depth and batch.

Time: the peers of benchmarks/training.py (`layerwise.train`, scikit-learn's MLPClassifier, PyTorch) on
the same work as there (same data, same initial weights, plain SGD), each point timed by
`training.benchmark_task`, with its matmul-only line (NumPy on exactly the matrix products of the
epoch). The workload is the digits network 64→h→h→10 in float64, one epoch on the first `n_train`
training rows (a power of two, so that every batch size divides it and no step is partial).
Memory: bytes `forward` keeps for backward, predicted from the shapes by `layerwise.predicted_cache_bytes`
and measured by tracemalloc (benchmarks/memory.py), which is deterministic.

Run: .venv/bin/python benchmarks/scaling.py [--quick] [--repeats N] [--threads N] [--out PATH]
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")     # see benchmarks/training.py; before torch loads

import argparse  # noqa: E402
import datetime  # noqa: E402
import shlex  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
import memory  # noqa: E402
import other_load  # noqa: E402
import training  # noqa: E402

# The sweeps. Time: batch sizes at width 128, widths at batch 64. Memory: depths at width 128 and batch 64
# (depth = number of weight layers), batch sizes at 64→128→128→10.
PLAN = {"n_train": 1024, "repeats": 5, "batch_sizes": [1, 4, 16, 64, 256, 1024],
        "widths": [16, 32, 64, 128, 256, 512, 1024, 2048], "depths": [2, 4, 8, 16, 32]}
QUICK_PLAN = {"n_train": 64, "repeats": 1, "batch_sizes": [1, 64], "widths": [16, 64], "depths": [2, 4]}
WIDTH, BATCH_SIZE = 128, 64                 # the width of the batch sweep, the batch of the width sweep

# What tracemalloc sees beyond the arrays `forward` keeps: per layer a cache tuple and the arrays' headers
# (Python objects whose size does not depend on the shapes). The measurement stays within this per layer.
OVERHEAD_PER_LAYER = 800                    # bytes


def sizes_of(width, depth=3):
    """The digits network with depth weight layers: [64, width, ..., width, 10]."""
    return [64] + [width] * (depth - 1) + [10]


def time_point(cfg, repeats):
    """Epoch time of every peer and of the matmul-only line at one configuration (benchmark_task)."""
    r = training.benchmark_task("digits", cfg, repeats)
    return {"sizes": cfg["sizes"], "batch_size": cfg["batch_size"],
            "peers": {name: p["epoch_seconds"] for name, p in r["peers"].items()},
            "matmul_only": r["peak"]["matmul_only_epoch_seconds"]}


def time_sweep(configs, repeats, log):
    """time_point of each configuration in turn, each logged as it is measured."""
    points = []
    for cfg in configs:
        points.append(time_point(cfg, repeats))
        log(format_point(points[-1]))
    return points


def memory_point(sizes, batch_size):
    """Bytes forward keeps at one configuration: predicted, in the caches, and measured (tracemalloc − O)."""
    k = memory.kept_for_backward({"sizes": sizes, "batch_size": batch_size, "dtype": "float64"})
    return dict(k, sizes=sizes, batch_size=batch_size, measured_bytes=k["tracemalloc_bytes"] - k["output_bytes"])


def measure(quick=False, repeats=None, threads=None, note="", command="", log=print):
    """Every sweep of the plan (QUICK_PLAN if quick), with the machine and other processes' load.

    Memory is measured first, before the load sampler starts: tracemalloc counts the allocations of
    every thread, the sampler's included.
    """
    plan = dict(QUICK_PLAN if quick else PLAN)
    plan["repeats"] = repeats or plan["repeats"]
    t_start = time.perf_counter()
    base = dict(training.TASKS["digits"], epochs=1, n_train=plan["n_train"])
    results = {"schema": 1, "command": command, "quick": quick, "threads": threads,
               "created_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
               "workload": dict(base, sizes=[64, "h", "h", 10], width_of_batch_sweep=WIDTH,
                                batch_of_width_sweep=BATCH_SIZE, **plan),
               "overhead_per_layer_bytes": OVERHEAD_PER_LAYER}
    results["memory_by_depth"] = [memory_point(sizes_of(WIDTH, depth), BATCH_SIZE) for depth in plan["depths"]]
    results["memory_by_batch"] = [memory_point(sizes_of(WIDTH), b) for b in plan["batch_sizes"]]
    for m in results["memory_by_depth"] + results["memory_by_batch"]:
        log(f"memory {m['sizes']} batch {m['batch_size']}: predicted {m['predicted_bytes']} B, "
            f"measured {m['measured_bytes']} B")

    load_start = common.load_average()
    others = other_load.OtherLoad().start()
    with common.threads_context(threads):
        results["machine"] = common.machine()
        # Warm-up, timed into no curve: imports and PyTorch's first-call set-up.
        training.benchmark_task("digits", dict(base, sizes=sizes_of(16)), 1)
        results["time_by_batch"] = time_sweep([dict(base, sizes=sizes_of(WIDTH), batch_size=batch_size)
                                               for batch_size in plan["batch_sizes"]], plan["repeats"], log)
        results["time_by_width"] = time_sweep([dict(base, sizes=sizes_of(width), batch_size=BATCH_SIZE)
                                               for width in plan["widths"]], plan["repeats"], log)
    results["load_average"] = {"start": load_start, "end": common.load_average()}
    results["other_processes"] = others.stop()
    results["loaded"], results["note"] = other_load.verdict(results["other_processes"], note)
    results["total_seconds"] = time.perf_counter() - t_start
    log(f"scaling: {results['total_seconds']:.0f} s; {results['note']}")
    return results


def format_point(point):
    """One line: the configuration, each peer's median epoch time and the matmul-only time (ms)."""
    times = ", ".join(f"{name} {s['median'] * 1e3:.2f}" for name, s in point["peers"].items())
    return (f"sizes {point['sizes']}, batch {point['batch_size']}: {times}, "
            f"matmul only {point['matmul_only']['median'] * 1e3:.2f} ms per epoch")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two small points per sweep, one repeat: checks the machinery")
    parser.add_argument("--repeats", type=int, help=f"repeats per peer and point (default {PLAN['repeats']})")
    parser.add_argument("--threads", type=int, help="threads for BLAS and PyTorch alike (default: their defaults)")
    parser.add_argument("--note", default="", help="a sentence stored with the results")
    parser.add_argument("--out", default=str(HERE / "results" / "scaling.json"))
    args = parser.parse_args(argv)
    command = shlex.join(["python", "benchmarks/scaling.py", *(sys.argv[1:] if argv is None else argv)])
    results = measure(args.quick, args.repeats, args.threads, args.note, command)
    common.write_results(results, args.out)
    return results


if __name__ == "__main__":
    main()
