"""The explorer's drawing: artists hold the numbers computed independently, and blitting draws what a full draw does."""

import matplotlib

matplotlib.use("Agg")

import json  # noqa: E402
from dataclasses import replace  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from matplotlib.path import Path  # noqa: E402

from layerwise.explorer_model import FLOOR, ExplorerModel  # noqa: E402
from layerwise.plots import CLASS_COLORS  # noqa: E402
from layerwise.plots.legibility import KEY  # noqa: E402
from layerwise.plots.explorer import (LAYER_PICTURES, ROWS, VIEWS, WEIGHT_COLORS, WIDTH_LEVELS,  # noqa: E402
                                      draw_explorer, explorer_figure, network_layout, png_bytes,
                                      probability_colors, weight_segments, render_image, render_rgba, row_of,
                                      same, summary, update_explorer)
from test_explorer_model import fractions, reference_network, reference_numbers  # noqa: E402

pytestmark = pytest.mark.filterwarnings("error")


def test_probability_colors_mixes_class_colours_towards_white():
    P = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    rgb = probability_colors(P, alpha=0.5)
    c0, c1 = np.array(to_rgb(CLASS_COLORS[0])), np.array(to_rgb(CLASS_COLORS[1]))
    np.testing.assert_allclose(rgb[0], 0.5 + 0.5 * c0)
    np.testing.assert_allclose(rgb[1], 0.5 + 0.5 * c1)
    np.testing.assert_allclose(rgb[2], 0.5 + 0.25 * (c0 + c1))


def ridges(patch):
    """(tops (B,), edges (B + 1,), baseline) of each layer's outline in a ridge panel's patch, read from its
    path's vertices as drawn (empty for a hidden patch)."""
    if not patch.get_visible():
        return []
    path = patch.get_path()
    starts = np.flatnonzero(path.codes == Path.MOVETO)
    rows = []
    for xy in np.split(path.vertices, starts[1:]):
        x, y = xy[:, 0], xy[:, 1]
        assert np.all(x[0::2] == x[1::2]) and y[0] == y[-1]     # vertical sides, back to the baseline
        assert np.all(y[1:-1:2] == y[2:-1:2])                  # flat tops
        rows.append((y[1:-1:2], x[0::2], y[0]))
    return rows


def test_rows_tile_the_panel_for_every_depth():
    for L in range(2, 12):
        bases = [row_of(l, L)[0] for l in range(1, L + 1)]
        assert bases[0] == 0 and row_of(L, L)[0] + row_of(L, L)[1] == pytest.approx(ROWS)


def test_artists_hold_the_independently_computed_numbers():
    settings = dict(width=4, depth=5, activation="sigmoid", seed=2)
    s = ExplorerModel(resolution=16, **settings).stats(layer=3)
    ef = draw_explorer(s)
    assert ef._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n" and "4 panels" not in repr(ef)   # shows as a picture
    X, y, params = reference_network(**settings)
    ref = reference_numbers(params, X, y, "sigmoid")
    # Activation ridges: the shape of each layer's outline is the histogram of H^(l).
    stairs = ridges(ef.artists["H"])
    assert len(stairs) == 5
    for (values, edges, base), H in zip(stairs, ref["H"]):
        expected = fractions(H, edges)
        np.testing.assert_allclose((values - base) / (values - base).max(), expected / expected.max())
    # Gradient norms: the line's x data are ‖dW^(l)‖ for l = 1..L (above the floor here).
    (line,) = ef.axes["dW"].get_lines()
    np.testing.assert_allclose(line.get_xdata(), np.maximum(ref["dW_norms"], FLOOR), rtol=1e-10)
    assert np.all(np.diff(line.get_ydata()) > 0)                # layer 1 at the bottom


