"""The network explorer without a kernel: precomputed pictures switched by plain JavaScript
(book: chapters/explorer and the chapters that call `layerwise.widgets.show_explorer`).

At build time `precompute_frames` trains one network per point of a grid of settings (fixed
seed), draws each with `layerwise.plots.explorer` and keeps it as a palette PNG. `explorer_html`
writes ONE self-contained HTML snippet with the frames as data URIs and an inline script: no
external script, no CDN, works offline, and its ids are unique so it can appear several times.
Measured weight of the snippet (72 dpi, where the explorer's 9 pt text is 9 CSS px): "all" 1.40 MB
(72 frames), "activations" 0.80 MB and "gradients" 0.71 MB (54 each), "depth" 0.38 MB (32);
building "all" takes about 30 s on the book's 2-core machine.

Selectors (stable, for browser tests), with ROOT = ``div.lw-static-explorer``:
- ROOT has a unique ``id`` (``lwx-<view>-<hash>-<n>``) and ``data-view`` (the view's name);
- one control per grid axis: ``ROOT .lw-control[data-axis="<axis>"]``, each with a ``<label for=...>``;
  numeric axes are ``<input type="range">`` whose value is the INDEX into ``data-values``
  (comma-separated), categorical axes are ``<select>`` whose option values are the settings;
- ``ROOT output.lw-value[data-axis="<axis>"]`` shows a range input's setting;
- ``ROOT img.lw-frame``: the picture; its ``data-key`` (e.g. ``depth=3|width=8|activation=tanh``)
  and ``src`` change when a control changes; ``ROOT .lw-caption`` is the frame's summary line.
"""

import base64
import hashlib
import html
import io
import itertools
import json
from dataclasses import dataclass, replace

from .explorer_model import ExplorerConfig, ExplorerModel
from .plots.explorer import explorer_figure, render_rgba, summary, update_explorer
from .plots.legibility import pnginfo

# The grid each view offers, the epochs each network is trained for, and what the view is for.
GRIDS = {
    "all": ({"depth": [1, 2, 3, 4, 5, 6], "width": [2, 4, 8, 16], "activation": ["sigmoid", "tanh", "relu"]},
            30, "every panel: the surface, activations, gradients, loss and single neurons"),
    "activations": ({"depth": [1, 2, 4, 6, 8, 10], "activation": ["sigmoid", "tanh", "relu"],
                     "init": ["normal", "xavier", "he"]},
                    0, "forward propagation at initialisation: histograms of every layer's H"),
    "gradients": ({"depth": [1, 2, 4, 6, 8, 10], "activation": ["sigmoid", "tanh", "relu"],
                   "init": ["normal", "xavier", "he"]},
                  0, "backpropagation at initialisation: dZ histograms and the norm of dW per layer"),
    "depth": ({"depth": [1, 2, 4, 6], "width": [2, 4, 8, 16], "activation": ["tanh", "relu"]},
              100, "depth against width on the spirals, after 100 epochs of training"),
}
# Settings shared by all frames of a view (the rest are ExplorerConfig defaults).
BASE = {"all": {}, "activations": {"width": 8}, "gradients": {"width": 8},
        "depth": {"dataset": "spirals", "lr": 0.1}}
LABELS = {"depth": "hidden layers (depth)", "width": "neurons per layer (width)", "activation": "activation σ",
          "init": "initialisation", "dataset": "dataset", "lr": "learning rate", "seed": "seed"}
_ids = itertools.count(1)


@dataclass
class Frames:
    """Precomputed pictures: one PNG per point of `grid` (axes in order, last axis fastest)."""
    view: str
    grid: dict
    keys: list              # "depth=1|width=2|activation=sigmoid", ... in grid order
    pngs: list              # PNG bytes, aligned with keys
    captions: list          # summary line of each frame
    default: int            # index of the frame shown first


def frame_key(point):
    """The key of a grid point: {"depth": 3, "width": 8} -> "depth=3|width=8"."""
    return "|".join(f"{axis}={value}" for axis, value in point.items())


def _palette_png(pixels, colors=64, pnginfo=None):
    from PIL import Image

    image = Image.fromarray(pixels[..., :3].copy()).quantize(colors, method=Image.Quantize.FASTOCTREE)
    buf = io.BytesIO()
    image.save(buf, format="png", optimize=True, pnginfo=pnginfo)
    return buf.getvalue()


