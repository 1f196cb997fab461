"""The live explorer, driven from code: every control redraws the figure with numbers that match
a computation made here with layerwise.forward/backward (test_explorer_model.reference_numbers)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import layerwise as lw  # noqa: E402
from layerwise.explorer_model import CONTROLS, FLOOR, GRID_TOLERANCE, float32_error_bound  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

from layerwise.plots import CLASS_COLORS  # noqa: E402
from layerwise.plots.explorer import SURFACE_ALPHA  # noqa: E402
from layerwise.widgets import NetworkExplorer  # noqa: E402
from test_explorer_model import fractions, reference_network, reference_numbers  # noqa: E402
from test_plots_explorer import ridges  # noqa: E402

pytestmark = pytest.mark.filterwarnings("error")

# A value to set for each control, different from the default.
NEW_VALUES = {"dataset": "circles", "noise": 0.25, "width": 5, "depth": 4, "activation": "relu", "init": "normal",
              "scale": 0.1, "seed": 7}


@pytest.fixture(scope="module")
def explorer():
    return NetworkExplorer()


def drawn(e):
    """What the figure shows now: surface pixels, dW line, visible activation stairs, image bytes."""
    a = e._ef.artists
    stairs = ridges(a["H"])
    return a["surface"].get_array().copy(), a["dW"].get_xdata().copy(), stairs, e.image.value


def check_against_reference(e):
    settings = e.settings()
    X, y, params = reference_network(**settings)
    ref = reference_numbers(params, X, y, settings["activation"])
    surface, dW, stairs, _ = drawn(e)
    np.testing.assert_allclose(dW, np.maximum(ref["dW_norms"], FLOOR), rtol=1e-9)
    assert len(stairs) == settings["depth"]
    for (values, edges, base), H in zip(stairs, ref["H"]):
        expected = fractions(H, edges)
        np.testing.assert_allclose((values - base) / (values - base).max(), expected / expected.max())
    _, _, G = lw.plots.input_grid(np.vstack([X, e.model.X_test]), e.model.resolution)
    P = lw.softmax(lw.forward_inference(params, G, settings["activation"]))
    r = e.model.resolution
    # Each pixel mixes the class colours by probability and lightens towards white by SURFACE_ALPHA.
    C = np.array([to_rgb(c) for c in CLASS_COLORS[:P.shape[1]]])
    np.testing.assert_allclose(surface, (1 - SURFACE_ALPHA * (1 - P @ C)).reshape(r, r, 3), atol=1e-12)


def test_explorer_is_a_widget_with_the_required_controls(explorer):
    import ipywidgets

    assert isinstance(explorer, ipywidgets.DOMWidget)
    assert set(CONTROLS) | {"epochs"} == set(explorer.controls)       # the website's names, and N epochs
    for name, (label, bounds) in CONTROLS.items():
        control = explorer.controls[name]
        assert control.description == label
        if bounds and name not in ("lr", "scale", "layer"):
            assert (control.min, control.max) == bounds, name
    assert (10 ** explorer.controls["lr"].min, 10 ** explorer.controls["lr"].max) == (1e-3, 10.0)
    assert all(isinstance(c, ipywidgets.ValueWidget) for c in explorer.controls.values())
    assert isinstance(explorer.figure, matplotlib.figure.Figure)
    assert "running kernel" in explorer.note.value                # said visibly, also on a static page
    check_against_reference(explorer)


@pytest.mark.parametrize("name", list(NEW_VALUES))
def test_setting_a_control_redraws_with_the_reference_numbers(explorer, name):
    before = drawn(explorer)
    explorer.controls[name].value = NEW_VALUES[name]
    after = drawn(explorer)
    assert after[3] != before[3]                                   # a new picture was sent
    assert not (np.array_equal(after[0], before[0]) and np.array_equal(after[1], before[1]))
    check_against_reference(explorer)


def test_learning_rate_and_training_buttons(explorer):
    e = explorer
    e.controls["lr"].value = 0.5
    assert "lr 0.5" in e.status.value
    settings = e.settings()
    X, y, params = reference_network(**settings)
    O, caches = lw.forward(params, X, settings["activation"])
    _, dO = lw.softmax_cross_entropy(O, y)
    lw.sgd_step(params, lw.backward(dO, caches), 0.5)
    e.buttons["step"].click()
    assert e.model.epochs == [0, 1]
    np.testing.assert_allclose(e.stats.dW_norms, reference_numbers(params, X, y, settings["activation"])["dW_norms"])
    line = e._ef.artists["loss"]
    assert list(line.get_xdata()) == [0, 1]
    assert line.get_ydata()[1] == pytest.approx(reference_numbers(params, X, y, settings["activation"])["loss"])
    e.controls["epochs"].value = 6
    e.buttons["train"].click()
    assert e.progress.value == e.progress.max == 6 and e.model.epochs[-1] == 7
    e.buttons["reset"].click()
    assert e.model.epochs == [0]
    check_against_reference(e)


def test_scale_matters_only_for_normal_init():
    e = NetworkExplorer(init="he")
    assert e.controls["scale"].disabled
    e.buttons["step"].click()
    e.controls["scale"].value = 0.01                              # no effect on He weights: no reset
    assert e.model.epochs == [0, 1]
    e.controls["init"].value = "normal"
    assert not e.controls["scale"].disabled


def test_layer_control_moves_the_neuron_maps():
    e = NetworkExplorer(width=3, depth=3)
    e.controls["layer"].value = 3
    X, y, X_test, _, params = reference_network(width=3, depth=3, test=True)
    _, _, G = lw.plots.input_grid(np.vstack([X, X_test]), e.model.resolution)
    H = G
    for W, b in params[:3]:
        H = np.tanh(H @ W + b)
    r = e.model.resolution
    maps = [im for im in e._ef.artists["neurons"] if im.get_visible()]
    assert len(maps) == 3
    atol = float32_error_bound(params, G, "tanh")              # the maps are float32 here (tests/test_explorer_model.py)
    assert atol <= GRID_TOLERANCE
    for j, im in enumerate(maps):
        np.testing.assert_allclose(im.get_array(), H[:, j].reshape(r, r), rtol=0, atol=atol)
    e.controls["depth"].value = 2                                 # the layer slider follows the depth
    assert e.controls["layer"].max == 2 and e.stats.layer == 2


def test_extreme_settings_never_crash():
    e = NetworkExplorer(depth=10, width=1)
    e.buttons["train"].click()
    assert e.stats.dW_norms.shape == (11,)
    e.controls["width"].value = 8
    e.controls["activation"].value = "sigmoid"                     # depth 10: gradients ~0 at the bottom
    assert e.stats.dW_norms[0] < 1e-4 * e.stats.dW_norms[-1]
    assert np.all(e._ef.artists["dW"].get_xdata() >= FLOOR)


def test_large_learning_rate_is_named_and_reset_recovers():
    e = NetworkExplorer(lr=10.0)
    e.buttons["train"].click()
    assert "too large" in e.status.value and e._ef.artists["warning"].get_visible()
    e.buttons["reset"].click()
    assert "too large" not in e.status.value and not e._ef.artists["warning"].get_visible()
    e.controls["lr"].value = 0.1
    e.buttons["train"].click()
    assert e.model.losses[-1] < e.model.losses[0]


def test_views_and_unknown_view():
    for view in ("activations", "gradients", "depth"):
        assert NetworkExplorer(view).image.value
    with pytest.raises(ValueError, match="known views"):
        NetworkExplorer("weights")


def test_show_explorer_displays_the_widget_and_the_website_explorer(monkeypatch):
    import IPython.display

    from layerwise import widgets

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    assert widgets.show_explorer("gradients", depth=6, activation="sigmoid") is None   # nothing shown twice
    (live,) = shown                                     # the widget; its text/html is the website's
    assert isinstance(live, NetworkExplorer) and set(live._ef.axes) == {"surface", "dZ", "dW"}
    assert live.settings()["depth"] == 6 and live.settings()["activation"] == "sigmoid" and live.view == "gradients"


def test_display_offers_the_widget_and_the_live_website_explorer():
    """JupyterLab renders the widget view; the website (myst-nb with _config.yml's priorities) renders
    text/html: the JavaScript explorer at the widget's view and settings, with no Python behind it."""
    from pathlib import Path

    import yaml
    from myst_nb.core.render import get_mime_priority

    e = NetworkExplorer("gradients", depth=6, activation="sigmoid")
    bundle = e._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    page = bundle["text/html"]
    assert 'class="lw-live-explorer"' in page and 'data-view="gradients"' in page
    assert '&quot;depth&quot;:6' in page and '&quot;activation&quot;:&quot;sigmoid&quot;' in page
    e.controls["depth"].value = 3                                 # the website shows the current settings
    assert '&quot;depth&quot;:3' in e._repr_mimebundle_()["text/html"]

    config = yaml.safe_load((Path(__file__).resolve().parent.parent / "_config.yml").read_text())["sphinx"]["config"]
    overrides = [tuple(o) for o in config["nb_mime_priority_overrides"]]
    chosen = next(m for m in get_mime_priority("html", overrides) if m in bundle)
    assert chosen == "text/html", f"the website would render {chosen}"
