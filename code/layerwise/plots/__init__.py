"""Plotting helpers shared by the chapters and the explorer (needs matplotlib).

Every function draws on an `ax` it is given and returns the artists it made, so a widget can
update them instead of redrawing; the numbers come from the package. Chapter-specific drawings
live in the submodules of this package.
"""

import numpy as np

# Class colours that stay distinct in the light and the dark theme, and a marker per class, so that
# colour is never the only cue (colour-blind readers, grey-scale prints).
CLASS_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"]
CLASS_MARKERS = ["o", "s", "^", "D", "v"]


def input_grid(X, resolution=200, margin=0.25):
    """A grid over the 2-D input plane around X: (n, 2) -> (xx, yy, G) with G: (resolution², 2)."""
    X = np.asarray(X, dtype=float)
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = margin * (hi - lo)
    xs = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
    ys = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
    xx, yy = np.meshgrid(xs, ys)
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def plot_dataset(ax, X, y, size=14):
    """Scatter the 2-D points X: (n, 2), each class y: (n,) in its colour and marker.

    Returns the PathCollections, one per class 0..max(y).
    """
    X, y = np.asarray(X), np.asarray(y)
    points = [ax.scatter(X[y == k, 0], X[y == k, 1], color=CLASS_COLORS[k], marker=CLASS_MARKERS[k],
                         s=size, edgecolors="white", linewidths=0.4, label=f"class {k}")
              for k in range(int(np.max(y)) + 1)]
    ax.set_aspect("equal", adjustable="datalim")
    return points


def plot_decision_regions(ax, predict_fn, X, y, resolution=200, alpha=0.25):
    """Colour the input plane by predict_fn(G) -> labels and overlay the data (`plot_dataset`).

    predict_fn: maps (m, 2) points to (m,) integer labels, e.g. `lambda G: predict(forward_inference(params, G))`.
    Returns (image, points), points the PathCollections of `plot_dataset`.
    """
    from matplotlib.colors import ListedColormap

    xx, yy, G = input_grid(X, resolution)
    k = int(np.max(y)) + 1
    labels = np.asarray(predict_fn(G)).reshape(xx.shape)
    image = ax.imshow(labels, origin="lower", extent=(xx.min(), xx.max(), yy.min(), yy.max()),
                      cmap=ListedColormap(CLASS_COLORS[:k]), vmin=-0.5, vmax=k - 0.5,
                      alpha=alpha, interpolation="nearest", aspect="auto")
    points = plot_dataset(ax, X, y)
    ax.set_xlim(xx.min(), xx.max())
    ax.set_ylim(yy.min(), yy.max())
    # Fixed limits and an equal aspect fit only if the box, not the data limits, adjusts;
    # otherwise matplotlib drops the limits and logs a message into the cell's output.
    ax.set_adjustable("box")
    return image, points
