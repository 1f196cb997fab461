"""The kernel-free explorer: a frame for every grid point, one self-contained HTML snippet, no URLs."""

import matplotlib

matplotlib.use("Agg")

import base64  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from layerwise.explorer_model import ExplorerModel  # noqa: E402
from layerwise.explorer_static import GRIDS, explorer_html, frame_key, precompute_frames  # noqa: E402

pytestmark = pytest.mark.filterwarnings("error")

SMALL = {"depth": [1, 3], "width": [2, 4], "activation": ["tanh", "relu"]}


@pytest.fixture(scope="module")
def frames():
    return precompute_frames("all", grid=SMALL, epochs=2, n=60)


def test_a_frame_for_every_grid_point(frames):
    expected = [frame_key(dict(zip(SMALL, v))) for v in itertools.product(*SMALL.values())]
    assert frames.keys == expected and len(frames.pngs) == len(expected) == 8
    for png in frames.pngs:
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(set(frames.pngs)) == len(frames.pngs)              # every setting looks different
    assert frames.keys[frames.default] == "depth=3|width=4|activation=tanh"


def test_captions_report_the_trained_network(frames):
    i = frames.keys.index("depth=1|width=2|activation=relu")
    m = ExplorerModel(n=60, depth=1, width=2, activation="relu", resolution=60)
    m.train_epochs(2)
    assert f"loss {m.losses[-1]:.3f}" in frames.captions[i]


def test_html_is_self_contained_with_labelled_controls(frames):
    text = explorer_html(frames)
    assert "http" not in text.lower()                             # no CDN, no external script or image
    assert "<script src" not in text and "<link" not in text
    root = re.search(r'<div class="lw-static-explorer" id="([^"]+)" data-view="all"', text)
    assert root
    uid = root.group(1)
    for axis in SMALL:
        assert f'<label for="{uid}-{axis}">' in text and f'id="{uid}-{axis}"' in text
        assert f'data-axis="{axis}"' in text
    assert 'type="range"' in text and "<select" in text          # numeric axes slide, names are chosen
    payload = json.loads(re.search(r'<script type="application/json" class="lw-frames">(.*?)</script>',
                                   text, re.S).group(1))
    assert payload["keys"] == frames.keys and payload["axes"] == list(SMALL)
    assert [base64.b64decode(f) for f in payload["frames"]] == frames.pngs
    assert 'class="lw-frame" src="data:image/png;base64,' in text


def test_ids_are_unique_on_a_page(frames):
    ids = {re.search(r'id="(lwx-[^"]+)"', explorer_html(frames)).group(1) for _ in range(3)}
    assert len(ids) == 3


def test_every_view_has_a_grid_of_sensible_size():
    for view, (grid, epochs, purpose) in GRIDS.items():
        size = int(np.prod([len(v) for v in grid.values()]))
        assert 8 <= size <= 72 and epochs >= 0 and purpose


def test_controls_swap_the_picture_in_a_browser(frames):
    """The snippet alone in Chromium (no server, no network): every control changes the picture."""
    from site_server import CHROMIUM_ARGS, require_chromium

    path = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.set_content(f"<html><body>{explorer_html(frames)}{explorer_html(frames)}</body></html>")
            root = page.locator("div.lw-static-explorer").nth(1)           # the second copy works too
            frame = root.locator("img.lw-frame")
            seen = [frame.get_attribute("data-key")]
            root.locator('.lw-control[data-axis="depth"]').focus()
            page.keyboard.press("ArrowLeft")
            seen.append(frame.get_attribute("data-key"))
            root.locator('.lw-control[data-axis="width"]').fill("0")
            seen.append(frame.get_attribute("data-key"))
            root.locator('.lw-control[data-axis="activation"]').select_option("relu")
            seen.append(frame.get_attribute("data-key"))
            assert seen == ["depth=3|width=4|activation=tanh", "depth=1|width=4|activation=tanh",
                            "depth=1|width=2|activation=tanh", "depth=1|width=2|activation=relu"]
            assert root.locator('output.lw-value[data-axis="width"]').text_content() == "2"
            src = frame.get_attribute("src")
            assert base64.b64decode(src.split(",", 1)[1]) == frames.pngs[frames.keys.index(seen[-1])]
            assert frame.evaluate("img => img.complete && img.naturalWidth > 0")
            first = page.locator("div.lw-static-explorer").nth(0).locator("img.lw-frame")
            assert first.get_attribute("data-key") == seen[0]                # copies are independent
            assert not errors
        finally:
            browser.close()


def test_frames_show_the_numbers_of_the_live_explorer_at_the_same_settings():
    """A frame trains the network the live explorer (and the explorer chapter's figure) trains for the
    same settings: same data (ExplorerConfig's n), same seed, so the same loss and accuracy."""
    from layerwise.plots.explorer import summary

    one = precompute_frames("all", grid={"depth": [3], "width": [8], "activation": ["tanh"]})
    model = ExplorerModel()
    model.train_epochs(GRIDS["all"][1])
    assert one.captions == [summary(model.stats())]


def test_frames_record_their_text_size():
    """Each frame carries its smallest text (layerwise.plots.legibility): 9 pt at 72 dpi, 9 CSS px."""
    import io

    from PIL import Image

    small = precompute_frames("gradients", grid={"depth": [1], "activation": ["tanh"], "init": ["he"]})
    with Image.open(io.BytesIO(small.pngs[0])) as im:
        record = json.loads(im.text["layerwise:text"])
    assert record["min_pt"] * record["dpi"] / 72 >= 9
