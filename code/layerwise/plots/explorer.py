"""Drawing the network explorer (book: chapters/explorer).

`explorer_figure(view)` makes the axes and every artist once; `update_explorer(ef, stats)` moves
them to the numbers of an `ExplorerStats` (from `layerwise.explorer_model`); `render_image(ef)`
turns the figure into PNG bytes quickly (`png_bytes`). The live widget and the book's static
pictures call the same functions. Ridge panels have one row per layer at a fixed place for every
depth, and axis limits snap to 1-2-5 steps, so most updates change data only: `render_rgba` then
redraws just the data artists over a saved background (blitting) instead of the whole figure, and
only in the panels whose numbers changed (`PANEL_INPUTS`). What is slow to make and comes back
when a reader returns to a setting (text, markers) is kept for the last few pictures.
Uses `matplotlib.figure.Figure` directly (no pyplot): nothing needs closing, nothing shows twice.
"""

import io
import struct
import zlib
from dataclasses import dataclass, field

import numpy as np
from isal import isal_zlib
from matplotlib.image import AxesImage
from matplotlib.patches import PathPatch
from matplotlib.path import Path

from ..explorer_model import DZ_LOG_RANGE, FLOOR, MAX_DEPTH, NEURON_MAP_MAX_WIDTH, nice_ceiling
from . import CLASS_COLORS
from .legibility import png_chunk, png_text, text_chunk

ROWS = MAX_DEPTH + 1          # ridge panels: the L layers share this height, whatever L is
RIDGE = 0.85                  # a layer's histogram fills this fraction of its row
SURFACE_ALPHA = 0.55          # how strongly class probabilities tint the decision surface
# Text sizes (pt). The figures are at most 8.8 in wide: shown at 72 dpi (the website, 634 px), 9 pt is 9 CSS px.
SMALL_PT, TITLE_PT = 9, 10
LAYER_PICTURES = 4            # pictures of blended markers kept per layer (`_blend_layer`)
NOTE_PARTS = 4                # texts of the note above the neuron maps (`_set_sentence`)
# The marker of the data points and the network's nodes: a 24-gon looks like a circle at their 3-4 px, and
# matplotlib measures its extent (which it does before stamping a marker) in microseconds, a circle's
# Bézier curves in 2.5 ms.
DOT = Path.unit_regular_polygon(24)

WEIGHT_COLORS = ("#1f77b4", "#d62728")   # w >= 0 (solid lines), w < 0 (dashed lines)
# The network diagram draws a weight's line 0.3 to 3.0 pt wide, rounded to one of WIDTH_LEVELS widths
# WIDTH_STEP apart (`edge_groups`): at most 0.044 pt (px at 72 dpi) off, too little to see.
WIDTH_LEVELS = 32
EDGE_WIDTHS = np.linspace(0.3, 3.0, WIDTH_LEVELS)
WIDTH_STEP = EDGE_WIDTHS[1] - EDGE_WIDTHS[0]
EDGE_GROUPS = 4 * WIDTH_LEVELS                 # widths × horizontal or slanted × sign
LOSS_COLORS = ("#333333", "#1f77b4")     # training loss (solid), test loss (dashed)

# Panels of each view and the figure size (inches) it gets.
VIEWS = {
    "all": (("surface", "loss", "network", "activations", "dZ", "dW", "neurons"), (8.8, 7.8)),
    "activations": (("surface", "activations", "neurons"), (7.2, 4.6)),
    "gradients": (("surface", "dZ", "dW"), (8.8, 3.9)),
    "depth": (("surface", "loss", "dW"), (8.8, 3.7)),
}


# What each panel draws from an ExplorerStats s: a panel is moved and redrawn only when these changed.
PANEL_INPUTS = {
    "title": lambda s: summary(s),
    "surface": lambda s: (s.P_grid, s.X, s.y, s.X_test, s.y_test, s.extent, s.message),
    "loss": lambda s: (s.epochs, s.losses, s.test_losses),
    "network": lambda s: s.weights,
    "activations": lambda s: (s.H_counts, s.H_edges, s.config.depth),
    "dZ": lambda s: (s.dZ_counts, s.dZ_edges, s.config.depth),
    "dW": lambda s: s.dW_norms,
    "neurons": lambda s: (s.neuron_maps, s.neuron_range, s.layer, s.config.width, s.config.activation),
}


def same(a, b):
    """Whether two inputs of a panel are equal: arrays element by element, lists and tuples item by item, NaN == NaN."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                and np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b or (a != a and b != b)


def probability_colors(P, alpha=SURFACE_ALPHA):
    """RGB image (..., 3) of class probabilities P: (..., k), mixed from CLASS_COLORS, lightened to white."""
    from matplotlib.colors import to_rgb

    C = np.array([to_rgb(c) for c in CLASS_COLORS[:P.shape[-1]]])
    return 1.0 - alpha * (1.0 - P @ C)


def row_of(l, L):
    """(baseline, height) of layer l's row when L layers share the ROWS units of a ridge panel."""
    return (l - 1) * ROWS / L, ROWS / L


def ridge_heights(counts, l, L):
    """Stair tops of layer l's histogram: its row's baseline + the counts scaled to RIDGE of the row."""
    counts = np.asarray(counts, dtype=float)
    base, h = row_of(l, L)
    top = counts.max()
    return base + RIDGE * h * (counts / top if top > 0 else counts)


@dataclass(repr=False)
class ExplorerFigure:
    """The figure, its axes by panel name, the artists `update_explorer` moves, and the blit cache.

    Displayed in a notebook as a PNG (`_repr_png_`): a plain Figure made without pyplot has no
    image display of its own until pyplot's inline backend has been loaded.
    """
    figure: object
    view: str
    axes: dict
    artists: dict = field(default_factory=dict)
    dynamic: list = field(default_factory=list)       # artists redrawn on every render, in z order
    background: object = None
    layout_key: object = None
    # Texts outside the axes, over plain background, anchored on whole pixels (`_place`): their pixels and
    # boxes are cached by artist and string, relative to the anchor, and pasted wherever the text moves.
    pasted: set = field(default_factory=set)
    text_pixels: dict = field(default_factory=dict)
    # Per panel: its dynamic artists, the numbers it was last moved to, the pixel box it was last
    # drawn in; `dirty` holds the panels moved since the last render. Text boxes are cached like pixels
    # (other texts' by artist, string and position).
    panels: dict = field(default_factory=dict)
    axes_boxes: dict = field(default_factory=dict)
    inputs: dict = field(default_factory=dict)
    regions: dict = field(default_factory=dict)
    dirty: set = field(default_factory=set)
    text_boxes: dict = field(default_factory=dict)
    anchors: dict = field(default_factory=dict)        # pasted texts' whole pixels by text and position
    # Opaque images are painted with NumPy (`_paint`) through these maps from canvas to data pixels.
    pixel_maps: dict = field(default_factory=dict)
    # Artists drawn together from cached pictures (`_blend_layer`), by the first of them in z order.
    layers: dict = field(default_factory=dict)
    layer_pixels: dict = field(default_factory=dict)
    # The strings each pasted text can be given that are known in advance, drawn once at the first render.
    text_choices: dict = field(default_factory=dict)

    def __repr__(self):
        return f"<ExplorerFigure view={self.view!r}: {len(self.axes)} panels>"

    def _repr_png_(self):
        return png_bytes(render_rgba(self)[..., :3], small=True, text=png_text(self.figure))   # RGB: a smaller page


