"""The live explorer as readers get it: the built pages that show it, in Chromium, used with mouse and keyboard.

Hooks (documented in code/layerwise/explorer_web.py and assets/static/lw-explorer/explorer.js):
ROOT div.lw-live-explorer, controls [data-control=<name>], sliders [data-slider-for=<name>], buttons
[data-action=play|step|reset], .lw-epoch, .lw-loss[data-split=train|test], .lw-status, .lw-note,
panels .lw-panel[data-panel] canvas. Each chapter opens the explorer on the settings its text discusses,
and what the text says the reader will see there is checked here on the JavaScript (its random numbers
are not Python's). Screenshots go to $SITE_SCREENSHOTS (default _build/screenshots). Needs the built
site and Chromium (skips without them, fails under CI=true).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest

from site_server import ROOT, SiteServer, chromium, require_built, require_chromium

SITE = Path(os.environ.get("SITE_HTML", ROOT / "_build" / "html"))
SHOTS = Path(os.environ.get("SITE_SCREENSHOTS", ROOT / "_build" / "screenshots"))
DESKTOP, PHONE = 1280, 390
EXPLORER = "chapters/explorer"
# The pages that show the explorer, its view there and the settings their text discusses.
OPENS_ON = {
    "chapters/forward_propagation": ("activations", {"depth": 8, "width": 16, "activation": "relu", "init": "he"}),
    "chapters/backpropagation": ("gradients", {"depth": 6, "width": 8, "activation": "sigmoid", "init": "xavier"}),
    "chapters/depth": ("depth", {"dataset": "spirals", "depth": 6, "width": 4, "activation": "relu", "init": "he"}),
    EXPLORER: ("all", {"dataset": "moons", "depth": 3, "width": 8, "activation": "tanh", "init": "xavier", "lr": 0.1}),
}
ROOT_SELECTOR = "div.lw-live-explorer"
LIVE = "window.layerwiseJS.explorers[0]"
# MathJax and the ipywidgets manager take most of a page's load time and the explorer uses neither:
# the interaction tests get empty scripts instead (the first test loads the pages whole).
VENDOR = re.compile(r"/_vendor/(mathjax|html-manager|requirejs)/")
STUB = "window.require = Object.assign(() => {}, {config() {}}); window.define = () => {};"   # for the inline require.config


@pytest.fixture(scope="module")
def browser():
    path = require_chromium()
    require_built(SITE / f"{EXPLORER}.html", SITE)
    with chromium(path) as b:
        yield b


@pytest.fixture(scope="module")
def site():
    with SiteServer(SITE) as server:
        yield server


class Visit:
    """A page with its explorer running: the page, its root locator, and the errors seen."""

    def __init__(self, browser, site, name, width=DESKTOP, dark=False, whole=False, height=900):
        self.context = browser.new_context(viewport={"width": width, "height": height},
                                           color_scheme="dark" if dark else "light")
        if not whole:
            self.context.route(VENDOR, lambda route: route.fulfill(body=STUB, content_type="text/javascript"))
        if dark:  # pydata-sphinx-theme reads the reader's choice from localStorage
            self.context.add_init_script("localStorage.setItem('theme', 'dark'); localStorage.setItem('mode', 'dark');")
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.goto(site.url + name + ".html", wait_until="load")
        self.root = self.page.locator(ROOT_SELECTOR).first
        self.page.wait_for_selector(f"{ROOT_SELECTOR}.lw-running", timeout=20_000)

    def control(self, name):
        return self.root.locator(f'[data-control="{name}"]')

    def type_into(self, name, text):
        """Type a value as a reader does and commit it with Enter."""
        control = self.control(name)
        control.fill(str(text))
        control.press("Enter")

    def drawn(self):
        """A fingerprint of every panel's pixels."""
        urls = self.root.locator(".lw-panel canvas").evaluate_all("cs => cs.map(c => c.toDataURL())")
        names = self.root.locator(".lw-panel").evaluate_all("fs => fs.map(f => f.dataset.panel)")
        return {n: hashlib.sha1(u.encode()).hexdigest() for n, u in zip(names, urls)}

    def text(self, selector):
        return self.root.locator(selector).first.inner_text()

    def epoch(self):
        return int(self.text(".lw-epoch"))

    def stats(self, expr):
        return self.page.evaluate(f"() => {{ const s = {LIVE}.stats; return {expr}; }}")

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, site):
    opened = []

    def open_(name=EXPLORER, **kwargs):
        v = Visit(browser, site, name, **kwargs)
        opened.append(v)
        return v

    yield open_
    for v in opened:
        errors = v.errors
        v.close()
        assert not errors, f"console errors: {errors}"


