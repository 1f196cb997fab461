"""The live explorer's HTML: the hooks the JavaScript and the tests rely on, labels, ranges, settings, picture."""

import base64
import dataclasses
import json

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from bs4 import BeautifulSoup  # noqa: E402

from layerwise.explorer_model import ACTIVATION_NAMES, CONTROLS, DATASETS, INIT_NAMES, ExplorerConfig  # noqa: E402
from layerwise.explorer_web import PANEL_ORDER, live_explorer, live_explorer_html  # noqa: E402
from layerwise.plots.explorer import VIEWS  # noqa: E402

pytestmark = pytest.mark.filterwarnings("error")


def root_of(html):
    roots = BeautifulSoup(html, "html.parser").select("div.lw-live-explorer")
    assert len(roots) == 1
    return roots[0]


@pytest.fixture(scope="module")
def snippet():
    return live_explorer_html("all", depth=5, activation="relu", init="he", lr=0.3)


def test_root_carries_the_view_panels_and_settings(snippet):
    root = root_of(snippet)
    assert root["data-view"] == "all" and root["data-resolution"] == "100"
    expected = dataclasses.asdict(ExplorerConfig(depth=5, activation="relu", init="he", lr=0.3))
    assert json.loads(root["data-settings"]) == expected
    panels = root["data-panels"].split(",")
    assert panels == [p for p in PANEL_ORDER if p in VIEWS["all"][0]] and set(panels) == set(VIEWS["all"][0])
    assert [f["data-panel"] for f in root.select("figure.lw-panel")] == panels
    for figure in root.select("figure.lw-panel"):
        canvas = figure.select_one("canvas")
        assert canvas["role"] == "img" and canvas["aria-label"]
        assert figure.select_one("figcaption").get_text(strip=True) and figure.select_one(".lw-legend").get_text()


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_every_view_has_its_panels_and_every_control(view):
    root = root_of(live_explorer_html(view))
    assert set(root["data-panels"].split(",")) == set(VIEWS[view][0])
    has_neurons = "neurons" in VIEWS[view][0]
    assert {c["data-control"] for c in root.select("[data-control]")} == set(CONTROLS) - ({"layer"} if not has_neurons else set())


def test_controls_are_labelled_with_the_ranges_of_the_issue(snippet):
    root = root_of(snippet)
    ids = [e["id"] for e in root.select("[id]")]
    assert len(ids) == len(set(ids)), "ids must be unique"
    config = ExplorerConfig(depth=5, activation="relu", init="he", lr=0.3)
    for name, (label, bounds) in CONTROLS.items():
        (control,) = root.select(f'[data-control="{name}"]')
        assert root.select_one(f'label[for="{control["id"]}"]').get_text() == label
        if bounds is None:
            options = [o["value"] for o in control.select("option")]
            assert set(options) == set({"dataset": DATASETS, "activation": ACTIVATION_NAMES, "init": INIT_NAMES}[name])
            assert control.select_one("option[selected]")["value"] == getattr(config, name)
            continue
        assert control["type"] == "number"
        high = config.depth if name == "layer" else bounds[1]
        assert (float(control["min"]), float(control["max"])) == (bounds[0], high), name
        assert float(control["value"]) == getattr(config, name, 1)
        assert root.select_one(f'.lw-note[data-for="{name}"]') is not None
        slider = root.select_one(f'[data-slider-for="{name}"]')
        if slider is not None:
            values = [float(v) for v in slider["data-values"].split(",")]
            assert values[0] == bounds[0] and values[-1] == high and slider["aria-label"]
            assert int(slider["max"]) == len(values) - 1
    lr_values = [float(v) for v in root.select_one('[data-slider-for="lr"]')["data-values"].split(",")]
    assert {0.001, 0.1, 3.0, 10.0} <= set(lr_values)                  # the chapter's learning rates are on it


def test_buttons_readouts_and_status(snippet):
    root = root_of(snippet)
    assert [b["data-action"] for b in root.select("button[data-action]")] == ["play", "step", "reset"]
    assert root.select_one('[data-action="play"]')["aria-pressed"] == "false"
    assert root.select_one(".lw-epoch").get_text() == "0"
    assert {o["data-split"] for o in root.select(".lw-loss")} == {"train", "test"}
    assert root.select_one(".lw-status")["role"] == "status"
    assert root.select_one(".lw-live").has_attr("hidden")             # shown by the script only


def test_the_picture_for_readers_without_javascript(snippet):
    figure = root_of(snippet).select_one("figure.lw-fallback")
    img = figure.select_one("img")
    png = base64.b64decode(img["src"].removeprefix("data:image/png;base64,"))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) < 120_000
    assert "5 hidden layers" in img["alt"] and "relu" in img["alt"]
    assert "JavaScript" in figure.select_one("figcaption").get_text()


def test_ids_differ_between_snippets_and_bad_settings_are_refused():
    a, b = (root_of(live_explorer_html("depth"))["id"] for _ in range(2))
    assert a != b
    with pytest.raises(ValueError, match="known views"):
        live_explorer_html("weights")
    with pytest.raises(ValueError, match="width = 40"):
        live_explorer_html("all", width=40)
    with pytest.raises(ValueError, match="known datasets"):
        live_explorer_html("all", dataset="blobs")
    assert 'class="lw-live-explorer"' in live_explorer("gradients").data
