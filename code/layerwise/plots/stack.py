"""The L-layer stack drawn as boxes, and each layer's representation of the data (book: chapters/forward_propagation).

Every function draws on the `ax` (or axes) it is given and returns the artists it made.
"""

import numpy as np

from . import plot_dataset


def _box(ax, x, y, w, h, text, face, fontsize):
    from matplotlib.patches import FancyBboxPatch

    patch = FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.08",
                           facecolor=face, edgecolor="0.25", linewidth=1.0)
    ax.add_patch(patch)
    label = ax.text(x, y, text, ha="center", va="center", fontsize=fontsize)
    return [patch, label]


def _arrow(ax, y0, y1, x=0.0):
    return ax.annotate("", xy=(x, y1), xytext=(x, y0),
                       arrowprops=dict(arrowstyle="-|>", color="0.3", linewidth=1.2, shrinkA=0, shrinkB=0))


def stack_rows(sizes, max_layers=4):
    """The boxes of the stack for layer sizes [d, h_1, ..., p], bottom (X) to top (O).

    Returns a list of (kind, l, text) with kind in "input", "linear", "activation", "output", "dots".
    With more than `max_layers` layers the middle ones are shown as one "dots" row, keeping
    layers 1, 2 (when it fits) and the last two linear maps l = L−1, L.
    """
    sizes = list(sizes)
    L = len(sizes) - 1
    if L < 1:
        raise ValueError(f"sizes must list at least [d, p], got {sizes}")
    shown = list(range(1, L + 1))
    if L > max_layers:
        keep = max(1, max_layers - 2)
        shown = list(range(1, keep + 1)) + [None] + [L - 1, L]
    rows = [("input", 0, rf"$H^{{(0)}} = X$   $(n \times {sizes[0]})$")]
    for l in shown:
        if l is None:
            hidden = f"$l = {keep + 1}$" if keep + 1 == L - 2 else rf"$l = {keep + 1}, \ldots, {L - 2}$"
            rows.append(("dots", None, rf"$\vdots$   layers {hidden} in the same way   $\vdots$"))
            continue
        H_prev = "X" if l == 1 else rf"H^{{({l - 1})}}"
        rows.append(("linear", l, rf"$Z^{{({l})}} = {H_prev}\,W^{{({l})}} + b^{{({l})}}$   "
                                  rf"$(n \times {sizes[l]})$"))
        if l < L:
            rows.append(("activation", l, rf"$H^{{({l})}} = \sigma(Z^{{({l})}})$   $(n \times {sizes[l]})$"))
    rows.append(("output", L, rf"$O = Z^{{({L})}}$   $(n \times {sizes[-1]})$   no $\sigma$"))
    return rows


_FACES = {"input": "#dbe9f6", "linear": "#fde9d4", "activation": "#dff0d8", "output": "#f2dede", "dots": "white"}


def draw_stack(ax, sizes, max_layers=4, fontsize=10):
    """Draw forward propagation as a vertical stack of boxes, X at the bottom and O at the top.

    Each linear map Z^(l) = H^(l-1) W^(l) + b^(l) and each activation H^(l) = σ(Z^(l)) is a box
    labelled with its equation and its shape (n × h_l) for sizes [d, h_1, ..., p]; arrows show
    the order of computation. Returns the list of artists.
    """
    rows = stack_rows(sizes, max_layers)
    artists = []
    step, h, w = 1.0, 0.62, 4.6
    for i, (kind, _, text) in enumerate(rows):
        y = i * step
        if kind == "dots":
            artists.append(ax.text(0, y, text, ha="center", va="center", fontsize=fontsize))
        else:
            artists += _box(ax, 0, y, w, h, text, _FACES[kind], fontsize)
        if i > 0:
            artists.append(_arrow(ax, y - step + h / 2, y - h / 2))
    ax.set_xlim(-w / 2 - 0.3, w / 2 + 0.3)
    ax.set_ylim(-step / 2 - 0.1, (len(rows) - 1) * step + step / 2 + 0.1)
    ax.set_axis_off()
    return artists


def pca_2d(H):
    """Project H: (n, h) onto its first two principal components -> (P: (n, 2), explained: (2,)).

    `explained` is the fraction of H's total variance along each component. The sign of each
    component is fixed (its largest loading positive) so the picture is the same on every run.
    A 1-wide H gets a zero second column.
    """
    H = np.asarray(H, dtype=float)
    if H.ndim != 2:
        raise ValueError(f"H must be 2-D (n, h), got shape {H.shape}")
    C = H - H.mean(axis=0)
    _, s, Vt = np.linalg.svd(C, full_matrices=False)
    Vt = Vt * np.where(np.take_along_axis(Vt, np.abs(Vt).argmax(axis=1)[:, None], axis=1) < 0, -1.0, 1.0)
    total = float((s ** 2).sum())
    k = min(2, Vt.shape[0])
    P = np.zeros((H.shape[0], 2))
    P[:, :k] = C @ Vt[:k].T
    explained = np.zeros(2)
    if total > 0:
        explained[:k] = s[:k] ** 2 / total
    return P, explained


def plot_representation(ax, H, y, title=None, size=10):
    """Scatter one layer's representation H: (n, h) coloured by class y: (n,).

    A 2-wide H is drawn as it is; a wider one through its first two principal components, and the
    axis labels say which (with the share of variance they keep). Returns `plot_dataset`'s PathCollections.
    """
    H = np.asarray(H, dtype=float)
    if H.shape[1] == 2:
        P, xlabel, ylabel = H, "unit 1", "unit 2"
    else:
        P, explained = pca_2d(H)
        xlabel = f"PC 1 ({100 * explained[0]:.0f}% of variance)"
        ylabel = f"PC 2 ({100 * explained[1]:.0f}%)"
    points = plot_dataset(ax, P, y, size=size)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.tick_params(labelsize=7)
    if title is not None:
        ax.set_title(title, fontsize=10)
    return points
