"""Fetch the pinned JavaScript the website serves itself (MathJax) and the browser tests use (axe-core).

By default a Jupyter Book page loads MathJax from a CDN; this book serves it from its own site so it
reads offline. Each package comes from the npm registry with ``npm pack`` at an exact version, its
tarball is checked against the sha512 pinned below, and only the files needed are unpacked under
``_assets/`` (git-ignored): ``_assets/site/_vendor/<name>/`` for the site, which ``_config.yml``
copies into the built site (``html_extra_path``) and points ``mathjax_path`` at, and
``_assets/test/<name>/`` for the tests only (axe-core, injected into each page by tests/test_site.py;
never part of the site). The site loads no widget manager: a page without a kernel shows no widgets
(see layerwise.widgets).

Idempotent: a stamp file records the pins; when it matches, nothing is fetched.
Usage: python tools/fetch_vendor.py [--force]
"""
from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEST = ROOT / "_assets"
STAMP = DEST / ".vendor-stamp.json"

# name -> (version, npm integrity, folder under _assets/, what to keep from the tarball's package/)
PINS = {
    "mathjax": (
        "3.2.2",
        "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
        "site/_vendor/mathjax",
        # the components _config.yml's mathjax3_config loads (startup = loader + startup; core; TeX
        # input with its extensions; CommonHTML output with its fonts; hidden MathML for screen
        # readers). Not the combined tex-mml-chtml.js, whose context menu alone is 0.43 MB.
        ["LICENSE", "es5/startup.js", "es5/core.js", "es5/input/tex-base.js", "es5/input/tex/extensions",
         "es5/output/chtml.js", "es5/output/chtml/fonts", "es5/a11y/assistive-mml.js"],
    ),
    # the accessibility rules the browser tests run on every page (WCAG 2.1 A and AA)
    "axe-core": (
        "4.14.1",
        "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
        "test/axe-core",
        ["axe.min.js", "LICENSE", "package.json"],
    ),
}


def sri(path: Path) -> str:
    """npm's integrity string (sha512, base64) of a file."""
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def fetch(name: str, version: str, integrity: str, tmp: Path) -> Path:
    """npm pack name@version into tmp, check the pinned integrity, return the tarball."""
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("fetch_vendor: npm is needed to fetch the site's JavaScript (Debian: apt-get install npm)")
    out = subprocess.run([npm, "pack", f"{name}@{version}", "--json", "--silent",
                          "--pack-destination", str(tmp)],
                         check=True, capture_output=True, text=True, cwd=tmp).stdout
    tarball = tmp / json.loads(out)[0]["filename"]
    got = sri(tarball)
    if got != integrity:
        sys.exit(f"fetch_vendor: {name}@{version} integrity mismatch: expected {integrity}, got {got}")
    return tarball


def unpack(tarball: Path, keep: list[str], dest: Path, tmp: Path) -> None:
    """Extract the tarball and copy only the kept paths (globs allowed) of package/ into dest."""
    work = tmp / (tarball.stem + "-x")
    with tarfile.open(tarball) as tar:
        if hasattr(tarfile, "data_filter"):          # Python >= 3.11.4: refuse unsafe members
            tar.extractall(work, filter="data")
        else:
            tar.extractall(work)
    pkg = work / "package"
    for pattern in keep:
        matches = sorted(pkg.glob(pattern))
        if not matches:
            sys.exit(f"fetch_vendor: {pattern!r} not found in {tarball.name}")
        for src in matches:
            target = dest / src.relative_to(pkg)
            target.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, target, dirs_exist_ok=True)
            else:
                shutil.copy2(src, target)


def main(force: bool = False) -> None:
    wanted = {name: [pin[0], pin[1], pin[2], pin[3]] for name, pin in PINS.items()}
    if not force and STAMP.exists() and json.loads(STAMP.read_text()) == wanted:
        return
    if DEST.exists():
        shutil.rmtree(DEST)
    DEST.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        for name, (version, integrity, folder, keep) in PINS.items():
            unpack(fetch(name, version, integrity, tmp), keep, DEST / folder, tmp)
            print(f"fetch_vendor: {name}@{version} -> {(DEST / folder).relative_to(ROOT)}")
    STAMP.write_text(json.dumps(wanted, indent=1))


if __name__ == "__main__":
    main(force="--force" in sys.argv[1:])