def test_zero_gradients_are_drawn_at_the_floor_without_warnings():
    m = ExplorerModel(resolution=10, activation="relu", init="he")
    m.params = [(W, b - 100.0) for W, b in m.params]             # every ReLU dead: dW = 0 below the top
    ef = explorer_figure("gradients")
    update_explorer(ef, m.stats())
    x = ef.artists["dW"].get_xdata()
    assert x[0] == FLOOR and np.all(x >= FLOOR)
    assert render_image(ef, "png")[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_blitted_redraw_equals_a_full_draw(view):
    a = ExplorerModel(resolution=16, depth=2).stats()
    b_model = ExplorerModel(resolution=16, depth=6, width=3, activation="relu", init="he", seed=4)
    b_model.step()
    b = b_model.stats(layer=2)
    ef = explorer_figure(view)
    update_explorer(ef, a)
    render_rgba(ef)
    key = ef.layout_key
    update_explorer(ef, b)
    render_rgba(ef)                                              # draws b's labels and caches them
    update_explorer(ef, a)
    render_rgba(ef)
    update_explorer(ef, b)
    fast = render_rgba(ef).copy()                                # b's labels pasted from the cache
    assert ef.layout_key == key                                  # it took the fast path
    fresh = explorer_figure(view)
    update_explorer(fresh, b)
    full = render_rgba(fresh)
    assert np.array_equal(fast, full)


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_images_painted_with_numpy_equal_matplotlibs_drawing(view, monkeypatch):
    """The surface and the neuron maps are copied into the canvas through a map of pixels (_paint); matplotlib's
    own drawing of the same images gives the same pixels, at the explorer's resolution and a coarser one,
    at the widget's and another dpi, with each activation's colormap and range."""
    from layerwise.plots import explorer

    for resolution, dpi, activation in ((80, 72, "relu"), (16, 90, "tanh"), (80, 90, "sigmoid")):
        s = ExplorerModel(resolution=resolution, width=5, activation=activation, init="he").stats(layer=2)
        painted = draw_explorer(s, view, dpi=dpi)
        fast = render_rgba(painted).copy()
        images = list(painted.pixel_maps.values())
        assert images and all(v is not None for v in images)       # every image took the NumPy path
        with monkeypatch.context() as patch:
            patch.setattr(explorer, "_paint", lambda *args: False)
            np.testing.assert_array_equal(fast, render_rgba(draw_explorer(s, view, dpi=dpi)))


def test_an_image_with_more_pixels_than_the_probe_can_number_is_drawn_by_matplotlib(monkeypatch):
    from layerwise.plots import explorer

    s = ExplorerModel(resolution=520, width=2, depth=1).stats()     # 520² cells > 64³ numbers
    ef = draw_explorer(s, "depth")
    fast = render_rgba(ef).copy()
    assert list(ef.pixel_maps.values()) == [None]
    monkeypatch.setattr(explorer, "_paint", lambda *args: False)
    np.testing.assert_array_equal(fast, render_rgba(draw_explorer(s, "depth")))


def test_markers_blended_from_a_cached_picture_are_within_3_of_drawing_them():
    """The data points and the network's nodes are drawn once into pictures that later draws blend in
    (_blend_layer): within 3/255 of drawing every marker, only inside their panels; moving only the points
    (same colours, same limits), hiding the test points or changing the architecture draws them anew,
    as a fresh figure does."""
    s = ExplorerModel(resolution=16).stats()
    wider = ExplorerModel(resolution=16, width=5, depth=2).stats()
    states = [s, replace(s, X=s.X + 0.05), replace(s, X_test=None, y_test=None), wider, s]
    ef = explorer_figure("all", title=False)
    for t in states:
        update_explorer(ef, t)
        fast = render_rgba(ef).copy()
        fresh = explorer_figure("all", title=False)
        update_explorer(fresh, t)
        np.testing.assert_array_equal(fast, render_rgba(fresh))
        fresh.layers.clear()                                       # every marker drawn by matplotlib
        fresh.background = None
        markers = render_rgba(fresh).astype(int)
        assert np.abs(fast - markers).max() <= 3
        h = fast.shape[0]
        inside = np.zeros(fast.shape[:2], bool)
        for x0, y0, x1, y1 in (fresh.axes_boxes["surface"], fresh.axes_boxes["network"]):
            inside[max(h - y1, 0):h - y0, max(x0, 0):x1] = True
        assert not np.any((fast != markers).any(axis=-1) & ~inside)
    assert all(0 < len(pictures) <= LAYER_PICTURES for pictures in ef.layer_pixels.values())


def test_neuron_maps_take_the_colormap_of_the_activation():
    """tanh maps diverge around 0 (red-blue); sigmoid and ReLU, which are never negative, use viridis."""
    ef = explorer_figure("activations")
    for activation, name in (("tanh", "RdBu_r"), ("relu", "viridis"), ("sigmoid", "viridis"), ("tanh", "RdBu_r")):
        s = ExplorerModel(resolution=8, width=3, activation=activation).stats()
        update_explorer(ef, s)
        maps = [im for im in ef.artists["neurons"] if im.get_visible()]
        assert len(maps) == 3 and {im.get_cmap().name for im in maps} == {name}
        lo, hi = s.neuron_range
        rgba = maps[0].to_rgba(maps[0].get_array())                      # what the image draws
        expected = matplotlib.colormaps[name]((s.neuron_maps[0] - lo) / (hi - lo))
        np.testing.assert_allclose(rgba, expected, atol=1 / 255)


def decode(data):
    """Pixels (h, w, 3 or 4, as stored) and text chunks of PNG or JPEG bytes, read by PIL (an independent decoder)."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        return np.asarray(im), dict(getattr(im, "text", {}))


def test_png_bytes_decode_to_the_same_pixels_and_text():
    rng = np.random.default_rng(0)
    noisy = rng.integers(0, 256, size=(7, 5, 4), dtype=np.uint8)          # odd sizes, every byte value
    for pixels, small in ((noisy, False), (noisy[:, ::-1], True), (noisy[..., :3], False), (noisy[:, ::-1, :3], True),
                          (np.full((1, 1, 3), 255, np.uint8), False)):
        data = png_bytes(pixels, small=small, text={"layerwise:text": '{"dpi":72.0}', "note": "é"})
        decoded, text = decode(data)
        np.testing.assert_array_equal(decoded, pixels)
        assert text == {"layerwise:text": '{"dpi":72.0}', "note": "é"}


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_rendered_png_is_the_figure_and_no_larger_than_pils(view):
    """render_image's PNG holds exactly the drawn pixels, all opaque (the alpha it keeps changes nothing
    on a page); the notebook's picture holds them as RGB, with the text record."""
    import io

    from PIL import Image

    ef = draw_explorer(ExplorerModel(resolution=16, width=3).stats(), view)
    data = render_image(ef, "png")
    rgba = render_rgba(ef).copy()
    np.testing.assert_array_equal(decode(data)[0], rgba)
    assert np.all(rgba[..., 3] == 255)
    rgb = rgba[..., :3]
    pil = io.BytesIO()
    Image.fromarray(rgb).save(pil, format="png", compress_level=1)
    assert len(data) < 1.25 * len(pil.getvalue())           # unfiltered rows cost a figure little size
    pixels, text = decode(ef._repr_png_())
    np.testing.assert_array_equal(pixels, rgb)
    assert json.loads(text[KEY])["dpi"] == ef.figure.dpi
    jpeg, _ = decode(render_image(ef, "jpeg"))
    assert jpeg.shape == rgb.shape and np.abs(jpeg.astype(int) - rgb).mean() < 8


