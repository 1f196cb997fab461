"""Frame time of the website's live explorer while it trains, in headless Chromium.

The page is the explorer's own HTML (layerwise.explorer_web, view "all": every panel) with its
JavaScript from assets/static/lw-explorer, served locally, in a window tall enough that every panel is
visible (so every frame redraws all of them). Settings of issue 11: width 8, depth 4, 200 training
points, a 100 × 100 grid. While "Play" is on, each animation frame trains one epoch of minibatch SGD
(200 points / batch 32 = 7 steps) and then recomputes the statistics and redraws every visible panel;
the grid's forward pass (10,000 points, for the surface and the neuron maps) runs meanwhile in a Web
Worker, and a frame draws the newest grid the worker has finished. The explorer logs the milliseconds
of every frame (`explorers[i].frames`): training, redraw, the whole frame on the page's thread, the
worker's time per grid and how many epochs the drawn grid is behind. Prints p50/p95 per run
and over all runs, the SGD steps a frame holds, what one step costs, and the load average; writes
JSON (default benchmarks/results/explorer_js.json). Target: p50 ≤ 16 ms, p95 ≤ 33 ms.

Run: .venv/bin/python benchmarks/explorer_js.py [--frames 300] [--runs 3] [--out PATH]
"""

import argparse
import datetime
import os
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))            # the site tests' server and Chromium helpers

SETTINGS = {"width": 8, "depth": 4, "n": 200}
VIEWPORT = {"width": 1280, "height": 3000}          # every panel on screen: all are redrawn each frame
TARGET = {"p50_ms": 16.0, "p95_ms": 33.0}


def write_page(folder):
    """The explorer page: the book's column width, the site's JavaScript and CSS. Returns its name."""
    import matplotlib

    matplotlib.use("Agg")
    from layerwise.explorer_web import live_explorer_html

    shutil.copytree(ROOT / "assets" / "static", folder / "_static")
    (folder / "explorer.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="stylesheet" href="_static/lw-explorer/explorer.css">'
        '<style>body{max-width:688px;margin:0 auto;font:16px system-ui,sans-serif}</style></head><body>'
        f'{live_explorer_html("all", **SETTINGS)}'
        '<script type="module" src="_static/lw-explorer/explorer.js"></script></body></html>', encoding="utf-8")
    return "explorer.html"


def play(page, frames):
    """Play until `frames` frames are logged (after a warm-up); returns the frame log and frame intervals."""
    page.evaluate("""() => { const e = window.layerwiseJS.explorers[0]; e.model.reset(); e.frames.length = 0;
                             window.__stamps = []; const tick = (t) => { window.__stamps.push(t);
                             if (e.playing) requestAnimationFrame(tick); }; e.play(); requestAnimationFrame(tick); }""")
    page.wait_for_function(f"() => window.layerwiseJS.explorers[0].frames.length >= {frames}",
                           timeout=max(60_000, 400 * frames), polling=200)
    page.evaluate("() => window.layerwiseJS.explorers[0].pause()")
    log = page.evaluate("() => window.layerwiseJS.explorers[0].frames")
    stamps = page.evaluate("() => window.__stamps")
    diverged = page.evaluate("() => window.layerwiseJS.explorers[0].model.diverged")
    assert not diverged, "the benchmark network diverged: its frames would not be typical"
    return log[:frames], np.diff(stamps)


def summarize(values):
    values = np.asarray(values, dtype=float)
    return {"p50": float(np.percentile(values, 50)), "p95": float(np.percentile(values, 95)),
            "mean": float(values.mean()), "min": float(values.min()), "max": float(values.max()), "n": int(values.size)}