def _surface(fig, ax, a, dyn):
    # "none": the grid is fine enough to show as is, and each screen pixel shows one grid cell, which
    # `_paint` copies with NumPy instead of resampling.
    # The grid spans the axes' limits, so the image fills the axes: placed in axes coordinates, its
    # pixels (and `_paint`'s map of them) stay where they are when the data's extent changes.
    a["surface"] = ax.imshow(np.ones((2, 2, 3)), origin="lower", extent=(0, 1, 0, 1), transform=ax.transAxes,
                             interpolation="none", interpolation_stage="rgba", aspect="auto")
    # One scatter per class, label k in CLASS_COLORS[k] whatever the number of classes, each of one colour:
    # matplotlib then draws a marker once and stamps it (on whole pixels), instead of drawing every marker
    # of a many-coloured scatter (a third of the time).
    a["points"] = [ax.scatter(np.zeros(0), np.zeros(0), color=colour, marker=DOT, s=9, edgecolors="white",
                              linewidths=0.3) for colour in CLASS_COLORS]
    # Test points: triangles, so that they differ from the training points by shape, not colour only.
    a["test_points"] = [ax.scatter(np.zeros(0), np.zeros(0), color=colour, marker="^", s=14, edgecolors="black",
                                   linewidths=0.4) for colour in CLASS_COLORS]
    a["warning"] = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center", wrap=True,
                           color="#b00020", fontsize=TITLE_PT, fontweight="bold",
                           bbox=dict(facecolor="white", alpha=0.9, edgecolor="#b00020"))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title("decision surface, softmax(O)", fontsize=TITLE_PT)
    dyn += [a["surface"]] + a["points"] + a["test_points"] + [a["warning"]]


def _set_classes(scatters, X, y):
    """Show points X: (n, 2) with labels y: (n,) in `scatters`, one per class; X None hides them all."""
    for k, points in enumerate(scatters):
        mine = None if X is None else X[y == k]
        points.set_visible(mine is not None and len(mine) > 0)
        if points.get_visible():
            points.set_offsets(mine)


def _loss(fig, ax, a, dyn):
    (a["loss"],) = ax.plot([0], [0], color=LOSS_COLORS[0], lw=1.2, label="training")
    (a["test_loss"],) = ax.plot([0], [0], color=LOSS_COLORS[1], lw=1.2, ls="--", label="test")
    ax.legend(loc="upper right", fontsize=SMALL_PT, frameon=False)
    ax.set_xlabel("epochs (passes over the data)", fontsize=SMALL_PT, labelpad=11)
    ax.set_ylabel("loss", fontsize=SMALL_PT)
    # Limits follow the history: their labels are dynamic texts, so the background stays.
    ax.set_xticks([])
    ax.set_yticks([])
    a["loss_ticks"] = [ax.text(-0.02, 1, "", transform=ax.transAxes, ha="right", va="top", fontsize=SMALL_PT),
                       ax.text(-0.02, 0, "0", transform=ax.transAxes, ha="right", va="bottom", fontsize=SMALL_PT),
                       ax.text(1, -0.03, "", transform=ax.transAxes, ha="right", va="top", fontsize=SMALL_PT)]
    dyn += [a["loss"], a["test_loss"]] + a["loss_ticks"]
    a.setdefault("pasted", []).extend(a["loss_ticks"])


def _ridges(fig, ax, a, dyn, name, color):
    from matplotlib.transforms import blended_transform_factory

    # Every layer's histogram in one filled path (`ridge_path`): one artist to move and draw, not one per layer.
    a[name] = ax.add_patch(PathPatch(Path(np.zeros((1, 2))), alpha=0.75, facecolor=color, linewidth=0))
    at_left = blended_transform_factory(ax.transAxes, ax.transData)
    a[name + "_labels"] = [ax.text(-0.02, 0, str(l), transform=at_left, ha="right", va="center",
                                   fontsize=SMALL_PT, clip_on=False) for l in range(1, ROWS + 1)]
    ax.set_ylim(-0.1, ROWS)
    ax.set_yticks([])
    ax.set_ylabel("layer l (bottom: 1)", fontsize=SMALL_PT, labelpad=12)
    ax.tick_params(labelsize=SMALL_PT)
    dyn += [a[name]] + a[name + "_labels"]
    a.setdefault("pasted", []).extend(a[name + "_labels"])


def ridge_path(counts, edges, L):
    """The histograms counts[l-1] over `edges` (B + 1,) of layers l = 1, 2, ... as one Path of step
    outlines, layer l's standing on its row of L (`ridge_heights`).

    Per layer 2B + 2 vertices: (e_0, base), then (e_k, top_k) and (e_k+1, top_k) for each bin k, then
    (e_B, base). An outline is filled as if closed, but not closed: like `stairs`, no line along the base.
    """
    edges = np.asarray(edges, dtype=float)
    B = len(edges) - 1
    outlines, codes = [], []
    for l, c in enumerate(counts, start=1):
        xy = np.empty((2 * B + 2, 2))
        xy[:, 0] = np.repeat(edges, 2)
        xy[1:-1, 1] = np.repeat(ridge_heights(c, l, L), 2)
        xy[[0, -1], 1] = row_of(l, L)[0]
        outlines.append(xy)
        codes.append([Path.MOVETO] + [Path.LINETO] * (2 * B + 1))
    if not outlines:
        return Path(np.zeros((1, 2)))
    return Path(np.concatenate(outlines), np.concatenate(codes).astype(Path.code_type))