def control_changes():
    """Stats of one explorer after each of a reader's changes: the layer of the maps, none, a step, a seed,
    the depth, the width (past the neuron maps' limit and back), the activation, a diverged run, and a
    made-up warning that covers other panels."""
    m = ExplorerModel(resolution=16)
    yield m.stats()
    yield m.stats(layer=3)                                  # only the neuron maps move
    yield m.stats(layer=3)                                  # nothing moves
    m.step()
    yield m.stats(layer=3)                                  # new numbers in the same layout
    for change in (dict(seed=3), dict(depth=6), dict(depth=8), dict(depth=1), dict(width=12), dict(width=3),
                   dict(depth=5), dict(activation="relu", init="he"),
                   dict(lr=0.5), dict(dataset="spirals"), dict(depth=2, activation="sigmoid")):
        m.update(**change)
        yield m.stats(layer=2)
    m.step()
    yield m.stats(layer=1)
    m.update(dataset="moons", depth=3, activation="tanh", init="xavier", lr=10.0)
    m.train_epochs(20)                                      # diverges: the warning shows on the surface
    assert m.diverged
    s = m.stats()
    yield s
    # A warning taller than its panel spills over the panel below: removing it must redraw that one too.
    # Short lines keep it off the layer numbers, whose pixels are cached over plain background.
    yield replace(s, message="\n".join(["too tall"] * 40))
    yield replace(s, message="")


