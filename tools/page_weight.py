"""Print each page's bytes transferred and first contentful paint on a cold load over a slow link.

The link is Chromium's network emulation at 9 Mbit/s and 70 ms latency (tests/site_server.py,
SLOW_LINK); the site is served from 127.0.0.1 by Python's http.server (no compression). Each page
is loaded `--runs` times in a fresh browser context (empty cache); bytes are the same every time,
the first paint printed is the median.
Usage: .venv/bin/python tools/page_weight.py [SITE_DIR] [--runs 3] [--top 5]
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from site_server import SiteServer, chromium, cold_load, find_chromium, toc_pages  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", nargs="?", default=str(ROOT / "_build" / "html"))
    ap.add_argument("--toc", default=str(ROOT / "_toc.yml"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--top", type=int, default=0, help="also list each page's N largest resources")
    args = ap.parse_args()
    pages = toc_pages(Path(args.toc))
    print(f"{'page':<32} {'bytes':>10} {'MB':>6} {'FCP s':>6}  (runs)")
    with SiteServer(Path(args.site)) as server, chromium(find_chromium()) as browser:
        for name in pages:
            runs = [cold_load(browser, f"{server.url}{name}.html") for _ in range(args.runs)]
            fcp = statistics.median(r["fcp"] for r in runs)
            n = runs[0]["bytes"]
            each = " ".join(f"{r['fcp']:.2f}" for r in runs)
            print(f"{name:<32} {n:>10,} {n / 1e6:>6.2f} {fcp:>6.2f}  {each}")
            for u, b in sorted(runs[0]["resources"].items(), key=lambda kv: -kv[1])[:args.top]:
                print(f"    {b:>10,}  {u.removeprefix(server.url)[:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