def _dW(fig, ax, a, dyn):
    from matplotlib.ticker import LogLocator

    (a["dW"],) = ax.plot([1], [1], color="#d62728", marker="o", ms=4, lw=1)
    ax.set_xscale("log")
    ax.set_ylim(-0.1, ROWS)
    ax.set_yticks([])
    ax.set_xlabel(r"$\Vert dW^{(l)}\Vert$, log scale" + f"\n(< {FLOOR:.0e} drawn at {FLOOR:.0e})", fontsize=SMALL_PT)
    ax.xaxis.set_major_locator(LogLocator(numticks=4))          # 10^-12, 10^-7, ...: room for 9 pt labels
    ax.set_title("backward: gradient\nnorm per layer", fontsize=TITLE_PT)
    ax.tick_params(labelsize=SMALL_PT)
    ax.grid(True, axis="x", lw=0.3, alpha=0.5)
    dyn.append(a["dW"])


def network_layout(sizes):
    """Node positions of a network diagram: one column per layer (x from 0 to 1), nodes centred.

    sizes: [d, h_1, ..., p] -> list of (sizes[l], 2) arrays of (x, y) in the unit square.
    """
    L = len(sizes) - 1
    top = max(sizes)
    return [np.column_stack([np.full(k, l / L), 0.5 + (np.arange(k)[::-1] - (k - 1) / 2) / top])
            for l, k in enumerate(sizes)]


def flat_weights(weights):
    """Every weight of the network, w: (E,), in the order of W^(1), W^(2), ... (rows k, then columns j)."""
    return np.concatenate([W.ravel() for W in weights])


def weight_segments(weights):
    """Every weight of the network as a line: segments (E, 2, 2) from node k of layer l-1 to node j
    of layer l, and the weights w: (E,) in the same order (`flat_weights`)."""
    sizes = [weights[0].shape[0]] + [W.shape[1] for W in weights]
    nodes = network_layout(sizes)
    segments = [np.stack([np.repeat(nodes[l], W.shape[1], axis=0), np.tile(nodes[l + 1], (W.shape[0], 1))], axis=1)
                for l, W in enumerate(weights)]
    return np.concatenate(segments), flat_weights(weights)


def weight_widths(w):
    """Line width (pt) of each weight w: (E,) in the network diagram: 0.3 + 2.7 |w| / max |w| (all 0.3 if w = 0)."""
    top = np.abs(w).max(initial=0.0)
    return 0.3 + 2.7 * (np.abs(w) / top if top > 0 else np.zeros_like(w))


def edge_groups(segments, w):
    """The group in which the diagram draws each weight's line, g: (E,) ints in range(EDGE_GROUPS), for
    segments (E, 2, 2) and weights w: (E,) as `weight_segments` gives them.

    A group has one width (`weight_widths` rounded to the nearest of EDGE_WIDTHS, so at most WIDTH_STEP / 2
    pt off), one sign (w >= 0: blue and solid; w < 0: red and dashed) and one direction (horizontal or
    slanted: Agg snaps a path to whole pixels only when all its lines are horizontal or vertical, as it
    snaps each horizontal line drawn alone). The groups are drawn in the order of g, which is the z order:
    by width first, so that thicker lines lie over thinner ones.
    """
    level = np.rint((weight_widths(w) - EDGE_WIDTHS[0]) / WIDTH_STEP).astype(int)
    horizontal = np.abs(segments[:, 0, 1] - segments[:, 1, 1]) < 1e-9
    return 4 * level + 2 * horizontal + (w < 0)