@pytest.mark.parametrize("warm_texts", [False, True])
def test_a_figure_updated_change_after_change_draws_what_a_fresh_one_does(warm_texts):
    """Every update reuses artists and cached pixels; a stale line, style, label or panel would differ.
    The view "all" has every panel (test_blitted_redraw_equals_a_full_draw checks each view's layout).
    With warm_texts the labels are pasted from pixels drawn at the first render, before they were shown."""
    view = "all"
    ef = explorer_figure(view, title=False, warm_texts=warm_texts)
    for s in control_changes():
        update_explorer(ef, s)
        fast = render_rgba(ef).copy()
        fresh = explorer_figure(view, title=False)
        update_explorer(fresh, s)
        np.testing.assert_array_equal(fast, render_rgba(fresh), err_msg=summary(s))


def test_pasted_texts_stand_on_whole_pixels_near_their_places():
    """Labels that move with the depth are put on whole pixels (_place), less than half a pixel from where
    they belong, so that the pixels of one drawing can be pasted at every depth; the labels of the layers
    are still centred on their rows and the network's on their columns."""
    from layerwise.plots.explorer import _anchor

    ef = explorer_figure("all", title=False)
    for depth in (3, 6, 1):
        update_explorer(ef, ExplorerModel(resolution=8, width=2, depth=depth).stats())
        L = depth + 1
        ridges = ef.axes["activations"]
        for l, label in enumerate(ef.artists["H_labels"][:L], start=1):
            base, h = row_of(l, L)
            wanted = ridges.transData.transform((0, base + h / 2))[1]
            x, y = _anchor(label)
            assert abs(y - wanted) <= 0.5 and np.allclose(label.get_transform().transform(label.get_position()), (x, y))
        network = ef.axes["network"]
        for l, label in enumerate(ef.artists["network_labels"][:L + 1]):
            wanted = network.transData.transform((l / L, 0))[0]
            assert abs(_anchor(label)[0] - wanted) <= 0.5
    for text in ef.pasted:
        assert np.allclose(text.get_transform().transform(text.get_position()), _anchor(text), atol=1e-6)


def test_the_note_over_the_neuron_maps_reads_as_one_line():
    """The note is drawn in parts (so that a new layer draws only "layer l,"): they must say the sentence in
    order, on one baseline, one space apart with no overlap, and give way to the width limit's message."""
    ef = explorer_figure("activations")
    for settings, layer, words in (
            (dict(width=3, activation="sigmoid"), 2,
             ["layer 2,", "neurons j = 1..3", "(left to right) over the input plane;", "colours 0 to 1"]),
            (dict(width=12), 1, ["maps of single neurons are drawn for widths up to 8"]),
            (dict(width=8, depth=5), 5,
             ["layer 5,", "neurons j = 1..8", "(left to right) over the input plane;", "colours -1 to 1"])):
        update_explorer(ef, ExplorerModel(resolution=8, **settings).stats(layer=layer))
        shown = [t for t in ef.artists["neurons_note"] if t.get_visible()]
        assert [t.get_text() for t in shown] == words
        boxes = [t.get_window_extent() for t in shown]
        assert len({round(t.get_position()[1], 9) for t in shown}) == 1          # one baseline
        gaps = [b.x0 - a.x1 for a, b in zip(boxes, boxes[1:])]
        assert all(1 <= gap <= 5 for gap in gaps), gaps                          # a space at 9 pt, 90 dpi: 3-4 px
        render_rgba(ef)


def test_same_compares_panel_inputs_by_value():
    a = np.array([1.0, np.nan])
    assert same((a, [0.5, float("nan")], None, "x"), (a.copy(), [0.5, float("nan")], None, "x"))
    assert not same(a, np.array([1.0, 2.0])) and not same(a, a[:1]) and not same(a, None)
    assert not same([np.zeros(2)], [np.zeros(2), np.zeros(2)]) and not same([1.0], (1.0,))
    assert same(np.array([1, 2]), np.array([1, 2])) and not same(np.array([1, 2]), np.array([1, 3]))