@pytest.mark.parametrize("name", sorted(OPENS_ON))
def test_each_chapter_opens_the_explorer_on_the_settings_its_text_discusses(visit, name):
    view, settings = OPENS_ON[name]
    v = visit(name, whole=True)
    assert v.page.locator(ROOT_SELECTOR).count() == 1
    assert v.root.get_attribute("data-view") == view
    started = json.loads(v.root.get_attribute("data-settings"))
    assert settings.items() <= started.items()
    for key, value in settings.items():
        assert str(v.control(key).input_value()) in (str(value), f"{value:g}" if isinstance(value, float) else str(value))
    assert v.root.locator("figure.lw-fallback").is_hidden() and v.root.locator(".lw-live").is_visible()
    assert v.epoch() == 0 and float(v.text('.lw-loss[data-split="train"]')) > 0
    assert float(v.text('.lw-loss[data-split="test"]')) > 0
    for canvas in v.root.locator(".lw-panel canvas").all():
        assert canvas.evaluate("c => c.width > 0 && c.height > 0 && c.getAttribute('aria-label').length > 0")
    module = v.page.evaluate("() => [...document.scripts].filter(s => s.type === 'module').map(s => s.getAttribute('src'))")
    assert module and all(src.startswith("../_static/lw-explorer/explorer.js") for src in module)   # relative URL


CHANGES = [("dataset", "circles"), ("noise", "0.3"), ("width", "5"), ("depth", "2"), ("activation", "relu"),
           ("init", "normal"), ("scale", "0.05"), ("seed", "7"), ("layer", "2")]


def test_every_control_changes_what_is_drawn(visit):
    v = visit()
    for name, value in CHANGES:
        before = v.drawn()
        control = v.control(name)
        if control.evaluate("c => c.tagName") == "SELECT":
            control.select_option(value)
        else:
            v.type_into(name, value)
        after = v.drawn()
        changed = [p for p in after if after[p] != before[p]]
        assert changed, f"setting {name} = {value} changed no panel"
        assert v.page.evaluate(f"() => String({LIVE}.model.config[{name!r}] ?? {LIVE}.layer)") == value
    # the learning rate and the batch size change training, not the network: seen after a step / an epoch
    v = visit()
    losses = {}
    for lr in ("0.01", "1"):
        v.root.locator('[data-action="reset"]').click()
        v.type_into("lr", lr)
        before = v.drawn()
        v.root.locator('[data-action="step"]').click()
        assert v.epoch() == 1 and v.drawn()["surface"] != before["surface"]
        losses[lr] = v.text('.lw-loss[data-split="train"]')
    assert float(losses["0.01"]) > float(losses["1"])
    v.type_into("batch_size", "4")
    assert v.page.evaluate(f"() => {LIVE}.model.trainEpoch()") == 75                 # 300 points, 4 at a time


def test_play_trains_and_pause_stops(visit):
    v = visit()
    play = v.root.locator('[data-action="play"]')
    loss0 = float(v.text('.lw-loss[data-split="train"]'))
    before = v.drawn()
    play.click()
    assert play.get_attribute("aria-pressed") == "true"
    v.page.wait_for_function(f"() => {LIVE}.model.epochs.length > 12", timeout=30_000)
    play.click()
    assert play.get_attribute("aria-pressed") == "false"
    epoch = v.epoch()
    v.page.wait_for_timeout(300)
    assert v.epoch() == epoch >= 12, "the epoch counter moves while playing and stops on pause"
    assert float(v.text('.lw-loss[data-split="train"]')) < loss0
    assert float(v.text('.lw-loss[data-split="test"]')) > 0
    after = v.drawn()                                             # paused: drawn for the exact weights
    assert {p for p in after if after[p] != before[p]} >= {"surface", "loss", "network", "dZ", "dW"}
    assert v.page.evaluate(f"() => {LIVE}.stats.P === {LIVE}.model.gridValues().P")
    frames = v.page.evaluate(f"() => {LIVE}.frames")
    assert frames and all(f["steps"] == 10 for f in frames)                       # one epoch: 300 / 32 → 10 steps
    assert any(f["workerMs"] for f in frames), "the grid's forward pass runs in the worker while playing"
    v.root.locator('[data-action="step"]').click()
    assert v.epoch() == epoch + 1
    v.root.locator('[data-action="reset"]').click()
    assert v.epoch() == 0 and float(v.text('.lw-loss[data-split="train"]')) == pytest.approx(loss0, abs=1e-3)