def _network(fig, ax, a, dyn):
    from matplotlib.collections import PathCollection

    # The weights' lines in EDGE_GROUPS compound paths (`edge_groups`), each of one width, colour and
    # style: a PathCollection whose styles are set once, so that an update only hands it new paths.
    # One line per weight in a LineCollection costs a Path per weight, and matplotlib scales the dashes
    # of each line in Python: at 1344 weights (width 16, depth 6) 5-9 ms per update and 16 ms per draw,
    # against 1-1.5 ms and 11 ms (Agg's own work). In a compound path each weight's line begins with a
    # MOVETO, where Agg starts the dash pattern again, as it does for a line drawn alone (tested).
    g = np.arange(EDGE_GROUPS)
    negative = g % 2 == 1
    a["no_lines"] = Path(np.zeros((0, 2)))              # the path of a group without weights
    a["edges"] = PathCollection([a["no_lines"]] * EDGE_GROUPS, facecolors="none", zorder=1,
                                edgecolors=[WEIGHT_COLORS[1] if n else WEIGHT_COLORS[0] for n in negative],
                                linewidths=EDGE_WIDTHS[g // 4],
                                linestyles=[(0, (3, 2)) if n else "-" for n in negative])
    ax.add_collection(a["edges"], autolim=False)
    a["nodes"] = ax.scatter([0], [0], s=16, marker=DOT, color="white", edgecolors="#333333", linewidths=0.8, zorder=2)
    ax.set_xlim(-0.06, 1.06)
    ax.set_ylim(-0.08, 1.05)
    ax.axis("off")
    # column labels X, 1, ..., O move with the depth: dynamic texts, pasted from a cache
    a["network_labels"] = [ax.text(0, -0.07, "", ha="center", va="center", fontsize=SMALL_PT)
                           for _ in range(MAX_DEPTH + 2)]
    ax.set_title("weights: width ∝ |w|, blue +, red dashed −", fontsize=TITLE_PT)
    dyn += [a["edges"], a["nodes"]] + a["network_labels"]
    a.setdefault("pasted", []).extend(a["network_labels"])


def _update_network(ax, a, weights):
    sizes = [weights[0].shape[0]] + [W.shape[1] for W in weights]
    if a.get("network_sizes") != sizes:               # lines, nodes and labels move only with the architecture
        a["network_sizes"] = sizes
        a["network_segments"] = weight_segments(weights)[0]
        a["nodes"].set_offsets(np.concatenate(network_layout(sizes)))
        L = len(weights)
        for l, text in enumerate(a["network_labels"]):
            text.set_visible(l <= L)
            if l <= L:
                _place(text, x=l / L)
                text.set_text(_column_label(l, L))
    segments = a["network_segments"]
    g = edge_groups(segments, flat_weights(weights))
    vertices = segments[np.argsort(g, kind="stable")].reshape(-1, 2)     # 2 per weight, group after group
    codes = np.tile(np.array([Path.MOVETO, Path.LINETO], Path.code_type), len(g))
    counts = 2 * np.bincount(g, minlength=EDGE_GROUPS)                 # vertices per group
    ends = np.cumsum(counts)
    a["edges"].set_paths([Path(vertices[end - n:end], codes[end - n:end]) if n else a["no_lines"]
                          for n, end in zip(counts, ends)])


def _column_label(l, L):
    """The network diagram's label under column l of a network of L layers: X, 1, ..., L - 1, O."""
    return "X" if l == 0 else "O" if l == L else str(l)


def _neurons(fig, axes, a, dyn):
    from matplotlib import colormaps

    # Colormap objects made once: a name given to set_cmap makes a new copy whose table is rebuilt on draw.
    a["neuron_cmaps"] = {name: colormaps[name] for name in ("RdBu_r", "viridis")}
    a["neurons"] = []
    for nax in axes:
        nax.axis("off")                 # no frame or ticks: a map's whole look is its (dynamic) image
        # Colours first, then nearest pixels ("rgba" stage) at every size: what `_paint` does.
        a["neurons"].append(nax.imshow(np.zeros((2, 2)), origin="lower", cmap="RdBu_r", interpolation="none",
                                       interpolation_stage="rgba", aspect="auto"))
    # The note above the maps is a sentence in NOTE_PARTS texts, so that a new layer, width or range draws
    # only the part that says it (matplotlib draws text glyph by glyph: 13-17 ms for the whole line).
    box = axes[0].get_position()
    a["neurons_note"] = [fig.text(box.x0, box.y1 + 0.03, "", fontsize=SMALL_PT) for _ in range(NOTE_PARTS)]
    a["note_space"] = _space_width(a["neurons_note"][0])
    dyn += a["neurons"] + a["neurons_note"]
    a.setdefault("pasted", []).extend(a["neurons_note"])


def explorer_figure(view="all", dpi=72, title=True, warm_texts=False):
    """Make the explorer's figure for a view: "all", "activations", "gradients" or "depth".

    Returns an ExplorerFigure; its artists are placeholders until `update_explorer` is called.
    With title=False the settings line is left out (the widget shows it as HTML, which is faster).
    With warm_texts=True (a live widget) the first render also draws the labels that later changes will
    show (`_warm_texts`): it takes about 0.3 s longer, and a first deeper network 4-10 ms less.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; known views: {', '.join(VIEWS)}")
    panels, size = VIEWS[view]
    fig = Figure(figsize=size, dpi=dpi)
    FigureCanvasAgg(fig)
    ax, a, dyn = {}, {}, []
    if view == "all":
        # Row 1: surface, network, loss; row 2: forward and backward per layer; row 3: single neurons.
        gs = fig.add_gridspec(3, 3, height_ratios=[1, 1.15, 0.3], left=0.05, right=0.985,
                              top=0.92 if title else 0.95, bottom=0.02, wspace=0.34, hspace=0.62)
        ax["surface"] = fig.add_subplot(gs[0, 0])
        ax["network"] = fig.add_subplot(gs[0, 1])
        ax["loss"] = fig.add_subplot(gs[0, 2])
        ax["activations"] = fig.add_subplot(gs[1, 0])
        ax["dZ"] = fig.add_subplot(gs[1, 1])
        ax["dW"] = fig.add_subplot(gs[1, 2])
        sub = gs[2, :].subgridspec(1, NEURON_MAP_MAX_WIDTH, wspace=0.12)
        ax["neurons"] = [fig.add_subplot(sub[0, j]) for j in range(NEURON_MAP_MAX_WIDTH)]
    else:
        main = [p for p in panels if p != "neurons"]
        rows = 2 if "neurons" in panels else 1
        gs = fig.add_gridspec(rows, len(main), height_ratios=[1, 0.3][:rows], left=0.02, right=0.965,
                              top=0.82 if title else 0.87, bottom=0.2 if rows == 1 else 0.03,
                              wspace=0.42, hspace=0.55)
        for j, p in enumerate(main):
            ax[p] = fig.add_subplot(gs[0, j])
        if rows == 2:
            sub = gs[1, :].subgridspec(1, NEURON_MAP_MAX_WIDTH, wspace=0.12)
            ax["neurons"] = [fig.add_subplot(sub[0, j]) for j in range(NEURON_MAP_MAX_WIDTH)]
    if "surface" in ax:
        _surface(fig, ax["surface"], a, dyn)
    if "loss" in ax:
        _loss(fig, ax["loss"], a, dyn)
    if "network" in ax:
        _network(fig, ax["network"], a, dyn)
    if "activations" in ax:
        _ridges(fig, ax["activations"], a, dyn, "H", "#1f77b4")
        # The range of H depends on σ: its tick labels are dynamic texts, so the background stays.
        ax["activations"].set_xticks([])
        a["H_ticks"] = [ax["activations"].text(x, -0.015, "", transform=ax["activations"].transAxes,
                                               ha=ha, va="top", fontsize=SMALL_PT)
                        for x, ha in ((0, "left"), (0.5, "center"), (1, "right"))]
        dyn += a["H_ticks"]
        a.setdefault("pasted", []).extend(a["H_ticks"])
        ax["activations"].set_title("forward: histograms\n" + r"of $H^{(l)}$", fontsize=TITLE_PT)
        ax["activations"].set_xlabel(r"$H^{(l)} = \sigma(Z^{(l)})$", fontsize=SMALL_PT, labelpad=11)
    if "dZ" in ax:
        _ridges(fig, ax["dZ"], a, dyn, "dZ", "#d62728")
        ax["dZ"].set_title("backward: histograms\n" + r"of $\log_{10} |dZ^{(l)}|$", fontsize=TITLE_PT)
        ax["dZ"].set_xlim(*DZ_LOG_RANGE)
        ax["dZ"].set_xlabel(r"$\log_{10} |dZ|$" + f"\n(|dZ| < {FLOOR:.0e} counted at {FLOOR:.0e})", fontsize=SMALL_PT)
    if "dW" in ax:
        _dW(fig, ax["dW"], a, dyn)
    if "neurons" in ax:
        _neurons(fig, ax["neurons"], a, dyn)
    if title:
        a["title"] = fig.text(0.01, 0.99, "", ha="left", va="top", fontsize=SMALL_PT)
        dyn.append(a["title"])
    ef = ExplorerFigure(fig, view, ax, a, dyn, pasted=set(a.pop("pasted", [])))
    if warm_texts:
        ef.text_choices = {text: strings for text, strings in _text_choices(a).items() if text in ef.pasted}
    for text in ef.pasted:
        _place(text)
    if "surface" in ax:
        ef.layers[a["points"][0]] = tuple(a["points"] + a["test_points"])
    if "network" in ax:
        ef.layers[a["nodes"]] = (a["nodes"],)          # they move with the architecture, not the weights
    ef.panels = _panels(ef)
    for name, axes in ax.items():                         # the layout is fixed: so are the axes' pixels
        for one in np.atleast_1d(axes):
            ef.axes_boxes[name] = _union(ef.axes_boxes.get(name), _box(one.bbox))
    return ef


def _limit(ax, x=None, y=None):
    """Set the limits of Axes `ax` that differ from (lower, upper) x and y: setting any costs 0.3 ms."""
    if x is not None and ax.get_xlim() != tuple(x):
        ax.set_xlim(*x)
    if y is not None and ax.get_ylim() != tuple(y):
        ax.set_ylim(*y)


def _update_ridges(ax, a, name, counts, edges, L):
    """Move ridge panel `name` ("H" or "dZ") to histograms `counts` over `edges`, one row per layer of L."""
    a[name].set_path(ridge_path(counts, edges, L))
    a[name].set_visible(len(counts) > 0)
    if a.get(name + "_rows") != L:                      # the labels move only with the number of rows
        a[name + "_rows"] = L
        for i, label in enumerate(a[name + "_labels"]):
            base, h = row_of(i + 1, L)
            _place(label, y=base + h / 2)
            label.set_visible(i < L)      # the H panel labels row L too: O = Z^(L) has no H
    _limit(ax, x=(edges[0], edges[-1]))


def update_explorer(ef, s):
    """Move the artists of ExplorerFigure `ef` to the numbers of ExplorerStats `s`. Returns ef.figure.

    Only panels whose inputs (PANEL_INPUTS) changed are moved; they are marked for the next render.
    """
    a, ax, c = ef.artists, ef.axes, s.config
    L = c.depth + 1
    moved = set()
    for panel in ef.panels:
        inputs = PANEL_INPUTS[panel](s)
        if panel not in ef.inputs or not same(inputs, ef.inputs[panel]):
            ef.inputs[panel] = inputs
            moved.add(panel)
    ef.dirty |= moved
    if "title" in moved:
        a["title"].set_text(ef.inputs["title"])          # PANEL_INPUTS made the summary already
    if "surface" in moved:
        a["surface"].set_data(probability_colors(s.P_grid))
        _set_classes(a["points"], s.X, s.y)
        _set_classes(a["test_points"], s.X_test, s.y_test)
        _limit(ax["surface"], x=s.extent[:2], y=s.extent[2:])
        a["warning"].set_text(s.message)
        a["warning"].set_visible(bool(s.message))
    if "loss" in moved:
        a["loss"].set_data(s.epochs, s.losses)
        a["test_loss"].set_data(s.epochs[:len(s.test_losses)], s.test_losses)
        finite = [v for v in s.losses + s.test_losses if np.isfinite(v)]
        top, right = nice_ceiling(max(finite + [2.0])), nice_ceiling(max(s.epochs[-1], 10))
        _limit(ax["loss"], x=(0, right), y=(0, top))
        a["loss_ticks"][0].set_text(_loss_tick(top))
        a["loss_ticks"][2].set_text(_loss_tick(right))
    if "network" in moved and s.weights:
        _update_network(ax["network"], a, s.weights)
    if "activations" in moved:
        _update_ridges(ax["activations"], a, "H", s.H_counts, s.H_edges, L)
        lo, hi = s.H_edges[0], s.H_edges[-1]
        for text, word in zip(a["H_ticks"], _range_ticks(lo, hi)):
            text.set_text(word)
    if "dZ" in moved:
        _update_ridges(ax["dZ"], a, "dZ", s.dZ_counts, s.dZ_edges, L)
    if "dW" in moved:
        shown = np.maximum(s.dW_norms, FLOOR)               # log scale: no log(0); the floor is labelled
        base, h = row_of(np.arange(1, L + 1), L)
        a["dW"].set_data(shown, base + h / 2)
        _limit(ax["dW"], x=(FLOOR / 10, max(1e3, 10 ** np.ceil(np.log10(shown.max())))))
    if "neurons" in moved:
        maps = s.neuron_maps
        lo, hi = s.neuron_range
        cmap = a["neuron_cmaps"]["RdBu_r" if c.activation == "tanh" else "viridis"]
        for j, im in enumerate(a["neurons"]):
            on = maps is not None and j < maps.shape[0]
            if on:
                im.set_data(maps[j])
                im.set_clim(lo, hi)
                im.set_cmap(cmap)
            im.set_visible(on)
        _set_sentence(a["neurons_note"], _note_words(s.layer, c.width, lo, hi) if maps is not None else [TOO_WIDE],
                      a["note_space"], a.setdefault("note_widths", {}))
    return ef.figure


TOO_WIDE = f"maps of single neurons are drawn for widths up to {NEURON_MAP_MAX_WIDTH}"
# The values nice_ceiling gives from 0.1 to 500: the likely upper ends of a loss or ReLU axis.
NICE = [m * 10.0 ** k for k in range(-1, 3) for m in (1, 2, 5)]


def _loss_tick(value):
    return f"{value:g}"


def _range_ticks(lo, hi):
    """The three tick labels under the histograms of H: lo, the middle, hi."""
    return [f"{value:.3g}" for value in (lo, (lo + hi) / 2, hi)]


def _note_words(layer, width, lo, hi):
    """The words of the note over the neuron maps, one per text of a["neurons_note"]."""
    return [f"layer {layer},", f"neurons j = 1..{width}", "(left to right) over the input plane;",
            f"colours {lo:.3g} to {hi:.3g}"]


def _text_choices(a):
    """{pasted text: the strings update_explorer can give it, as far as they are known in advance}: the
    layer numbers, the tick labels of tanh's, sigmoid's and the likely ReLU and loss ranges, the note's
    words for every layer and width. `_warm_texts` draws them when the figure is first rendered."""
    choices = {}
    for name in ("H", "dZ"):
        choices |= {label: [label.get_text()] for label in a.get(name + "_labels", [])}
    choices |= {text: list(dict.fromkeys(_column_label(l, L) for L in range(max(l, 1), MAX_DEPTH + 2)))
                for l, text in enumerate(a.get("network_labels", []))}
    ranges = [(-1.0, 1.0), (0.0, 1.0)] + [(0.0, hi) for hi in NICE]
    for i, text in enumerate(a.get("H_ticks", [])):
        choices[text] = list(dict.fromkeys(_range_ticks(lo, hi)[i] for lo, hi in ranges))
    if "loss_ticks" in a:
        choices[a["loss_ticks"][0]] = [_loss_tick(v) for v in NICE if v >= 2]
        choices[a["loss_ticks"][2]] = [_loss_tick(v) for v in NICE if v >= 10]
    if "neurons_note" in a:
        words = [_note_words(l, w, lo, hi) for l in range(1, MAX_DEPTH + 1)
                 for w in range(1, NEURON_MAP_MAX_WIDTH + 1) for lo, hi in ranges]
        for i, text in enumerate(a["neurons_note"]):
            choices[text] = list(dict.fromkeys([w[i] for w in words] + ([TOO_WIDE] if i == 0 else [])))
    return choices


def _set_sentence(texts, words, space, widths):
    """Show the strings `words` as one line of `texts` (a list at least as long), left to right from the
    first text's place, `space` pixels apart; texts beyond the words are hidden. Each stands on whole pixels.
    `widths`: {(text, word): whole pixels from its anchor to the right end of its ink}, kept between calls
    (laying a text out takes far longer than pasting it)."""
    if [text.get_text() for text in texts if text.get_visible()] == list(words):
        return                                         # laying out the words again would put them where they are
    x = _anchor(texts[0])[0]
    for i, text in enumerate(texts):
        text.set_visible(i < len(words))
        if i < len(words):
            text.set_text(words[i])
            _place(text, x=text.get_transform().inverted().transform((x, 0))[0])
            key = id(text), words[i]
            if key not in widths:
                widths[key] = int(np.ceil(text.get_window_extent().x1)) - x
            x += widths[key] + space


def _space_width(text):
    """The width in whole pixels of a space in the font of `text`: its advance, as between the words of a line."""
    renderer = text.get_figure(root=True).canvas.get_renderer()
    props = text.get_fontproperties()
    wide, narrow = (renderer.get_text_width_height_descent(word, props, ismath=False)[0] for word in ("l l", "ll"))
    return int(round(wide - narrow))


def summary(s):
    """One line of settings and results for ExplorerStats s (figure title, widget status, captions)."""
    c = s.config
    return (f"{c.dataset} · {c.depth} hidden layers × {c.width} · {c.activation} · init {c.init}"
            + (f" (std {c.scale:g})" if c.init == "normal" else "")
            + f" · lr {c.lr:g} · seed {c.seed} · epoch {s.epochs[-1]}"
            + (f" · loss {s.loss:.3f} · accuracy {s.accuracy:.0%}" if np.isfinite(s.loss) else "")
            + (f" · test loss {s.test_loss:.3f}" if np.isfinite(s.test_loss) else ""))


def _layout_key(ef):
    # Everything drawn in the background: the limits (and so the ticks) of the axes that have ticks.
    return tuple((name, ax.get_xlim(), ax.get_ylim()) for name, ax in ef.axes.items()
                 if name in ("dZ", "dW"))


def _panels(ef):
    """{panel name: its dynamic artists in z order}; a figure text belongs to the panel it labels."""
    owner = {id(axes): name for name, panel in ef.axes.items() for axes in np.atleast_1d(panel)}
    labels = {id(note): "neurons" for note in ef.artists.get("neurons_note", [])} | {id(ef.artists.get("title")): "title"}
    panels = {}
    for artist in ef.dynamic:
        panels.setdefault(owner.get(id(artist.axes)) or labels[id(artist)], []).append(artist)
    return panels


def _box(bbox, margin=4):
    """A matplotlib Bbox as whole pixels (x0, y0, x1, y1), y up, grown by `margin` px (antialiased edges,
    and the pasted text pixels, which have 2 px of margin)."""
    x0, y0, x1, y1 = bbox.extents
    return int(np.floor(x0)) - margin, int(np.floor(y0)) - margin, int(np.ceil(x1)) + margin, int(np.ceil(y1)) + margin


def _union(r, q):
    return q if r is None else r if q is None else (min(r[0], q[0]), min(r[1], q[1]), max(r[2], q[2]), max(r[3], q[3]))


def _overlap(r, q):
    return r is not None and q is not None and r[0] < q[2] and q[0] < r[2] and r[1] < q[3] and q[1] < r[3]


def _place(text, x=None, y=None):
    """Move `text` to (x, y) in its own coordinates (None: where it is), rounded to the nearest whole pixel
    of the canvas (it moves by less than half a pixel): the pixels of a string anchored on whole pixels are
    the same wherever it stands, so `_draw` draws each string of a pasted text once and pastes it after."""
    trans = text.get_transform()
    x0, y0 = text.get_position()
    pixel = np.rint(trans.transform((x0 if x is None else x, y0 if y is None else y)))
    text.set_position(trans.inverted().transform(pixel))


def _anchor(text, known=None):
    """The whole pixel (x, y), y up, at which `text` stands (see `_place`); `known`: a dict of the anchors
    found before, by text and position (transforming a position takes longer than pasting the text)."""
    key = id(text), text.get_position()
    if known is not None and key in known:
        return known[key]
    anchor = tuple(int(v) for v in np.rint(text.get_transform().transform(key[1])))
    if known is not None:
        known[key] = anchor
    return anchor


def _text_key(ef, text):
    """What a text's cached pixels and box depend on: the artist, its string, and for a text that is not
    pasted (so not anchored on whole pixels) its position."""
    return id(text), text.get_text(), None if text in ef.pasted else text.get_position()


def _text_box(ef, text, renderer):
    """The pixel box of a text with its frame; cached by `_text_key` (a pasted text's relative to its
    anchor), since laying out is slow."""
    key = _text_key(ef, text)
    ox, oy = _anchor(text, ef.anchors) if text in ef.pasted else (0, 0)
    if key not in ef.text_boxes:
        box = _box(text.get_window_extent(renderer))
        if text.get_bbox_patch() is not None:
            text.update_bbox_position_size(renderer)
            box = _union(box, _box(text.get_bbox_patch().get_window_extent(renderer)))
        ef.text_boxes[key] = box[0] - ox, box[1] - oy, box[2] - ox, box[3] - oy
    x0, y0, x1, y1 = ef.text_boxes[key]
    return x0 + ox, y0 + oy, x1 + ox, y1 + oy


def _region(ef, name, renderer):
    """Pixel box (x0, y0, x1, y1), y up, that drawing panel `name` can change: its axes, to which its
    images, lines and patches are clipped, and the box of each text it shows. None if it has neither."""
    from matplotlib.text import Text

    region = ef.axes_boxes.get(name)
    for artist in ef.panels[name]:
        if isinstance(artist, Text) and artist.get_visible() and artist.get_text():
            region = _union(region, _text_box(ef, artist, renderer))
    return region


def _panels_to_redraw(ef, panels, renderer):
    """The panels to redraw and the boxes to clear: the moved panels, over where they were and will be
    drawn, and any other panel whose pixels lie in those boxes (it must be drawn again on top)."""
    redraw, boxes = set(), {}
    pending = set(ef.dirty)
    while pending:
        name = pending.pop()
        redraw.add(name)
        boxes[name] = _union(ef.regions.get(name), _region(ef, name, renderer))
        pending |= {other for other in panels if other not in redraw
                 and _overlap(ef.regions.get(other), boxes[name])}
    return redraw, list(boxes.values())


def render_rgba(ef):
    """Draw the figure and return its pixels (h, w, 4) uint8.

    When no axis limit changed since the last call, only the panels that `update_explorer` moved are
    cleared to the saved background and drawn again; otherwise the whole figure is drawn and the
    background saved again. Labels outside the axes (layer numbers, tick values, the note over the
    neuron maps) change rarely and drawing text is the slowest part of a redraw (matplotlib draws it
    glyph by glyph), so they stand on whole pixels and their pixels are pasted from a cache keyed by
    text and string, wherever the text stands.
    """
    fig = ef.figure
    canvas = fig.canvas
    panels = ef.panels
    key = _layout_key(ef)
    if ef.background is None or key != ef.layout_key:
        first = ef.background is None
        shown = [(artist, artist.get_visible()) for artist in ef.dynamic]
        for artist, _ in shown:
            artist.set_visible(False)
        canvas.draw()
        ef.background = canvas.copy_from_bbox(fig.bbox)
        ef.layout_key = key
        ef.text_pixels, ef.text_boxes, ef.anchors = {}, {}, {}
        for artist, visible in shown:
            artist.set_visible(visible)
        redraw = set(panels)
        renderer = canvas.get_renderer()
        if first:
            _warm_texts(ef, renderer)
    else:
        renderer = canvas.get_renderer()
        redraw, boxes = _panels_to_redraw(ef, panels, renderer)
        pixels, background = np.asarray(canvas.buffer_rgba()), np.asarray(ef.background)
        for box in filter(None, boxes):
            _restore(pixels, background, box)
    blended = {artist for layer in ef.layers.values() for artist in layer}
    for name, artists in panels.items():            # panels hold consecutive runs of the z order
        if name in redraw:
            for artist in artists:
                _draw(ef, artist, renderer, blended)
            ef.regions[name] = _region(ef, name, renderer)
    ef.dirty = set()
    return np.asarray(canvas.buffer_rgba())


def _restore(pixels, background, box):
    """Copy the pixel box (x0, y0, x1, y1), y up, of `background` into `pixels`: both (h, w, 4), row 0 at the top."""
    h = pixels.shape[0]
    x0, y0, x1, y1 = box
    rows, cols = slice(max(h - y1, 0), max(h - y0, 0)), slice(max(x0, 0), max(x1, 0))
    pixels[rows, cols] = background[rows, cols]


def _warm_texts(ef, renderer):
    """Draw each string of `ef.text_choices` once on the clear canvas, keeping its pixels and box as `_draw`
    and `_text_box` do, and clear it again: a reader's first deeper network, other activation or other layer
    then pastes its labels instead of waiting for matplotlib to lay them out and draw them (4-10 ms)."""
    pixels, background = np.asarray(renderer.buffer_rgba()), np.asarray(ef.background)
    for text, strings in ef.text_choices.items():
        shown, visible = text.get_text(), text.get_visible()
        text.set_visible(True)
        for string in strings:
            text.set_text(string)
            if _text_key(ef, text) not in ef.text_pixels:
                _draw(ef, text, renderer, set())
                _restore(pixels, background, _text_box(ef, text, renderer))
        text.set_text(shown)
        text.set_visible(visible)


def _draw(ef, artist, renderer, blended):
    """Draw one dynamic artist, pasting a text's pixels from the cache when it has them and painting
    an image's with NumPy when it can; `blended`: the artists of `ef.layers`, drawn with the first of theirs."""
    if artist in ef.layers:
        _blend_layer(ef, ef.layers[artist], renderer)
        return
    if not artist.get_visible() or artist in blended:
        return
    if isinstance(artist, AxesImage) and _paint(ef, artist, renderer):
        return
    if artist not in ef.pasted:
        artist.draw(renderer)
        return
    key, (ox, oy) = _text_key(ef, artist), _anchor(artist, ef.anchors)
    canvas = np.asarray(renderer.buffer_rgba())
    if key not in ef.text_pixels:
        artist.draw(renderer)
        h, w = canvas.shape[:2]
        x0, y0, x1, y1 = _box(artist.get_window_extent(renderer), margin=2)
        x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)      # the part on the canvas
        ef.text_pixels[key] = x0 - ox, y0 - oy, canvas[h - y1:h - y0, x0:x1].copy()
        return
    dx, dy, pixels = ef.text_pixels[key]
    _paste(canvas, pixels, ox + dx, oy + dy)