def test_only_panels_whose_numbers_changed_are_moved():
    m = ExplorerModel(resolution=16, width=3)
    ef = explorer_figure("all", title=False)
    update_explorer(ef, m.stats(layer=1))
    assert ef.dirty == set(VIEWS["all"][0])                 # a new figure: every panel
    render_rgba(ef)
    update_explorer(ef, m.stats(layer=1))
    assert ef.dirty == set()
    update_explorer(ef, m.stats(layer=2))
    assert ef.dirty == {"neurons"}
    m.update(lr=0.5)                                        # the picture shows no learning rate
    update_explorer(ef, m.stats(layer=2))
    assert ef.dirty == {"neurons"}                          # still to be drawn
    render_rgba(ef)
    m.step()
    update_explorer(ef, m.stats(layer=2))
    assert ef.dirty == set(VIEWS["all"][0])


def test_update_changes_the_drawn_data():
    ef = explorer_figure("all")
    update_explorer(ef, ExplorerModel(resolution=16).stats())
    before = ef.artists["surface"].get_array().copy(), ef.artists["dW"].get_xdata().copy()
    s = ExplorerModel(resolution=16, seed=1).stats()
    update_explorer(ef, s)
    assert ef.artists["title"].get_text() == summary(s) and "seed 1" in summary(s)
    assert not np.array_equal(before[0], ef.artists["surface"].get_array())
    assert not np.array_equal(before[1], ef.artists["dW"].get_xdata())


def test_unknown_view_is_rejected():
    with pytest.raises(ValueError, match="known views"):
        explorer_figure("weights")


def test_network_layout_and_weight_segments_by_hand():
    nodes = network_layout([2, 3, 2])
    np.testing.assert_allclose(nodes[0], [[0, 0.5 + 0.5 / 3], [0, 0.5 - 0.5 / 3]])   # centred, first on top
    np.testing.assert_allclose(nodes[1][:, 0], 0.5) and np.testing.assert_allclose(nodes[2][:, 0], 1.0)
    W1 = np.arange(6.0).reshape(2, 3) - 2.5
    W2 = np.arange(6.0).reshape(3, 2) - 1.0
    segments, w = weight_segments([W1, W2])
    assert segments.shape == (12, 2, 2)
    np.testing.assert_array_equal(w, np.concatenate([W1.ravel(), W2.ravel()]))
    # the line of W1[1, 2] runs from input node 1 to hidden node 2; that of W2[2, 0] from hidden 2 to output 0
    np.testing.assert_allclose(segments[5], [nodes[0][1], nodes[1][2]])
    np.testing.assert_allclose(segments[6 + 4], [nodes[1][2], nodes[2][0]])


def drawn_lines(edges):
    """Every line the network's edge artist draws: segments (n, 2, 2), and per line its width, RGB colour
    and whether it is dashed, read from the paths (MOVETO, LINETO per line) and each path's style."""
    segments, widths, colours, dashed = [], [], [], []
    for path, width, colour, (_, dashes) in zip(edges.get_paths(), edges.get_linewidths(), edges.get_edgecolor(),
                                                edges.get_linestyles(), strict=True):
        n = len(path.vertices) // 2
        if n:
            np.testing.assert_array_equal(path.codes, np.tile([Path.MOVETO, Path.LINETO], n))   # one line each
        segments.append(path.vertices.reshape(n, 2, 2))
        widths += [width] * n
        colours += [to_rgb(colour)] * n
        dashed += [dashes is not None] * n
    return np.concatenate(segments), np.array(widths), colours, np.array(dashed)


