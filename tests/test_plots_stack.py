"""Tests for layerwise.plots.stack: the L-layer stack diagram and the layer representation plots."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from layerwise.plots.stack import draw_stack, pca_2d, plot_representation, stack_rows  # noqa: E402


def test_stack_rows_small_network():
    rows = stack_rows([2, 16, 16, 3])
    kinds = [kind for kind, _, _ in rows]
    # X, then (Z, H) for the two hidden layers, then Z^(3) and O: no activation on the last layer.
    assert kinds == ["input", "linear", "activation", "linear", "activation", "linear", "output"]
    assert [l for _, l, _ in rows] == [0, 1, 1, 2, 2, 3, 3]
    texts = [t for _, _, t in rows]
    assert r"n \times 16" in texts[1] and r"n \times 3" in texts[-1]
    assert "X" in texts[1]                      # Z^(1) = X W^(1) + b^(1)


def test_stack_rows_elides_middle_layers():
    rows = stack_rows([2] + [64] * 9 + [3], max_layers=4)      # L = 10
    shown = sorted({l for kind, l, _ in rows if kind == "linear"})
    assert shown == [1, 2, 9, 10]
    dots = [t for kind, _, t in rows if kind == "dots"]
    assert len(dots) == 1 and "3" in dots[0] and "8" in dots[0]


def test_stack_rows_rejects_single_width():
    with pytest.raises(ValueError, match=r"sizes must list at least \[d, p\], got \[3\]"):
        stack_rows([3])


def test_draw_stack_draws_one_box_per_row():
    from matplotlib.patches import FancyBboxPatch

    fig, ax = plt.subplots()
    draw_stack(ax, [2, 8, 8, 8, 3])
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    # By hand, L = 4 layers (no elision at max_layers = 4): X, (Z, H) for layers 1-3, Z^(4) and O = 9 boxes.
    assert len(boxes) == 9
    fig.canvas.draw()                           # mathtext must parse
    plt.close(fig)


def test_pca_2d_of_points_on_a_line():
    t = np.linspace(-1, 1, 50)
    direction = np.array([3.0, 4.0, 0.0]) / 5
    H = t[:, None] * direction + np.array([1.0, 2.0, 3.0])
    P, explained = pca_2d(H)
    np.testing.assert_allclose(explained, [1.0, 0.0], atol=1e-12)
    # The first component is the line's coordinate, sign fixed by the largest loading (4/5 > 0).
    np.testing.assert_allclose(P[:, 0], t, atol=1e-12)
    np.testing.assert_allclose(P[:, 1], 0.0, atol=1e-12)


def test_pca_2d_keeps_distances_of_planar_data():
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.normal(size=(5, 2)))
    A = rng.normal(size=(30, 2))
    P, explained = pca_2d(A @ Q.T)
    d_in = np.linalg.norm(A[:, None] - A[None], axis=-1)
    d_out = np.linalg.norm(P[:, None] - P[None], axis=-1)
    np.testing.assert_allclose(d_out, d_in, atol=1e-10)
    assert explained.sum() == pytest.approx(1.0)


def test_plot_representation_labels_projection():
    rng = np.random.default_rng(0)
    fig, axes = plt.subplots(1, 2)
    y = np.repeat([0, 1, 2], 10)
    plot_representation(axes[0], rng.normal(size=(30, 2)), y)
    plot_representation(axes[1], rng.normal(size=(30, 7)), y, title="H")
    assert axes[0].get_xlabel() == "unit 1"
    assert axes[1].get_xlabel().startswith("PC 1")
    plt.close(fig)
