"""The network explorer as a live Jupyter widget (book: chapters/explorer).

`NetworkExplorer()` is an ipywidgets VBox: controls for the data, the architecture and training,
a status line, and the figure of `layerwise.plots.explorer` sent as a PNG (sharp text; or
`image_format="jpeg"`, a few ms faster to encode and smaller) to an `ipywidgets.Image`
(no ipympl needed). Every control change runs the same handler whether a
reader clicks or code sets `explorer.controls[name].value`. The numbers come from
`layerwise.explorer_model`. `show_explorer(view)` displays the live widget together with the
kernel-free version (`layerwise.explorer_static`) that the static website needs.

A displayed explorer offers two representations: the widget view, which JupyterLab renders, and
`text/html` (`_website_html`), a picture of the explorer at its settings with no controls, which
the website shows: `_config.yml` tells myst-nb never to render widget views (a page without a
kernel cannot run them) and the book build saves no widget state (tools/site_tweaks.py).
"""

import base64
import html

import ipywidgets as widgets

from .explorer_model import (ACTIVATION_NAMES, DATASETS, MAX_DEPTH, MAX_WIDTH, ExplorerConfig,
                             ExplorerModel)
from .plots.explorer import VIEWS, explorer_figure, render_image, summary, update_explorer
from .plots.legibility import pnginfo

KERNEL_NOTE = ("<b>Live explorer:</b> its controls run Python, so they work only with a running kernel "
               "(JupyterLab: <code>make lab</code>, or Binder).")
# What each panel shows, for the website picture's text alternative.
PANEL_WORDS = {
    "surface": "the decision surface, coloured by softmax(O), with the data points",
    "loss": "the loss after each epoch",
    "activations": "a histogram of every hidden layer's activations H, layer 1 at the bottom",
    "dZ": "a histogram of log10|dZ| for every layer, layer 1 at the bottom",
    "dW": "the gradient norm of every layer's weights on a log scale",
    "neurons": "one map per neuron of the chosen layer over the input plane",
}
WEBSITE_DPI = 72        # the website picture at its natural size: a 9 pt label is 9 CSS px

# Controls that make a new network when they change; the others keep the network.
_NETWORK_CONTROLS = ("dataset", "width", "depth", "activation", "init", "scale", "seed")


def _controls(c):
    # A fixed label column: with "initial" the longest labels left sliders a track of 15-60 px.
    style = {"description_width": "170px"}
    wide = widgets.Layout(width="440px")
    short = {"description_width": "initial"}     # number boxes: the label takes only what it needs
    return {
        "dataset": widgets.Dropdown(options=[("two moons", "moons"), ("circles", "circles"),
                                             ("spirals", "spirals"), ("XOR", "xor")],
                                    value=c.dataset, description="dataset", style=style, layout=wide),
        "width": widgets.IntSlider(c.width, min=1, max=MAX_WIDTH, description="width (neurons per layer)",
                                   style=style, layout=wide, continuous_update=False),
        "depth": widgets.IntSlider(c.depth, min=1, max=MAX_DEPTH, description="depth (hidden layers)",
                                   style=style, layout=wide, continuous_update=False),
        "activation": widgets.Dropdown(options=[(n if n != "relu" else "ReLU", n) for n in ACTIVATION_NAMES],
                                       value=c.activation, description="activation σ", style=style, layout=wide),
        "init": widgets.Dropdown(options=[("normal (std = init scale)", "normal"), ("Xavier", "xavier"),
                                          ("He", "he")], value=c.init, description="init", style=style,
                                 layout=wide),
        "scale": widgets.FloatLogSlider(c.scale, base=10, min=-3, max=1, step=0.25, description="init scale",
                                        style=style, layout=wide, continuous_update=False),
        "lr": widgets.FloatLogSlider(c.lr, base=10, min=-3, max=1, step=0.25, description="learning rate",
                                     style=style, layout=wide, continuous_update=False),
        "seed": widgets.BoundedIntText(c.seed, min=0, max=10_000, description="seed", style=short,
                                       layout=widgets.Layout(width="160px")),
        "layer": widgets.IntSlider(1, min=1, max=c.depth, description="neuron maps: layer", style=style,
                                   layout=wide, continuous_update=False),
        "epochs": widgets.BoundedIntText(20, min=1, max=2000, description="N", style=short,
                                         layout=widgets.Layout(width="120px")),
    }