def test_typed_values_out_of_range_are_clamped_with_a_note(visit):
    v = visit()
    for name, typed, kept, says in [("width", "40", "16", "above the largest"), ("depth", "0", "1", "below the smallest"),
                                    ("lr", "100", "10", "above the largest"), ("noise", "-1", "0", "below the smallest"),
                                    ("batch_size", "2.5", "3", "whole number"), ("seed", "-4", "0", "below the smallest")]:
        v.type_into(name, typed)
        assert v.control(name).input_value() == kept, name
        note = v.root.locator(f'.lw-note[data-for="{name}"]')
        assert note.is_visible() and says in note.inner_text() and kept in note.inner_text(), note.inner_text()
        assert v.page.evaluate(f"() => {LIVE}.model.config[{name!r}]") == float(kept)
    v.type_into("width", "12")                                    # a valid value clears the note
    assert v.root.locator('.lw-note[data-for="width"]').is_hidden()


def test_a_huge_learning_rate_stops_with_a_message_and_keeps_the_last_finite_state(visit):
    v = visit()
    v.type_into("lr", "10")
    v.root.locator('[data-action="play"]').click()
    v.page.wait_for_function(f"() => {LIVE}.model.diverged", timeout=30_000)
    v.page.wait_for_function("() => !document.querySelector('[data-action=play]').getAttribute('aria-pressed').includes('true')")
    status = v.text(".lw-status")
    assert "the learning rate 10 is too large" in status and "Press reset" in status
    assert v.page.evaluate(f"() => {LIVE}.model.params.every(([W, b]) => W.flat().concat(b).every(Number.isFinite))")
    assert all(v.stats("[s.loss, ...s.dWNorms, ...s.P.slice(0, 50)]"))
    epoch = v.epoch()
    v.root.locator('[data-action="play"]').click()                  # stays stopped until reset
    v.page.wait_for_timeout(200)
    assert v.epoch() == epoch
    v.root.locator('[data-action="reset"]').click()
    assert v.text(".lw-status") == "" and v.epoch() == 0


def test_dead_relus_are_named(visit):
    """The explorer page's "things to try": ReLU at a learning rate of 3 ends with every dW exactly 0."""
    v = visit()
    v.control("activation").select_option("relu")
    v.type_into("lr", "3")
    v.root.locator('[data-action="play"]').click()
    v.page.wait_for_function(f"() => {LIVE}.stats.stuck", timeout=30_000)
    assert "every gradient dW is exactly 0 (all ReLU units are dead)" in v.text(".lw-status")
    assert v.epoch() <= 40 and v.root.locator('[data-action="play"]').get_attribute("aria-pressed") == "false"
    assert v.stats("s.dWNorms") == [0] * 4


def test_keyboard_operation(visit):
    v = visit()
    slider = v.root.locator('[data-slider-for="width"]')
    before = v.drawn()
    slider.focus()
    v.page.keyboard.press("ArrowRight")
    assert v.control("width").input_value() == "9" and slider.get_attribute("aria-valuetext") == "9"
    assert v.drawn()["network"] != before["network"]
    v.control("dataset").focus()
    v.page.keyboard.press("ArrowDown")
    assert v.page.evaluate(f"() => {LIVE}.model.config.dataset") == "circles"
    v.control("lr").focus()                                          # Tab from the last control reaches Play
    for _ in range(3):
        v.page.keyboard.press("Tab")
    focused = v.page.evaluate("() => document.activeElement.dataset.action || document.activeElement.dataset.control")
    assert focused == "play", f"Tab from the learning rate went to {focused}"
    v.page.keyboard.press("Space")
    v.page.wait_for_function(f"() => {LIVE}.model.epochs.length > 3", timeout=20_000)
    v.page.keyboard.press("Space")
    assert v.root.locator('[data-action="play"]').get_attribute("aria-pressed") == "false"
    # every control and button is reachable and labelled
    unlabelled = v.root.locator("input, select, button").evaluate_all("""els => els.filter(e =>
        !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !(e.tagName === 'BUTTON' && e.textContent.trim()))
        .map(e => e.outerHTML.slice(0, 80))""")
    assert not unlabelled