@pytest.mark.parametrize("settings", [dict(width=3, depth=2, seed=1), dict(width=16, depth=6, init="he", seed=3)])
def test_network_panel_draws_each_weight_once_by_sign_and_size(settings):
    """Each weight's line is drawn exactly once, from node to node (weight_segments), blue and solid for
    w >= 0 (0 and -0 included), red and dashed for w < 0, WIDTH_LEVELS widths standing for
    0.3 + 2.7 |w| / max |w| pt: at most half a step of 2.7 / (WIDTH_LEVELS - 1) pt off (0.044 pt: as many
    px at the website's 72 dpi), the largest exactly 3.0; thicker lines are drawn after (over) thinner ones."""
    s = ExplorerModel(resolution=8, **settings).stats()
    weights = [W.copy() for W in s.weights]
    weights[0][0, 0], weights[-1][-1, -1] = 0.0, -0.0                         # both drawn as w >= 0
    ef = explorer_figure("all")
    update_explorer(ef, replace(s, weights=weights))
    segments, w = weight_segments(weights)
    drawn, widths, colours, dashed = drawn_lines(ef.artists["edges"])
    assert len(drawn) == len(w)
    # the weight each drawn line stands for, found by its two ends (no two weights join the same nodes)
    index = {segment.tobytes(): e for e, segment in enumerate(segments)}
    assert len(index) == len(w)
    e = np.array([index[segment.tobytes()] for segment in drawn])
    assert sorted(e) == list(range(len(w)))                                  # none dropped, none twice
    negative = np.signbit(w[e]) & (w[e] != 0)
    assert negative.any() and not negative.all()
    assert colours == [to_rgb(WEIGHT_COLORS[1] if n else WEIGHT_COLORS[0]) for n in negative]
    np.testing.assert_array_equal(dashed, negative)                          # sign by pattern too
    exact = 0.3 + 2.7 * np.abs(w[e]) / np.abs(w).max()
    assert WIDTH_LEVELS >= 32 and np.abs(widths - exact).max() <= 2.7 / (2 * (WIDTH_LEVELS - 1)) + 1e-12
    assert widths[np.argmax(np.abs(w[e]))] == 3.0 and widths.min() >= 0.3
    assert np.all(np.diff(widths) >= 0)                                      # the z order: thin first
    labels = [t.get_text() for t in ef.artists["network_labels"] if t.get_visible()]
    assert labels == ["X"] + [str(l) for l in range(1, settings["depth"] + 1)] + ["O"]


def test_agg_starts_the_dash_pattern_again_at_each_moveto():
    """The network's dashed lines are drawn many to a path, one MOVETO each: Agg must dash each line from
    its start as if it were drawn alone (lines of lengths that are no multiple of the pattern, apart)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection, PathCollection
    from matplotlib.figure import Figure

    segments = np.array([[[0.05, 0.05 + 0.1 * i], [0.3 + 0.07 * i, 0.2 + 0.11 * i]] for i in range(8)])

    def picture(artist):
        fig = Figure(figsize=(3, 3), dpi=72)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0, 0, 1, 1), xlim=(0, 1), ylim=(0, 1))
        ax.axis("off")
        ax.add_collection(artist)
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba())

    for width in (0.3, 1.3, 3.0):
        style = dict(linewidths=width, linestyles=[(0, (3, 2))])
        alone = picture(LineCollection(segments, colors="r", **style))
        together = picture(PathCollection([Path(segments.reshape(-1, 2), np.tile([Path.MOVETO, Path.LINETO], 8))],
                                          facecolors="none", edgecolors="r", **style))
        assert (alone != 255).any() and np.array_equal(together, alone)


def network_panel(s, reference=None):
    """RGB pixels (int) of the network panel of a full draw for stats s; with `reference` = "old" the
    weights drawn instead as before the edge groups: a LineCollection, one line per weight in the order
    of weight_segments, of its exact width; "grouped": the same, in the groups' z order and widths."""
    from matplotlib.collections import LineCollection

    ef = explorer_figure("all", title=False)
    update_explorer(ef, s)
    if reference:
        segments, w = weight_segments(s.weights)
        widths = 0.3 + 2.7 * np.abs(w) / np.abs(w).max()
        order = np.arange(len(w))
        if reference == "grouped":
            # the edge artist's z order: by width level, then slanted before level lines, then w >= 0 before w < 0
            level = np.rint((widths - 0.3) / (2.7 / (WIDTH_LEVELS - 1)))
            order = np.lexsort((w < 0, segments[:, 0, 1] == segments[:, 1, 1], level))
            widths = 0.3 + 2.7 / (WIDTH_LEVELS - 1) * level
        w, segments, widths = w[order], segments[order], widths[order]
        ef.artists["edges"].set_visible(False)
        ef.axes["network"].add_collection(LineCollection(
            segments, zorder=1, linewidths=widths, colors=[WEIGHT_COLORS[int(v < 0)] for v in w],
            linestyles=["-" if v >= 0 else (0, (3, 2)) for v in w]))
    ef.figure.canvas.draw()
    x0, y0, x1, y1 = ef.axes_boxes["network"]
    pixels = np.asarray(ef.figure.canvas.buffer_rgba())[..., :3].astype(int)
    return pixels[pixels.shape[0] - y1:pixels.shape[0] - y0, x0:x1]


