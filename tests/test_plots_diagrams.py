"""Tests for layerwise.plots.diagrams.draw_network: counts of drawn units and edges derived by hand."""

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Circle  # noqa: E402

from layerwise.plots.diagrams import draw_network  # noqa: E402


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def _circles(ax):
    return [p for p in ax.patches if isinstance(p, Circle)]


@pytest.mark.parametrize("sizes, units", [([2, 3], 5), ([3, 4, 2], 9), ([1, 1], 2), ([2, 5, 5, 3], 15)])
def test_small_layers_draw_one_circle_per_unit(ax, sizes, units):
    artists = draw_network(ax, sizes)
    assert len(_circles(ax)) == units
    assert [len(c) for c in artists["units"]] == sizes
    assert artists["ellipses"] == []


def test_edges_connect_every_pair_of_drawn_units(ax):
    artists = draw_network(ax, [3, 4, 2])
    assert [len(e.get_segments()) for e in artists["edges"]] == [3 * 4, 4 * 2]


def test_wide_and_symbolic_layers_are_cut_with_an_ellipsis(ax):
    # 100 inputs with max_units=6: units 1..4, an ellipsis, unit 100 -> 5 circles
    artists = draw_network(ax, [100, "q", 2], max_units=6)
    assert [len(c) for c in artists["units"]] == [5, 5, 2]
    assert len(artists["ellipses"]) == 2
    texts = [t.get_text() for t in artists["unit_texts"]]
    assert "$x_{100}$" in texts and "$h^{(1)}_{q}$" in texts


def test_activation_label_marks_hidden_units_only(ax):
    artists = draw_network(ax, [2, 3, 2], activation_label="σ")
    texts = [t.get_text() for t in artists["unit_texts"]]
    assert texts.count("σ") == 3
    assert texts[:2] == ["$x_{1}$", "$x_{2}$"] and texts[-2:] == ["$o_{1}$", "$o_{2}$"]


def test_layer_labels_default_to_the_books_notation(ax):
    artists = draw_network(ax, ["d", "p"])
    labels = [t.get_text() for t in artists["layer_labels"]]
    assert "d inputs" in labels[0] and "p outputs" in labels[1]
    assert len(artists["weight_labels"]) == 1


def test_figure_draws_without_warnings(ax):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        draw_network(ax, ["d", "q", "p"], activation_label="σ")
        ax.figure.canvas.draw()


@pytest.mark.parametrize("kwargs, fragment", [
    ({"sizes": [3]}, r"sizes must list at least \[d, p\]"),
    ({"sizes": [2, 0]}, "a layer width must be an int >= 1 or a symbol .str., got 0"),
    ({"sizes": [2, 2.5]}, "a layer width must be an int >= 1 or a symbol .str., got 2.5"),
    ({"sizes": [2, 3], "layer_labels": ["x"]}, "layer_labels needs 2 entries"),
    ({"sizes": [2, 3], "max_units": 2}, "max_units must be >= 3"),
])
def test_bad_arguments_raise(ax, kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        draw_network(ax, **kwargs)


def test_default_labels_are_singular_for_width_one(ax):
    draw_network(ax, [1, 3, 1])
    texts = [t.get_text() for t in ax.texts]
    assert any("(1 input)" in t for t in texts) and any("(1 output)" in t for t in texts)
    assert not any("1 inputs" in t or "1 outputs" in t for t in texts)