def measure(frames=300, runs=3, warmup=30):
    """Per run and overall: frame, training and drawing times (ms), steps per frame, cost of a step."""
    from site_server import SiteServer, chromium

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        name = write_page(folder)
        with SiteServer(folder) as server, chromium() as browser:
            page = browser.new_page(viewport=VIEWPORT)
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(server.url + name, wait_until="load")
            page.wait_for_function("() => window.layerwiseJS && window.layerwiseJS.explorers.length === 1")
            hidden = page.evaluate("""() => window.layerwiseJS.explorers[0].panels
                                         .filter(p => p.figure.getBoundingClientRect().bottom > innerHeight).length""")
            assert hidden == 0, "every panel must be on screen, so that every frame redraws all of them"
            play(page, warmup)                                             # compiles the hot code
            per_run, all_frames, intervals = [], [], []
            for _ in range(runs):
                load = os.getloadavg()[0]
                log, gaps = play(page, frames)
                per_run.append({"total_ms": summarize([f["total"] for f in log]), "load_average": load})
                all_frames += log
                intervals += list(gaps)
            assert not errors, errors
    total = summarize([f["total"] for f in all_frames])
    train = summarize([f["train"] for f in all_frames])
    draw = summarize([f["draw"] for f in all_frames])
    grid = summarize([f["grid"] for f in all_frames])
    worker = [f["workerMs"] for f in all_frames if f["workerMs"] is not None]
    steps = int(np.median([f["steps"] for f in all_frames]))
    step_ms = train["p50"] / steps
    return {
        "settings": SETTINGS | {"batch_size": 32, "grid": "100 x 100", "view": "all (every panel redrawn)"},
        "frames_per_run": frames, "runs": runs, "per_run": per_run,
        "frame_ms": total, "train_ms": train, "draw_ms": draw, "grid_ms": grid,
        "worker_grid_ms": summarize(worker) if worker else None,
        "grid_behind_epochs": summarize([f["behind"] for f in all_frames]),
        "sgd_steps_per_frame": steps, "sgd_step_ms": step_ms,
        # how many SGD steps would fit in a 16 ms frame beside the redraw, at the median costs
        "sgd_steps_that_fit_16ms": int(max(0.0, TARGET["p50_ms"] - draw["p50"]) // step_ms) if step_ms > 0 else None,
        "frame_interval_ms": summarize(intervals) if intervals else None,
        "target": TARGET,
        "met": bool(total["p50"] <= TARGET["p50_ms"] and total["p95"] <= TARGET["p95_ms"]),
    }


def report(r):
    lines = [f"live explorer, one frame while playing (width 8, depth 4, 200 points, 100×100 grid, every panel): "
             f"{r['runs']} runs × {r['frames_per_run']} frames"]
    for i, run in enumerate(r["per_run"], start=1):
        t = run["total_ms"]
        lines.append(f"  run {i}: p50 {t['p50']:.1f} ms, p95 {t['p95']:.1f} ms (load average {run['load_average']:.2f})")
    f, t, d = r["frame_ms"], r["train_ms"], r["draw_ms"]
    lines.append(f"  all frames: p50 {f['p50']:.1f} ms, p95 {f['p95']:.1f} ms (target p50 <= 16, p95 <= 33: "
                 f"{'met' if r['met'] else 'MISSED'}); training p50 {t['p50']:.1f} ms, redraw p50 {d['p50']:.1f} ms")
    w = r["worker_grid_ms"]
    lines.append(f"  the grid's forward pass: in the worker p50 {w['p50']:.1f} ms" if w else
                 "  the grid's forward pass: no worker, computed in the frame")
    lines[-1] += (f"; on the page's thread p50 {r['grid_ms']['p50']:.1f} ms (a new network's first grid); the drawn "
                  f"grid is p50 {r['grid_behind_epochs']['p50']:.0f}, p95 {r['grid_behind_epochs']['p95']:.0f} "
                  f"epochs behind (one epoch a frame)")
    lines.append(f"  a frame holds {r['sgd_steps_per_frame']} SGD steps (one epoch); one step costs "
                 f"{r['sgd_step_ms']:.2f} ms, so about {r['sgd_steps_that_fit_16ms']} would fit in 16 ms beside the redraw")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--note", default="")
    parser.add_argument("--out", default=str(HERE / "results" / "explorer_js.json"))
    args = parser.parse_args()
    import common

    import other_load

    start = os.getloadavg()
    others = other_load.OtherLoad().start()
    result = measure(args.frames, args.runs)
    other_processes = others.stop()
    end = os.getloadavg()
    loaded, note = other_load.verdict(other_processes, args.note)
    cores = os.cpu_count() or 1
    result.update({
        "created_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": "python benchmarks/explorer_js.py " + " ".join(sys.argv[1:]),
        "machine": common.machine(), "load_average": {"start": list(start), "end": list(end)},
        "other_processes": other_processes, "loaded": loaded, "note": note,
    })
    print(report(result))
    print(f"load average {start[0]:.2f} at start, {end[0]:.2f} at end ({cores} cores)")
    common.write_results(result, args.out)


if __name__ == "__main__":
    main()
