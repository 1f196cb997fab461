"""Layered network diagrams drawn with matplotlib: the note's missing pictures (book: chapters/linear_model,
chapters/activations, chapters/forward_propagation).

`draw_network(ax, [d, p])` is the linear map of the note's `1.jpg`; `draw_network(ax, [d, q, p], "σ")`
is its hand-drawn two-layer network with σ on the hidden nodes; longer lists draw the L-layer stack.
"""

from matplotlib.collections import LineCollection
from matplotlib.patches import Circle

_UNIT_COLORS = {"input": "#dbe9f6", "hidden": "#fde5c8", "output": "#d8f0d2"}
_EDGE_COLOR = "#7f7f7f"


def _visible_units(size, max_units):
    """Indices to draw for a layer of `size` units (an int, or a str such as "d" for a symbolic width).

    Returns (labels, gap): labels are the unit indices as strings ("1", "2", ..., "d"); gap is the
    position after which an ellipsis stands, or None when every unit is drawn.
    """
    if isinstance(size, str):
        shown = max(2, max_units - 1)
        return [str(i) for i in range(1, shown)] + [size], shown - 1
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"a layer width must be an int >= 1 or a symbol (str), got {size!r}")
    if size <= max_units:
        return [str(i) for i in range(1, size + 1)], None
    # the first units, an ellipsis, then the last unit: the width stays readable
    return [str(i) for i in range(1, max_units - 1)] + [str(size)], max_units - 2


def _count(size, noun):
    """'1 input', '3 inputs', 'd inputs': singular only for the number 1."""
    return f"{size} {noun}" if size == 1 else f"{size} {noun}s"


def _default_layer_labels(sizes):
    L = len(sizes) - 1
    labels = [r"$\mathbf{x}$" + f"\n({_count(sizes[0], 'input')})"]
    for l in range(1, L):
        labels.append(rf"$\mathbf{{h}}^{{({l})}}$" + f"\n({_count(sizes[l], 'unit')})")
    labels.append(r"$\mathbf{o}$" + f"\n({_count(sizes[-1], 'output')})")
    return labels


def _default_unit_names(n_layers):
    if n_layers == 2:
        return ["x", "o"]
    return ["x"] + [f"h^{{({l})}}" for l in range(1, n_layers - 1)] + ["o"]


def _default_weight_labels(n_layers):
    if n_layers == 2:
        return [r"$W,\ \mathbf{b}$"]
    return [rf"$W^{{({l})}}, \mathbf{{b}}^{{({l})}}$" for l in range(1, n_layers)]


def draw_network(ax, sizes, activation_label=None, *, layer_labels=None, unit_names=None,
                 weight_labels=None, max_units=6, radius=0.22):
    """Draw a layered network, inputs on the left, one column of circles per layer.

    ax: a matplotlib Axes. sizes: layer widths [d, h_1, ..., p]; an entry may be a symbol such as
    "d", drawn as a few units, an ellipsis and the last unit x_d. Layers wider than `max_units` are
    drawn the same way. activation_label: text written in each hidden unit (e.g. "σ" or "ReLU");
    None writes the unit names instead. layer_labels, unit_names (e.g. ["x", "o"], mathtext),
    weight_labels: one per layer / per layer / per weight matrix; None gives the book's notation.
    Returns a dict of artists: "units" (per layer, a list of Circles), "edges" (per weight
    matrix, a LineCollection), "ellipses", "layer_labels", "weight_labels", "unit_texts".
    Raises ValueError for fewer than two layers or lists of the wrong length.
    """
    sizes = list(sizes)
    n_layers = len(sizes)
    if n_layers < 2:
        raise ValueError(f"sizes must list at least [d, p] (input and output widths), got {sizes}")
    if max_units < 3:
        raise ValueError(f"max_units must be >= 3 (two units and an ellipsis), got {max_units}")
    layer_labels = _default_layer_labels(sizes) if layer_labels is None else list(layer_labels)
    unit_names = _default_unit_names(n_layers) if unit_names is None else list(unit_names)
    weight_labels = _default_weight_labels(n_layers) if weight_labels is None else list(weight_labels)
    for name, given, want in (("layer_labels", layer_labels, n_layers), ("unit_names", unit_names, n_layers),
                              ("weight_labels", weight_labels, n_layers - 1)):
        if len(given) != want:
            raise ValueError(f"{name} needs {want} entries for sizes {sizes}, got {len(given)}")

    dx, dy = 2.4, 0.7                   # distance between layers and between units
    artists = {"units": [], "edges": [], "ellipses": [], "layer_labels": [], "weight_labels": [],
               "unit_texts": []}
    centres = []                        # per layer, the (x, y) of each drawn unit
    tallest = 0.0
    for l, size in enumerate(sizes):
        labels, gap = _visible_units(size, max_units)
        slots = len(labels) + (gap is not None)        # the ellipsis takes one slot
        top = (slots - 1) * dy / 2
        tallest = max(tallest, top)
        x = l * dx
        kind = "input" if l == 0 else "output" if l == n_layers - 1 else "hidden"
        layer_centres, circles = [], []
        slot = 0
        for j, index in enumerate(labels):
            if gap is not None and j == gap:
                artists["ellipses"].append(ax.text(x, top - slot * dy, r"$\vdots$", ha="center", va="center",
                                                   fontsize=14))
                slot += 1
            y = top - slot * dy
            circle = Circle((x, y), radius, facecolor=_UNIT_COLORS[kind], edgecolor="black", linewidth=1, zorder=3)
            ax.add_patch(circle)
            circles.append(circle)
            layer_centres.append((x, y))
            text = activation_label if (kind == "hidden" and activation_label) else f"${unit_names[l]}_{{{index}}}$"
            artists["unit_texts"].append(ax.text(x, y, text, ha="center", va="center", fontsize=9, zorder=4))
            slot += 1
        centres.append(layer_centres)
        artists["units"].append(circles)

    for l in range(n_layers):
        artists["layer_labels"].append(ax.text(l * dx, -tallest - 0.45, layer_labels[l], ha="center", va="top",
                                               fontsize=10))
    for l in range(n_layers - 1):
        segments = [(a, b) for a in centres[l] for b in centres[l + 1]]
        edges = LineCollection(segments, colors=_EDGE_COLOR, linewidths=0.8, alpha=0.7, zorder=1)
        ax.add_collection(edges)
        artists["edges"].append(edges)
        artists["weight_labels"].append(ax.text((l + 0.5) * dx, tallest + 0.55, weight_labels[l], ha="center",
                                                va="bottom", fontsize=10))
        # one arrow per weight matrix shows the direction of the computation
        ax.annotate("", xy=((l + 0.8) * dx, tallest + 0.4), xytext=((l + 0.2) * dx, tallest + 0.4),
                    arrowprops={"arrowstyle": "->", "color": "black", "linewidth": 1})

    ax.set_xlim(-dx / 2, (n_layers - 1) * dx + dx / 2)
    ax.set_ylim(-tallest - 1.6, tallest + 1.2)
    ax.set_aspect("equal")
    ax.axis("off")
    return artists
