"""The network explorer on the website: the HTML of the live explorer that trains in the browser
(book: chapters/explorer and the chapters that call `layerwise.widgets.show_explorer`).

`live_explorer_html(view, **settings)` returns one HTML snippet: the controls and the panels of a view,
its starting settings (ExplorerConfig fields) as JSON, and a small picture of that starting state drawn
by `layerwise.plots.explorer`, shown to readers without JavaScript (and in print). The JavaScript in
assets/static/lw-explorer/ (served at _static/lw-explorer/, loaded only by pages that contain an
explorer: tools/site_tweaks.py) finds every snippet, hides the picture and runs the explorer: the math
of network.py in explorer_model.js, proved equal to the Python by tests/test_explorer_js.py.

Stable hooks (tests, and anyone scripting the page), with ROOT = ``div.lw-live-explorer``:
- ROOT carries ``id``, ``data-view`` (the view's name), ``data-panels`` (comma-separated panel names),
  ``data-settings`` (JSON of the starting ExplorerConfig) and ``data-resolution`` (grid side);
- one control per setting: ``ROOT [data-control="<name>"]`` for dataset, noise, width, depth,
  activation, init, scale, lr, batch_size, seed and layer (selects, or number inputs whose typed
  values are clamped into their min/max with a note in ``ROOT .lw-note[data-for="<name>"]``); a
  slider ``ROOT [data-slider-for="<name>"]`` moves most numeric settings too;
- buttons ``ROOT [data-action="play"]`` (aria-pressed while training), ``"step"`` (one full-batch
  gradient descent step) and ``"reset"``;
- the epoch counter ``ROOT .lw-epoch``, the losses ``ROOT .lw-loss[data-split="train"]`` and
  ``[data-split="test"]``, the status/message line ``ROOT .lw-status``;
- the panels ``ROOT .lw-panel[data-panel="<name>"] canvas``; ``ROOT figure.lw-fallback`` is the picture.
When the script runs, ROOT gets the class ``lw-running``; ``window.layerwiseJS`` exposes the math.
"""

import base64
import html
import io
import itertools
import json
from dataclasses import asdict, replace

from .explorer_model import ACTIVATION_NAMES, CONTROLS, DATASETS, INIT_NAMES, ExplorerConfig, ExplorerModel
from .plots.explorer import VIEWS, draw_explorer, render_rgba, summary

RESOLUTION = 100                    # side of the browser's grid over the input plane
_ids = itertools.count(1)

