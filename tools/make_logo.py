"""Draw the book's logo and favicon: a small network, layer by layer.

Three columns of nodes (input, hidden, output), each layer a stacked coloured band, joined by
the weights between them. Colours read on the light and the dark theme alike (no black, no white).
Usage: python tools/make_logo.py  -> assets/logo.png, assets/favicon.png
"""
from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyBboxPatch  # noqa: E402
from PIL import Image  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "assets"
LAYERS = [3, 4, 2]                                   # nodes per layer, left to right
COLORS = ["#4C72B0", "#DD8452", "#55A868"]           # one colour per layer
EDGE = "#8c8c8c"                                     # mid grey: visible on white and on near-black


def node_positions(sizes: list[int]) -> list[list[tuple[float, float]]]:
    """(x, y) of every node, layers spread over x in [0, 1], nodes centred on y = 0.5."""
    pos = []
    for i, k in enumerate(sizes):
        x = i / (len(sizes) - 1)
        pos.append([(x, 0.5 + (j - (k - 1) / 2) * 0.24) for j in range(k)])
    return pos


def draw(ax, sizes: list[int], *, edges: bool = True, radius: float = 0.075) -> None:
    """Draw the network on ax: a rounded band behind each layer, edges, then nodes."""
    pos = node_positions(sizes)
    for layer, color in zip(pos, COLORS):
        x = layer[0][0]
        ys = [y for _, y in layer]
        band = FancyBboxPatch((x - 0.11, min(ys) - 0.11), 0.22, max(ys) - min(ys) + 0.22,
                              boxstyle="round,pad=0,rounding_size=0.1", fc=color, alpha=0.25, lw=0)
        ax.add_patch(band)
    if edges:
        for left, right in zip(pos, pos[1:]):
            for x0, y0 in left:
                for x1, y1 in right:
                    ax.plot([x0, x1], [y0, y1], color=EDGE, lw=1.2, zorder=1)
    for layer, color in zip(pos, COLORS):
        for x, y in layer:
            ax.add_patch(plt.Circle((x, y), radius, fc=color, ec="none", zorder=2))
    ax.set_xlim(-0.16, 1.16)
    ax.set_ylim(0.5 - 0.66, 0.5 + 0.66)
    ax.set_aspect("equal")
    ax.axis("off")


def save(path: Path, size_px: int, **kw) -> None:
    """Square transparent PNG of size_px pixels."""
    fig = plt.figure(figsize=(1, 1), dpi=size_px)
    ax = fig.add_axes([0, 0, 1, 1])
    draw(ax, LAYERS, **kw)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", transparent=True)
    plt.close(fig)
    # a 64-colour palette (with its transparency) is a fifth of the bytes and looks the same: every
    # page loads the logo
    with Image.open(buf) as im:
        im.quantize(64, method=Image.Quantize.FASTOCTREE).save(path, optimize=True)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    save(OUT / "logo.png", 256)
    # at 32 px the edges turn to mush: the favicon keeps only the coloured layers
    save(OUT / "favicon.png", 32, edges=False, radius=0.085)


if __name__ == "__main__":
    main()