class NetworkExplorer(widgets.VBox):
    """Change width, depth, activation, init, learning rate; watch activations and gradients.

    `view` picks the panels ("all", "activations", "gradients", "depth"); keyword arguments
    set the starting values (see ExplorerConfig). `controls` maps "dataset", "width", "depth",
    "activation", "init", "scale", "lr", "seed", "layer", "epochs" to ipywidgets;
    `buttons` maps "step", "train", "reset"; `figure` is the matplotlib figure drawn.
    """

    def __init__(self, view="all", *, image_format="png", dpi=None, **settings):
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r}; known views: {', '.join(VIEWS)}")
        self.model = ExplorerModel(ExplorerConfig(**settings))
        # The single-topic views have smaller figures: a higher dpi keeps their text readable.
        self._ef = explorer_figure(view, dpi=dpi or (72 if view == "all" else 90), title=False)
        self._format = image_format
        self._busy = False
        self.controls = _controls(self.model.config)
        self.controls["scale"].disabled = self.model.config.init != "normal"
        fit = widgets.Layout(width="auto")
        self.buttons = {
            "step": widgets.Button(description="one step", tooltip="one gradient descent step on all points",
                                   layout=fit),
            "train": widgets.Button(description="train N epochs", button_style="primary",
                                    tooltip="N epochs of minibatch SGD", layout=fit),
            "reset": widgets.Button(description="reset", tooltip="new weights from the seed", layout=fit),
        }
        self.progress = widgets.IntProgress(0, min=0, max=1, description="training", bar_style="info",
                                            layout=widgets.Layout(width="220px"))
        self.status = widgets.HTML()
        self.note = widgets.HTML(f'<div class="lw-kernel-note" style="font-size:90%">{KERNEL_NOTE}</div>')
        # Natural size (no stretching to the row's width, which blurs the picture), shrunk on narrow screens.
        self.image = widgets.Image(format=image_format, layout=widgets.Layout(
            width="auto", max_width="100%", height="auto", align_self="flex-start"))
        for name, control in self.controls.items():
            if name != "epochs":
                control.observe(self._on_change, names="value")
        self.buttons["step"].on_click(lambda _: self._run(self.model.step))
        self.buttons["train"].on_click(lambda _: self._train())
        self.buttons["reset"].on_click(lambda _: self._run(self.model.reset))
        c = self.controls
        wrap = widgets.Layout(flex_flow="row wrap")
        rows = [
            widgets.HBox([c["dataset"], c["activation"], c["init"], c["scale"]], layout=wrap),
            widgets.HBox([c["width"], c["depth"], c["lr"], c["seed"]], layout=wrap),
            widgets.HBox([self.buttons["step"], c["epochs"], self.buttons["train"], self.progress,
                          self.buttons["reset"], c["layer"]], layout=wrap),
        ]
        super().__init__([self.note] + rows + [self.status, self.image])
        self.redraw()

    @property
    def figure(self):
        """The matplotlib Figure the explorer draws (a plain Figure: no pyplot, nothing to close)."""
        return self._ef.figure

    def settings(self):
        """The network and training settings the controls show now, as ExplorerConfig fields."""
        fields = ("dataset", "width", "depth", "activation", "init", "scale", "lr", "seed")
        return {name: self.controls[name].value for name in fields}

    def _on_change(self, change):
        if self._busy:
            return
        self._busy = True
        try:
            layer = self.controls["layer"]
            layer.max = self.controls["depth"].value      # may clamp layer.value: _busy ignores that
            self.controls["scale"].disabled = self.controls["init"].value != "normal"
            self.model.update(**self.settings())
        finally:
            self._busy = False
        self.redraw()

    def _run(self, action):
        action()
        self.redraw()

    def _train(self):
        epochs = int(self.controls["epochs"].value)
        every = max(1, epochs // 5)                      # a few redraws while it runs, not one per epoch
        self.progress.max, self.progress.value = epochs, 0

        def tick(epoch, total):
            self.progress.value = epoch
            if epoch % every == 0 and epoch < total:
                self.redraw()

        self.model.train_epochs(epochs, callback=tick)
        self.progress.value = epochs
        self.redraw()

    def _repr_mimebundle_(self, **kwargs):
        """The widget view (JupyterLab renders it) and text/html for pages without a kernel."""
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/html"] = self._website_html()
        return bundle

    def _website_html(self):
        """A kernel-free picture of the explorer at its current settings, and how to run it live.

        Drawn by `layerwise.plots.explorer` like the widget's own picture, at WEBSITE_DPI; no
        controls, because nothing could answer them without a kernel.
        """
        ef = explorer_figure(self._ef.view, dpi=WEBSITE_DPI, title=False)
        update_explorer(ef, self.stats)
        png = base64.b64encode(render_image(ef, "png", compress_level=9, pnginfo=pnginfo(ef.figure))).decode("ascii")
        line = html.escape(summary(self.stats))
        panels = "; ".join(PANEL_WORDS.get(name, name) for name in ef.axes)
        alt = html.escape(f"The network explorer at {summary(self.stats)}. It shows {panels}.")
        return (f'<figure class="lw-explorer-picture">'
                f'<img src="data:image/png;base64,{png}" alt="{alt}" style="max-width:100%;height:auto">'
                f'<figcaption><span class="lw-status">{line}</span>. A picture of the live explorer: its '
                f'controls run Python, so it needs a running notebook. Run it live: <code>make lab</code>, '
                f'or Binder (the rocket button at the top of the page).</figcaption></figure>')

    def redraw(self):
        """Recompute the statistics, move the figure's artists and send the new picture."""
        s = self.model.stats(layer=self.controls["layer"].value)
        update_explorer(self._ef, s)
        self.stats = s
        warning = f'<br><b style="color:#b00020">{s.message}</b>' if s.message else ""
        self.status.value = f'<span class="lw-status">{summary(s)}</span>{warning}'
        self.image.value = render_image(self._ef, self._format)


def show_explorer(view="all", *, static=True, **settings):
    """Display the live explorer for a view and, for the website, its kernel-free version.

    view: "all", "activations" (forward propagation), "gradients" (backpropagation) or "depth".
    Keyword arguments set the live widget's starting values. Returns None, so that a cell
    ending with this call does not display the widget a second time.
    """
    from IPython.display import display

    from .explorer_static import static_explorer

    display(NetworkExplorer(view, **settings))
    if static:
        display(static_explorer(view))