OPTIONS = {
    "dataset": {"moons": "two moons", "circles": "circles", "spirals": "spirals", "xor": "XOR"},
    "activation": {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU"},
    "init": {"normal": "normal (std = init scale)", "xavier": "Xavier", "he": "He"},
}
assert set(OPTIONS["dataset"]) == set(DATASETS) and set(OPTIONS["activation"]) == set(ACTIVATION_NAMES)
assert set(OPTIONS["init"]) == set(INIT_NAMES)

# Sliders: the values a slider steps through (a typed value may lie between them).
_NICE = [m * 10.0 ** e for e in range(-3, 1) for m in (1, 2, 3, 5)] + [10.0]   # 0.001, 0.002, ..., 5, 10
SLIDER_VALUES = {
    "noise": [round(0.05 * i, 2) for i in range(11)],
    "width": list(range(1, 17)),
    "depth": list(range(1, 9)),
    "scale": _NICE,
    "lr": _NICE,
    "batch_size": [1, 2, 4, 8, 16, 32, 64, 128, 256],
}
GROUPS = {"data": ("dataset", "noise", "seed"), "network": ("width", "depth", "activation", "init", "scale"),
          "training": ("lr", "batch_size")}

# What each panel shows: title, the canvas's accessible description, and the legend under it.
PANELS = {
    "surface": ("Decision surface, softmax(O)",
                "The input plane coloured by the class probabilities, with the training and test points.",
                "Colour: the class probabilities softmax(O) mixed from the class colours. "
                "● training points, ▲ test points (never trained on)."),
    "loss": ("Loss per epoch", "Training and test loss against the epoch.",
             "Solid: training loss; dashed: test loss. An epoch is one pass over the training points."),
    "network": ("The network: weights W⁽ˡ⁾", "Every neuron and every weight of the network.",
                "Line width ∝ |w|; blue solid: w > 0, red dashed: w < 0. Inputs x₁, x₂ on the left, "
                "the logits O on the right."),
    "activations": ("Forward: histograms of H⁽ˡ⁾", "One histogram of each hidden layer's activations.",
                    "One row per hidden layer, layer 1 at the bottom: where the values of H⁽ˡ⁾ = σ(Z⁽ˡ⁾) lie."),
    "dZ": ("Backward: histograms of log₁₀|dZ⁽ˡ⁾|", "One histogram of each layer's gradient dZ, on a log scale.",
           "One row per layer, layer 1 at the bottom. Left is small: a row that slides left from the top "
           "layer down is a vanishing gradient. |dZ| < 10⁻¹² is counted at 10⁻¹²."),
    "dW": ("Backward: gradient norm ‖dW⁽ˡ⁾‖ per layer", "The size of each layer's weight gradient, log scale.",
           "One dot per layer, layer 1 at the bottom, on a log scale: the step gradient descent gives each "
           "layer. Values below 10⁻¹² are drawn at 10⁻¹²."),
    "neurons": ("Single neurons of one layer", "The output of every neuron of the chosen layer over the input plane.",
                "Each map: one neuron's output H⁽ˡ⁾ⱼ over the input plane, j = 1, 2, … from the left."),
}
# The website's panels of each view: those of layerwise.plots.explorer.VIEWS, in reading order; the
# gradients, which other explorers do not show while training, right after the surface and the loss.
PANEL_ORDER = ("surface", "loss", "dZ", "dW", "activations", "network", "neurons")


def _number_control(uid, name, value, label, highest=None):
    lo, hi = CONTROLS[name][1]
    hi = hi if highest is None else highest
    integer = name in ("width", "depth", "batch_size", "seed", "layer")
    cid = f"{uid}-{name}"
    parts = [f'<label for="{cid}">{html.escape(label)}</label>',
             '<span class="lw-pair">']
    values = SLIDER_VALUES.get(name)
    if name == "layer":
        values = list(range(lo, hi + 1))
    if values:
        index = min(range(len(values)), key=lambda i: abs(values[i] - value))
        parts.append(f'<input type="range" class="lw-slider" data-slider-for="{name}" min="0" '
                     f'max="{len(values) - 1}" step="1" value="{index}" '
                     f'data-values="{",".join(f"{v:g}" for v in values)}" '
                     f'aria-label="{html.escape(label)} (slider)" aria-valuetext="{value:g}">')
    parts.append(f'<input type="number" id="{cid}" data-control="{name}" min="{lo:g}" max="{hi:g}" '
                 f'step="{1 if integer else "any"}" value="{value:g}" '
                 f'inputmode="{"numeric" if integer else "decimal"}"></span>'
                 f'<span class="lw-note" data-for="{name}" aria-live="polite"></span>')
    return f'<div class="lw-control">{"".join(parts)}</div>'


def _select_control(uid, name, value, label):
    cid = f"{uid}-{name}"
    options = "".join(f'<option value="{key}"{" selected" if key == value else ""}>{html.escape(text)}</option>'
                      for key, text in OPTIONS[name].items())
    return (f'<div class="lw-control"><label for="{cid}">{html.escape(label)}</label>'
            f'<select id="{cid}" data-control="{name}">{options}</select></div>')


def _control(uid, name, config):
    label = CONTROLS[name][0]
    if name in OPTIONS:
        return _select_control(uid, name, getattr(config, name), label)
    return _number_control(uid, name, getattr(config, name), label)


def _panel(uid, name, config):
    title, description, legend = PANELS[name]
    extra = _layer_control(uid, config) if name == "neurons" else ""
    return (f'<figure class="lw-panel" data-panel="{name}"><figcaption class="lw-panel-title">{html.escape(title)}'
            f'</figcaption>{extra}<canvas role="img" aria-label="{html.escape(description)}"></canvas>'
            f'<p class="lw-legend">{html.escape(legend)}</p></figure>')


def _layer_control(uid, config):
    """The layer whose neurons are mapped: 1..depth (the JavaScript follows the depth control)."""
    return _number_control(uid, "layer", 1, CONTROLS["layer"][0], highest=config.depth)


def _fallback(view, config):
    """A small palette PNG of the view at its starting settings, as an <img> data URI."""
    from PIL import Image

    stats = ExplorerModel(config, resolution=60).stats()
    ef = draw_explorer(stats, view, dpi=72)
    pixels = render_rgba(ef)
    image = Image.fromarray(pixels[..., :3].copy()).quantize(64, method=Image.Quantize.FASTOCTREE)
    buf = io.BytesIO()
    image.save(buf, format="png", optimize=True)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    text = summary(stats)
    return (f'<figure class="lw-fallback"><img src="data:image/png;base64,{data}" width="{image.width}" '
            f'height="{image.height}" alt="{html.escape("The network explorer at its starting settings: " + text)}">'
            f'<figcaption>The explorer at its starting settings ({html.escape(text)}), drawn when the book was '
            f'built. With JavaScript on, and the book served by a web server (the website, or '
            f'<code>python -m http.server</code> in <code>_build/html</code>), the live explorer replaces this '
            f'picture and trains in your browser.</figcaption></figure>')


def live_explorer_html(view="all", **settings):
    """The live explorer of a view as an HTML snippet (str); settings are ExplorerConfig fields.

    Raises ValueError for an unknown view or setting values the explorer does not accept.
    """
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; known views: {', '.join(VIEWS)}")
    config = replace(ExplorerConfig(), **settings).check()
    for name, (_, bounds) in CONTROLS.items():
        value = getattr(config, name, None)
        if bounds and value is not None and not bounds[0] <= value <= bounds[1]:
            raise ValueError(f"{name} = {value} lies outside the explorer's range {bounds[0]:g}..{bounds[1]:g}")
    uid = f"lwx-{view}-{next(_ids)}"
    panels = [p for p in PANEL_ORDER if p in VIEWS[view][0]]
    groups = "".join(
        f'<fieldset class="lw-group"><legend>{group.capitalize()}</legend>'
        + "".join(_control(uid, name, config) for name in names) + "</fieldset>"
        for group, names in GROUPS.items())
    run = ('<div class="lw-run">'
           '<button type="button" data-action="play" aria-pressed="false">▶ Play</button>'
           '<button type="button" data-action="step" title="one gradient descent step on all training points">'
           'One step</button>'
           '<button type="button" data-action="reset" title="new data and weights from the seed">Reset</button>'
           '<span class="lw-readout">epoch <output class="lw-epoch">0</output></span>'
           '<span class="lw-readout">training loss <output class="lw-loss" data-split="train">–</output></span>'
           '<span class="lw-readout">test loss <output class="lw-loss" data-split="test">–</output></span>'
           '</div>')
    body = "".join(_panel(uid, name, config) for name in panels)
    settings_json = html.escape(json.dumps(asdict(config), separators=(",", ":")))
    return (f'<div class="lw-live-explorer" id="{uid}" data-view="{view}" data-panels="{",".join(panels)}" '
            f'data-settings="{settings_json}" data-resolution="{RESOLUTION}">'
            f'{_fallback(view, config)}'
            f'<div class="lw-live" hidden>'
            f'<p class="lw-intro">Trains in your browser: the math of <code>layerwise</code> in JavaScript, '
            f'checked against the Python on every build. Play trains epoch after epoch of minibatch SGD.</p>'
            f'<div class="lw-controls">{groups}</div>{run}'
            f'<p class="lw-status" role="status" aria-live="polite"></p>'
            f'<div class="lw-panels">{body}</div></div></div>')


def live_explorer(view="all", **settings):
    """The live explorer of a view as an IPython HTML object (for a notebook cell or the website)."""
    from IPython.display import HTML

    return HTML(live_explorer_html(view, **settings))
