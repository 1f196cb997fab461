"""Copy the browser tests' screenshots that the README shows into docs/screenshots/, made small.

The browser tests (tests/test_site.py, tests/test_explorer_site.py) save screenshots under
_build/screenshots/. This keeps the top of a chapter page and the live explorer, scaled to 960 px wide
and reduced to a 128-colour palette, so each committed PNG stays near 100-200 KB.
Usage (after `make test`): .venv/bin/python tools/readme_screenshots.py
"""
from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "_build" / "screenshots"
OUT = ROOT / "docs" / "screenshots"
WIDTH, MAX_HEIGHT = 960, 1100
# (README name, candidates in order of preference)
PICKS = {
    "chapter.png": ["chapters-forward_propagation-desktop.png", "chapters-notation-desktop.png"],
    "explorer.png": ["chapters-explorer-explorer.png"],
    "phone.png": ["chapters-forward_propagation-phone.png", "chapters-notation-phone.png"],
}


def shrink(src: Path, dst: Path, width: int = WIDTH) -> None:
    """Scale src to width (never up), keep at most the top MAX_HEIGHT px, save as a palette PNG."""
    im = Image.open(src).convert("RGB")
    if im.width > width:
        im = im.resize((width, round(im.height * width / im.width)), Image.LANCZOS)
    im = im.crop((0, 0, im.width, min(im.height, MAX_HEIGHT)))
    im.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(dst, optimize=True)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    missing = []
    for name, candidates in PICKS.items():
        src = next((SHOTS / c for c in candidates if (SHOTS / c).exists()), None)
        if src is None:
            missing.append(name)
            continue
        shrink(src, OUT / name, width=390 if name == "phone.png" else WIDTH)
        print(f"{src.relative_to(ROOT)} -> {(OUT / name).relative_to(ROOT)} "
              f"({(OUT / name).stat().st_size // 1024} KB)")
    if missing:
        print(f"no screenshot for {missing}: run the browser tests first (make test)", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