def _paste(canvas, pixels, x0, y0):
    """Copy `pixels` (bh, bw, 4), row 0 at the top, into `canvas` (h, w, 4) with their lower left corner
    at pixel (x0, y0), y up; what falls off the canvas is left out."""
    h, w = canvas.shape[:2]
    bh, bw = pixels.shape[:2]
    top = h - y0 - bh                                  # the canvas row of the pixels' first row
    r0, r1, c0, c1 = max(top, 0), min(top + bh, h), max(x0, 0), min(x0 + bw, w)
    if r0 < r1 and c0 < c1:
        canvas[r0:r1, c0:c1] = pixels[r0 - top:r1 - top, c0 - x0:c1 - x0]


def _covered(drawn, ax):
    """The smallest (rows, cols) slices that hold every drawn pixel (alpha > 0) of drawn (h, w, 4), which
    was drawn clipped to Axes `ax`; None if there is none."""
    h, w = drawn.shape[:2]
    x0, y0, x1, y1 = _box(ax.bbox)
    top, left = max(h - y1, 0), max(x0, 0)
    alpha = drawn[top:max(h - y0, 0), left:max(x1, 0), 3]
    rows, cols = np.flatnonzero(alpha.any(axis=1)), np.flatnonzero(alpha.any(axis=0))
    if rows.size == 0:
        return None
    return slice(top + int(rows[0]), top + int(rows[-1]) + 1), slice(left + int(cols[0]), left + int(cols[-1]) + 1)