@pytest.mark.parametrize("name", sorted(OPENS_ON))
def test_phone_layout_and_tap_targets(visit, name):
    v = visit(name, width=PHONE)
    overflow = v.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{name}: the page scrolls sideways by {overflow} px at {PHONE} px"
    small = v.root.locator("input, select, button").evaluate_all("""els => els
        .filter(e => { const r = e.getBoundingClientRect(); return r.width < 24 || r.height < 24; })
        .map(e => e.outerHTML.slice(0, 80))""")
    assert not small, f"tap targets under 24 px: {small}"
    wide = v.root.locator(".lw-panel canvas").evaluate_all(
        "cs => cs.filter(c => c.getBoundingClientRect().right > window.innerWidth).length")
    assert wide == 0


@pytest.mark.parametrize("width, dark", [(DESKTOP, False), (PHONE, False), (DESKTOP, True), (PHONE, True)])
def test_screenshots(visit, width, dark):
    """The explorer page's explorer after some training, for people to look at (README: the first)."""
    v = visit(EXPLORER, width=width, dark=dark, height=4000)        # all of it on screen: no sticky header over it
    assert v.page.evaluate("() => document.documentElement.dataset.theme") == ("dark" if dark else "light")
    v.page.evaluate(f"() => {{ {LIVE}.model.trainEpochs(40); {LIVE}.draw(); }}")
    v.page.evaluate("() => document.activeElement && document.activeElement.blur()")
    SHOTS.mkdir(parents=True, exist_ok=True)
    suffix = "" if (width, dark) == (DESKTOP, False) else f"-{width}{'-dark' if dark else ''}"
    v.root.locator(".lw-live").screenshot(path=SHOTS / f"chapters-explorer-explorer{suffix}.png")


# What the chapters say the reader will see in the explorer, checked on the JavaScript itself.

def test_forward_propagation_collapse_with_small_weights(visit):
    v = visit("chapters/forward_propagation")
    assert max(v.stats("s.HCounts.map(c => c[0])")) < 0.9               # he: no layer piles up at 0
    v.control("init").select_option("normal")
    v.type_into("scale", "0.01")
    piled = v.stats("s.HCounts.map(c => c[0])")
    assert all(f > 0.99 for f in piled[1:]), f"rows above layer 1 should pile into the bin at 0: {piled}"
    v.type_into("scale", "1")
    piled = v.stats("s.HCounts.map(c => c[0])")
    assert piled[0] > 0.99 and piled[-1] < 0.9, f"now the lower layers are squeezed against 0: {piled}"


def test_backpropagation_gradients_vanish_then_line_up(visit):
    v = visit("chapters/backpropagation")
    norms = v.stats("s.dWNorms")
    assert norms[0] < 1e-2 * norms[-1] and all(a < b for a, b in zip(norms, norms[1:]))   # runs off to the left
    v.control("activation").select_option("relu")
    v.control("init").select_option("he")
    norms = v.stats("s.dWNorms")
    assert 0.05 < norms[0] / norms[-1] < 20


def test_explorer_page_things_to_try(visit):
    v = visit()
    v.control("activation").select_option("sigmoid")
    v.type_into("depth", "8")
    norms = v.stats("s.dWNorms")
    assert norms[0] < 1e-3 * norms[-1], "vanishing gradients: ‖dW^(1)‖ far below ‖dW^(L)‖"
    v.root.locator('[data-action="reset"]').click()
    v.control("activation").select_option("tanh")
    v.type_into("depth", "3")
    losses = v.page.evaluate(f"() => {{ const m = {LIVE}.model; m.trainEpochs(300); return [m.losses[300], m.testLosses[300]]; }}")
    assert losses[0] < 0.05 and losses[1] < 0.05, f"training longer ends near 0: {losses}"


def test_depth_chapter_trains_the_deep_narrow_network(visit):
    v = visit("chapters/depth")
    v.root.locator('[data-action="play"]').click()
    v.page.wait_for_function(f"() => {LIVE}.model.epochs.length > 5", timeout=30_000)
    v.root.locator('[data-action="play"]').click()
    assert v.epoch() > 4 and v.stats("s.dWNorms.length") == 7 and v.stats("s.k") == 3
