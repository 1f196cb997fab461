"""Helpers for the real-browser tests: the page list from _toc.yml, a local HTTP server, Chromium.

Used by the browser tests, benchmarks/explorer_js.py and tools/page_weight.py (no conftest: fixtures
live in the test modules).
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import socket
import sys
import threading
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from editions import EDITIONS  # noqa: E402  (the book's languages and their folders in the site)

# Chromium on this machine reaches no network but the package registries: without the
# background-networking flags it keeps trying Google's hosts. --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def toc_pages(toc: Path) -> list[str]:
    """Every document of a jb-book _toc.yml, in reading order: root, then each `file`."""
    data = yaml.safe_load(toc.read_text(encoding="utf-8"))
    pages = [data["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                pages.append(str(node["file"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in data.items() if k != "root"})
    return [p.removesuffix(".md").removesuffix(".ipynb") for p in pages]


def edition_pages(pages: list[str]) -> list[str]:
    """The pages of every edition as paths in the built site: `intro`, ..., `ko/intro`, ..."""
    return [folder + page for _, folder in EDITIONS.values() for page in pages]


def split_edition(name: str) -> tuple[str, str]:
    """(edition folder, page) of a page path in the built site: `ko/chapters/x` -> (`ko/`, `chapters/x`)."""
    for _, folder in EDITIONS.values():
        if folder and name.startswith(folder):
            return folder, name[len(folder):]
    return "", name


def find_chromium() -> str | None:
    """Path of a Chromium binary: $CHROMIUM, Debian's /usr/bin/chromium, or one on PATH."""
    candidates = [os.environ.get("CHROMIUM"), "/usr/bin/chromium",
                  shutil.which("chromium"), shutil.which("chromium-browser")]
    for c in candidates:
        if c and Path(c).is_file() and os.access(c, os.X_OK):
            return c
    return None


def skip_or_fail(msg: str) -> None:
    """Skip the test for something missing, or fail under CI=true, where nothing may be missing."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(msg)
    pytest.skip(msg)


def require_chromium() -> str:
    """The Chromium path; skip (fail under CI=true) when there is none."""
    path = find_chromium()
    if path is None:
        skip_or_fail("no Chromium found (looked at $CHROMIUM, /usr/bin/chromium, PATH): "
                     "`make test` installs Debian's chromium; or apt-get install chromium")
    return path


def require_built(page: Path, site: Path) -> None:
    """Skip (fail under CI=true) when `page` of the built site at `site` is missing."""
    if not page.exists():
        skip_or_fail(f"no built site at {site}: run `make book` (or `make test`) first")


@contextlib.contextmanager
def chromium(path: str | None = None):
    """A headless Chromium launched by Playwright with CHROMIUM_ARGS, closed on exit.
    `path` defaults to require_chromium()."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path or require_chromium(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature fixed by http.server
        pass


class SiteServer:
    """Serve a directory on 127.0.0.1 from a daemon thread; use as a context manager."""

    def __init__(self, directory: Path):
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "SiteServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


# A slow link for page-weight and first-paint measurements (issue 10): 9 Mbit/s, 70 ms latency.
SLOW_LINK = {"offline": False, "latency": 70, "downloadThroughput": 9_000_000 / 8,
             "uploadThroughput": 9_000_000 / 8}


def cold_load(browser, url: str, *, width: int = 1280, link: dict = SLOW_LINK, tries: int = 2) -> dict:
    """Load url in a fresh context (empty cache) over an emulated slow link; what it cost.

    Chromium's DevTools protocol throttles the link (Network.emulateNetworkConditions) and reports
    each response's bytes on the wire (Network.loadingFinished.encodedDataLength, headers included).
    After the load event the page is scrolled to its end and left until the network is idle, so
    everything it fetches at all (MathJax's fonts, lazy images) is counted.
    A load that does not finish within 90 s (a stalled local connection, seen once on a busy machine)
    is tried again in a fresh context, up to `tries` times.
    Returns {"bytes": total, "fcp": first contentful paint in s, "resources": {url: bytes}}.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(tries):
        try:
            return _cold_load_once(browser, url, width, link)
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
    raise AssertionError("unreachable")


def _cold_load_once(browser, url: str, width: int, link: dict) -> dict:
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        urls: dict[str, str] = {}
        sizes: dict[str, int] = {}
        cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", link)
        page.goto(url, wait_until="load", timeout=90_000)
        page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_load_state("networkidle", timeout=120_000)
        fcp = page.evaluate("""() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime""")
    finally:
        context.close()
    resources: dict[str, int] = {}
    for rid, n in sizes.items():
        u = urls.get(rid, rid)
        if not u.startswith("data:"):
            resources[u] = resources.get(u, 0) + int(n)
    return {"bytes": sum(resources.values()), "fcp": None if fcp is None else fcp / 1000, "resources": resources}