def _pixel_map(ef, im, renderer):
    """(rows, cols, index): the canvas block (slices) an opaque nearest-pixel image covers and, per canvas
    pixel, the flat index of the data pixel it shows; None if some pixel is only partly covered, or the
    image has more pixels than the probe can number (64**3). Found once per data shape, extent and axes box.
    """
    A = im.get_array()
    key = (id(im), A.shape[:2], tuple(im.get_extent()), im.axes.bbox.bounds)
    if key not in ef.pixel_maps:
        ef.pixel_maps[key] = _probe_pixel_map(im, renderer) if A.shape[0] * A.shape[1] <= 64 ** 3 else None
    return ef.pixel_maps[key]


def _probe_pixel_map(im, renderer):
    """_pixel_map's answer, from letting matplotlib draw an image whose colours encode each pixel's index
    (6 bits per channel, so rounding cannot change a digit) on a clear canvas."""
    from matplotlib.backends.backend_agg import RendererAgg

    A = im.get_array()
    h, w = A.shape[:2]
    index = np.arange(h * w).reshape(h, w)
    code = np.stack([4 * (index % 64), 4 * (index // 64 % 64), 4 * (index // 4096), np.full_like(index, 255)], axis=-1)
    probe = RendererAgg(renderer.width, renderer.height, renderer.dpi)
    im.set_data(code.astype(np.uint8))
    try:
        im.draw(probe)
    finally:
        im.set_data(A)
    drawn = np.asarray(probe.buffer_rgba())
    block = _covered(drawn, im.axes)
    if block is None or np.any(drawn[block][..., 3] != 255):
        return None
    digits = np.rint(drawn[block][..., :3] / 4).astype(int)
    return block + (digits[..., 0] + 64 * digits[..., 1] + 4096 * digits[..., 2],)


def _paint(ef, im, renderer):
    """Copy image `im`'s colours (as matplotlib computes them) into the canvas; False if it cannot (a pixel
    partly covered or not opaque), and matplotlib must draw it."""
    pixel_map = _pixel_map(ef, im, renderer)
    if pixel_map is None:
        return False
    colours = _colours(im)
    if np.any(colours[:, 3] != 255):
        return False
    rows, cols, index = pixel_map
    # one 32-bit word per RGBA pixel: a quarter of the elements to gather and copy
    canvas = np.asarray(renderer.buffer_rgba()).view(np.uint32)[..., 0]
    canvas[rows, cols] = colours.view(np.uint32)[index, 0]
    return True


def _colours(im):
    """The colours matplotlib draws the pixels of image `im` with, (h * w, 4) uint8: RGB data with alpha 1,
    scalar data (unmasked, with a linear norm, as the explorer's maps) through norm and colormap."""
    A = np.asarray(im.get_array())
    if A.ndim == 3:
        return im.to_rgba(np.dstack([A, np.ones(A.shape[:2])]), bytes=True, norm=False).reshape(-1, 4)
    lo, hi = im.norm.vmin, im.norm.vmax
    # Normalize's arithmetic without its masked arrays, which cost more than the rest of the painting
    return im.cmap((A - lo) / (hi - lo), bytes=True).reshape(-1, 4)


def _blend_layer(ef, artists, renderer):
    """Draw scatter `artists` (the data points, the network's nodes: many markers that move only with the
    data or the architecture) by blending in a picture of them, made when their points, colours,
    visibility or axes change; the last LAYER_PICTURES pictures are kept, for a reader who goes back to a
    dataset, seed or architecture shown before.

    matplotlib draws them on a clear canvas once; Agg then blends that picture over the panel in 0.1 ms
    instead of drawing each marker again (2-3 ms for the data points). Where markers overlap or are
    antialiased the blend rounds differently from drawing the markers: at most 3/255 per channel (tested).
    """
    from matplotlib.backends.backend_agg import RendererAgg

    key = tuple((a.get_visible(), a.get_offsets().tobytes(), a.get_facecolor().tobytes(),
                 a.axes.viewLim.bounds, a.axes.bbox.bounds) for a in artists)
    pictures = ef.layer_pixels.setdefault(artists, {})     # {key: picture}, the last used last
    picture = pictures.pop(key, False)
    if picture is False:
        probe = RendererAgg(renderer.width, renderer.height, renderer.dpi)
        for artist in artists:
            if artist.get_visible():
                artist.draw(probe)
        drawn = np.asarray(probe.buffer_rgba())
        block = _covered(drawn, artists[0].axes)
        # draw_image takes the lower left corner and rows from the bottom up
        picture = block and (block[1].start, renderer.height - block[0].stop, np.ascontiguousarray(drawn[block][::-1]))
    pictures[key] = picture
    while len(pictures) > LAYER_PICTURES:
        del pictures[next(iter(pictures))]
    if picture is not None:
        renderer.draw_image(renderer.new_gc(), *picture)


def png_bytes(pixels, small=False, text=None):
    """PNG bytes of 8-bit pixels: (h, w, 3) RGB or (h, w, 4) RGBA; text: {key: str} for tEXt chunks.

    Deflated by ISA-L at its default level, about six times faster than zlib's fastest level on the
    explorer's figures and no larger (the live widget sends one picture per change), or with small=True
    by zlib at level 6, for the pictures a page keeps. Rows are stored unfiltered: on a figure's flat
    colours deflate alone compresses them a little better than PNG's adaptive row filters (which PIL
    always applies) and in about half the time.
    """
    h, w, channels = pixels.shape
    rows = np.empty((h, 1 + channels * w), np.uint8)
    rows[:, 0] = 0                                     # each row opens with its filter type: 0, none
    rows[:, 1:] = pixels.reshape(h, channels * w)
    colour_type = {3: 2, 4: 6}[channels]               # PNG's numbers for RGB and RGBA
    data = zlib.compress(rows, 6) if small else isal_zlib.compress(rows)
    chunks = [png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, colour_type, 0, 0, 0))]
    chunks += [text_chunk(key, value) for key, value in (text or {}).items()]
    chunks += [png_chunk(b"IDAT", data), png_chunk(b"IEND", b"")]
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


def render_image(ef, format="png", **options):
    """The figure as image bytes in `format`: "png" (options of `png_bytes`; fast by default, for the live
    widget, which sends one per change), or "jpeg", "webp" (PIL save options; JPEG at quality 90 by default)."""
    pixels = render_rgba(ef)
    if format == "png":
        # RGBA as drawn (the figure is opaque): dropping the alpha byte would cost more than deflating it.
        return png_bytes(pixels, **options)
    from PIL import Image

    image = Image.frombuffer("RGBA", (pixels.shape[1], pixels.shape[0]), pixels, "raw", "RGBA", 0, 1).convert("RGB")
    options = {"jpeg": {"quality": 90}}.get(format, {}) | options
    buf = io.BytesIO()
    image.save(buf, format=format, **options)
    return buf.getvalue()


def draw_explorer(stats, view="all", dpi=72):
    """A finished picture of one explorer state (for a static page): explorer_figure + update_explorer.

    Returns the ExplorerFigure: a notebook displays it as a PNG; its `.figure` is the matplotlib Figure.
    """
    ef = explorer_figure(view, dpi=dpi)
    update_explorer(ef, stats)
    return ef