@pytest.mark.parametrize("settings", [dict(width=3, depth=2, seed=1), dict(width=8, depth=3),
                                      dict(width=16, depth=6, init="he", seed=3)])
def test_network_panel_looks_as_one_line_per_weight_did(settings):
    """The grouped lines against one LineCollection line per weight (the drawing before the groups).

    Drawn one per weight in the groups' z order and widths, only antialiased pixels where lines of one
    group cross differ: Agg rasterises a group as one path and adds the coverages a, b of two crossing
    lines (a + b, at most 1) where lines drawn one by one blend (a + b - ab): ab <= 1/4, 64/255 of a
    colour's contrast with white. Measured on these networks: at most 52/255, mean 0.001 to 0.43/255;
    a line dropped, or drawn in the other colour, style or width, differs by more (up to 200/255).
    Against the old drawing (one line per weight in the order of the layers), thicker lines now lie over
    thinner ones where they cross, and dashes (3 and 2 times the width) drift by up to 5 x 0.044 px a
    period along a thin line: on the 3-wide network 8.6 % of the panel's pixels differ, by 1.1/255 on
    average (measured). On dense networks the new z order changes more (16 wide, 6 deep: half of the
    pixels, 13/255 on average), on purpose: the large weights are no longer hidden under small ones.
    """
    s = ExplorerModel(resolution=8, **settings).stats()
    drawn = network_panel(s)
    grouped = np.abs(drawn - network_panel(s, "grouped"))
    assert grouped.max() <= 64 and grouped.mean() <= 0.6, (grouped.max(), grouped.mean())
    if settings["width"] == 3:
        old = np.abs(drawn - network_panel(s, "old"))
        assert (old.max(axis=-1) > 0).mean() <= 0.12 and old.mean() <= 1.5, ((old.max(axis=-1) > 0).mean(), old.mean())


def test_loss_panel_has_the_test_curve_and_the_surface_the_test_points():
    m = ExplorerModel(resolution=10)
    m.train_epochs(3)
    s = m.stats()
    ef = draw_explorer(s)
    np.testing.assert_array_equal(ef.artists["test_loss"].get_ydata(), m.test_losses)
    np.testing.assert_array_equal(ef.artists["loss"].get_ydata(), m.losses)
    for k, (points, test_points) in enumerate(zip(ef.artists["points"], ef.artists["test_points"])):
        # one scatter per class, in the class's colour: every point once, in its class's
        np.testing.assert_array_equal(points.get_offsets(), m.X[m.y == k])
        np.testing.assert_array_equal(test_points.get_offsets(), m.X_test[m.y_test == k])
        assert points.get_visible() == test_points.get_visible() == (k < m.k)
        assert to_rgb(points.get_facecolor()[0]) == to_rgb(test_points.get_facecolor()[0]) == to_rgb(CLASS_COLORS[k])
        triangle, circle = test_points.get_paths()[0].vertices, points.get_paths()[0].vertices
        assert len(triangle) != len(circle)                                  # another marker shape


def test_a_warmed_figure_draws_no_label_after_its_first_render(monkeypatch):
    """The live widget's figure (warm_texts=True) draws every layer number, tick label and note word that
    depth, width, activation and layer changes show at its first render: afterwards none is drawn again."""
    import matplotlib.text

    ef = explorer_figure("all", title=False, warm_texts=True)
    m = ExplorerModel(resolution=16)
    update_explorer(ef, m.stats())
    render_rgba(ef)
    drawn = []
    real = matplotlib.text.Text.draw
    monkeypatch.setattr(matplotlib.text.Text, "draw", lambda self, r: (drawn.append(self.get_text()), real(self, r)))
    for change, layer in [(dict(depth=6), 5), (dict(depth=8), 8), (dict(depth=1), 1), (dict(width=16), 1),
                          (dict(width=2, depth=4), 3), (dict(activation="sigmoid"), 2), (dict(activation="relu"), 1),
                          (dict(depth=10, width=8, activation="tanh"), 10)]:
        m.update(**change)
        update_explorer(ef, m.stats(layer=layer))
        render_rgba(ef)
        assert [t for t in drawn if t] == [], change
    assert explorer_figure("all", warm_texts=False).text_choices == {}     # static pictures skip the warming
