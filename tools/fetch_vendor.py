"""Fetch the pinned JavaScript the website serves itself (MathJax, RequireJS, ipywidgets' HTML manager).

By default a Jupyter Book page loads these from CDNs; this book serves them from its own site so it
reads offline. Each package comes from the npm registry with ``npm pack`` at an exact version, its
tarball is checked against the sha512 pinned below, and only the files a page needs are unpacked into
``_assets/site/_vendor/<name>/``. ``_config.yml`` copies ``_assets/site`` into the built site
(``html_extra_path``) and points ``mathjax_path`` / ``nb_ipywidgets_js`` at it.

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
DEST = ROOT / "_assets" / "site" / "_vendor"
STAMP = DEST / ".stamp.json"

# name -> (version, npm integrity, folder under the site's _vendor/, what to keep from the tarball's package/)
PINS = {
    "mathjax": (
        "3.2.2",
        "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
        "mathjax",
        # the combined TeX/MathML -> CommonHTML bundle, plus what it loads on demand
        # (TeX extensions, CHTML fonts, menu, accessibility and its speech engine)
        ["LICENSE", "es5/tex-mml-chtml.js", "es5/input", "es5/output/chtml", "es5/output/chtml.js",
         "es5/ui", "es5/a11y", "es5/sre", "es5/adaptors", "es5/core.js", "es5/loader.js",
         "es5/startup.js"],
    ),
    "requirejs": (
        "2.3.7",
        "sha512-DouTG8T1WanGok6Qjg2SXuCMzszOo0eHeH9hDZ5Y4x8Je+9JB38HdTLT4/VA8OaUhBa0JPVHJ0pyBkM1z+pDsw==",
        "requirejs",
        ["require.js", "package.json"],
    ),
    # 1.0.15 bundles @jupyter-widgets/base ^6.0.12 and controls ^5.0.13, the versions
    # jupyterlab_widgets 3.0.17 (ipywidgets 8.1.9) ships to JupyterLab.
    "@jupyter-widgets/html-manager": (
        "1.0.15",
        "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
        "html-manager",
        # embed-amd.js and the Font Awesome files it references relative to itself
        ["dist/embed-amd.js", "dist/embed.js.LICENSE.txt", "dist/*.woff2", "dist/*.woff",
         "dist/*.ttf", "dist/*.eot", "dist/*.svg", "package.json"],
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
