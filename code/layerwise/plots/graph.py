"""The computational graph of a two-layer network, forward values and backward gradients written on
its nodes (book: chapters/backpropagation).

`two_layer_graph_values` computes every node's value and gradient with the package's own
forward, backward and loss; `draw_computational_graph` only draws them.
"""

import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from ..layers import linear_backward
from ..losses import softmax_cross_entropy
from ..network import backward, forward

# (x, y) of each node: data flows left to right, parameters enter from above and below.
GRAPH_LAYOUT = {
    "X": (0.0, 0.0), "W1": (1.3, 1.55), "b1": (1.3, -1.55), "Z1": (2.6, 0.0), "H1": (4.2, 0.0),
    "W2": (5.5, 1.55), "b2": (5.5, -1.55), "O": (6.8, 0.0), "y": (8.7, 1.55), "loss": (8.7, 0.0),
}
GRAPH_EDGES = [("X", "Z1"), ("W1", "Z1"), ("b1", "Z1"), ("Z1", "H1"), ("H1", "O"), ("W2", "O"),
               ("b2", "O"), ("O", "loss"), ("y", "loss")]
_LABELS = {"X": "$X$", "W1": "$W^{(1)}$", "b1": r"$\mathbf{b}^{(1)}$", "Z1": "$Z^{(1)}$",
           "H1": "$H^{(1)}$", "W2": "$W^{(2)}$", "b2": r"$\mathbf{b}^{(2)}$", "O": "$O = Z^{(2)}$",
           "y": "$y$", "loss": r"$\ell$"}
_OPS = {"Z1": r"$HW+\mathbf{b}$", "H1": r"$\sigma$", "O": r"$HW+\mathbf{b}$", "loss": "softmax\nCE"}
_MAIN_INPUT = {"Z1": "X", "H1": "Z1", "O": "H1", "loss": "O"}
_HALF_W, _HALF_H = 0.6, 0.55           # half the size of a node's box, its padding included
VALUE_COLOR = "#1f5fa8"
GRAD_COLOR = "#c0392b"


def two_layer_graph_values(params, X, y, activation="sigmoid"):
    """Every node of the graph of a 2-layer network: {name: (value, gradient of the loss)}.

    params [(W1, b1), (W2, b2)], X: (n, d), y: (n,). Gradients come from `backward`; dH1 from
    `linear_backward` of layer 2. X and y get no gradient (None); the loss has gradient 1.
    """
    if len(params) != 2:
        raise ValueError(f"the graph is drawn for a 2-layer network, got {len(params)} layers")
    O, caches = forward(params, X, activation)
    loss, dO = softmax_cross_entropy(O, y)
    dZ = {}
    grads = backward(dO, caches, on_layer=lambda l, dZ_l, dW, db: dZ.__setitem__(l, dZ_l))
    dH1, _, _ = linear_backward(dO, caches[1].linear)          # dH^(1) = dZ^(2) W^(2)ᵀ
    (W1, b1), (W2, b2) = params
    (dW1, db1), (dW2, db2) = grads
    H1 = caches[1].linear[0]
    return {
        "X": (caches[0].linear[0], None), "W1": (W1, dW1), "b1": (b1, db1), "Z1": (caches[0].Z, dZ[1]),
        "H1": (H1, dH1), "W2": (W2, dW2), "b2": (b2, db2), "O": (O, dO), "y": (np.asarray(y), None),
        "loss": (np.float64(loss), np.float64(1.0)),
    }


def _box_exit(a, b):
    """Where the segment from box centre a towards b leaves a's box."""
    (x0, y0), (x1, y1) = a, b
    dx, dy = x1 - x0, y1 - y0
    t = min(_HALF_W / abs(dx) if dx else np.inf, _HALF_H / abs(dy) if dy else np.inf)
    return x0 + t * dx, y0 + t * dy


def format_array(A, precision=2):
    """A small array as text, one matrix row per line: [[1, -0.5], [0, 2]] -> '[1.00 -0.50]\\n[0.00 2.00]'."""
    A = np.asarray(A)
    fmt = "d" if A.dtype.kind in "iu" else f".{precision}f"
    rows = ["[" + " ".join(f"{v:{fmt}}" for v in row) + "]" for row in np.atleast_2d(A)]
    return "\n".join(rows)


def draw_computational_graph(ax, values=None, precision=2):
    """Draw the 2-layer graph on ax; with `values` from `two_layer_graph_values`, write each node's
    forward value (blue) and its gradient ∂ℓ/∂node (red) under its name.

    Returns {"nodes": {name: patch}, "texts": {name: Text}, "edges": [patch, ...]}.
    """
    nodes, texts, edges = {}, {}, []
    for name, (x, y) in GRAPH_LAYOUT.items():
        is_param = name[0] in "Wb" or name in ("X", "y")
        box = FancyBboxPatch((x - 0.55, y - 0.5), 1.1, 1.0, boxstyle="round,pad=0.05",
                             facecolor="#eef3f8" if is_param else "#fdf2e3", edgecolor="#555555", lw=1)
        ax.add_patch(box)
        nodes[name] = box
        texts[name] = ax.text(x, y + 0.36, _LABELS[name], ha="center", va="center", fontsize=11)
        if values is not None:
            value, grad = values[name]
            ax.text(x, y + 0.12, format_array(value, precision), ha="center", va="top",
                    fontsize=8.5, family="monospace", color=VALUE_COLOR)
            if grad is not None:
                ax.text(x, y - 0.62, format_array(grad, precision), ha="center", va="top",
                        fontsize=8.5, family="monospace", color=GRAD_COLOR)
    for src, dst in GRAPH_EDGES:
        start, end = _box_exit(GRAPH_LAYOUT[src], GRAPH_LAYOUT[dst]), _box_exit(GRAPH_LAYOUT[dst], GRAPH_LAYOUT[src])
        arrow = FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, shrinkA=2, shrinkB=2,
                                color="#555555", lw=1)
        ax.add_patch(arrow)
        edges.append(arrow)
    for name, op in _OPS.items():
        # the operation that makes a node is written above the arrow of the main chain into it
        (x, y), x_prev = GRAPH_LAYOUT[name], GRAPH_LAYOUT[_MAIN_INPUT[name]][0]
        ax.text((x + x_prev) / 2, y + 0.08, op, ha="center", va="bottom", fontsize=8.5, color="#555555")
    # where a number stands says what it is, so the colours are not the only cue
    ax.text(-0.65, -2.55, "in a box, blue: forward value", color=VALUE_COLOR, fontsize=9.5, ha="left")
    ax.text(3.2, -2.55, r"under a box, red: gradient $\partial\ell/\partial(\mathrm{node})$, flowing backward",
            color=GRAD_COLOR, fontsize=9.5, ha="left")
    ax.set_xlim(-0.8, 9.5)
    ax.set_ylim(-2.8, 2.2)
    ax.set_aspect("equal")
    ax.axis("off")
    return {"nodes": nodes, "texts": texts, "edges": edges}