def precompute_frames(view="all", grid=None, epochs=None, base=None, dpi=72, colors=64, n=None):
    """Train and draw one network per grid point; returns Frames.

    grid: {axis: [values]} over ExplorerConfig fields (default GRIDS[view]); epochs of minibatch
    SGD per network (default from GRIDS); base: other ExplorerConfig settings;
    dpi: 72, where the explorer's 9 pt text is 9 CSS px (the pictures are shown at their own size).
    n: points per dataset, by default the explorer's own (ExplorerConfig.n), so that a frame shows
    the numbers the live explorer and the book's figures show at the same settings.
    One figure is made and its artists moved for every frame (the live widget's fast path).
    """
    default_grid, default_epochs, _ = GRIDS[view]
    grid = {axis: list(values) for axis, values in (grid or default_grid).items()}
    epochs = default_epochs if epochs is None else epochs
    config = replace(ExplorerConfig() if n is None else ExplorerConfig(n=n), **(BASE[view] if base is None else base))
    ef = explorer_figure(view, dpi=dpi, title=False)
    keys, pngs, captions = [], [], []
    text = None                         # the frames' text sizes, recorded once (every frame has the same texts)
    for values in itertools.product(*grid.values()):
        point = dict(zip(grid, values))
        model = ExplorerModel(replace(config, **point), resolution=60)
        if epochs:
            model.train_epochs(epochs)
        s = model.stats()
        update_explorer(ef, s)
        keys.append(frame_key(point))
        text = text or pnginfo(ef.figure)
        pngs.append(_palette_png(render_rgba(ef), colors, text))
        captions.append(summary(s) + (f" — {s.message}" if s.message else ""))
    start = {axis: getattr(config, axis) if getattr(config, axis) in vals else vals[len(vals) // 2]
             for axis, vals in grid.items()}
    return Frames(view, grid, keys, pngs, captions, keys.index(frame_key(start)))


def _control(uid, axis, values, chosen):
    cid = f"{uid}-{axis}"
    label = f'<label for="{cid}">{html.escape(LABELS.get(axis, axis))}</label>'
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        i = values.index(chosen)
        joined = ",".join(str(v) for v in values)
        return (f'{label} <input type="range" id="{cid}" class="lw-control" data-axis="{axis}" '
                f'data-values="{joined}" min="0" max="{len(values) - 1}" step="1" value="{i}" '
                f'aria-valuetext="{chosen}"> <output class="lw-value" data-axis="{axis}" for="{cid}">{chosen}</output>')
    options = "".join(f'<option value="{html.escape(str(v))}"{" selected" if v == chosen else ""}>'
                      f'{html.escape(str(v))}</option>' for v in values)
    return f'{label} <select id="{cid}" class="lw-control" data-axis="{axis}">{options}</select>'


_SCRIPT = """(function () {
  var root = document.getElementById(%(uid)s);
  if (!root) { return; }
  var data = JSON.parse(root.querySelector("script.lw-frames").textContent);
  var img = root.querySelector("img.lw-frame"), caption = root.querySelector(".lw-caption");
  function setting(axis) {
    var c = root.querySelector('.lw-control[data-axis="' + axis + '"]');
    if (c.type === "range") {
      var v = c.getAttribute("data-values").split(",")[+c.value];
      c.setAttribute("aria-valuetext", v);
      root.querySelector('output.lw-value[data-axis="' + axis + '"]').textContent = v;
      return v;
    }
    return c.value;
  }
  function show() {
    var key = data.axes.map(function (a) { return a + "=" + setting(a); }).join("|");
    var i = data.keys.indexOf(key);
    if (i < 0) { return; }
    img.src = "data:image/png;base64," + data.frames[i];
    img.setAttribute("data-key", key);
    img.alt = "Network explorer picture: " + data.captions[i];
    caption.textContent = data.captions[i];
  }
  root.querySelectorAll(".lw-control").forEach(function (c) {
    c.addEventListener("input", show);
    c.addEventListener("change", show);
  });
})();"""


def explorer_html(frames):
    """One self-contained HTML snippet (str) with the frames embedded and inline JS controls."""
    digest = hashlib.sha1(b"".join(frames.pngs)).hexdigest()[:8]
    uid = f"lwx-{frames.view}-{digest}-{next(_ids)}"
    d = frames.default
    chosen = dict(part.split("=", 1) for part in frames.keys[d].split("|"))
    controls = " ".join(
        f'<span class="lw-static-control">{_control(uid, axis, values, _typed(values, chosen[axis]))}</span>'
        for axis, values in frames.grid.items())
    b64 = [base64.b64encode(p).decode("ascii") for p in frames.pngs]
    payload = json.dumps({"axes": list(frames.grid), "keys": frames.keys, "captions": frames.captions,
                          "frames": b64}, separators=(",", ":")).replace("</", "<\\/")
    size = len(frames.pngs)
    return (
        f'<div class="lw-static-explorer" id="{uid}" data-view="{frames.view}" '
        f'style="border:1px solid #8884;border-radius:6px;padding:8px;margin:8px 0;max-width:100%">'
        f'<p class="lw-static-note" style="margin:0 0 6px 0;font-size:90%"><b>Kernel-free explorer</b> '
        f'({html.escape(GRIDS[frames.view][2])}): {size} pictures precomputed when the book was built, '
        f'switched in your browser. No Python runs here.</p>'
        f'<div class="lw-static-controls" style="display:flex;flex-wrap:wrap;gap:4px 18px;margin-bottom:6px;'
        f'font-size:90%">{controls}</div>'
        f'<img class="lw-frame" src="data:image/png;base64,{b64[d]}" data-key="{html.escape(frames.keys[d])}" '
        f'alt="Network explorer picture: {html.escape(frames.captions[d])}" style="max-width:100%;height:auto">'
        f'<p class="lw-caption" aria-live="polite" style="margin:4px 0 0 0;font-size:85%">'
        f'{html.escape(frames.captions[d])}</p>'
        f'<script type="application/json" class="lw-frames">{payload}</script>'
        f'<script>{_SCRIPT % {"uid": json.dumps(uid)}}</script></div>'
    )


def _typed(values, text):
    return next(v for v in values if str(v) == text)


def static_explorer(view="all", **kwargs):
    """The kernel-free explorer of a view as an IPython HTML object (kwargs go to precompute_frames)."""
    from IPython.display import HTML

    return HTML(explorer_html(precompute_frames(view, **kwargs)))
