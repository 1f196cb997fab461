"""The network explorer as a live Jupyter widget (book: chapters/explorer).

`NetworkExplorer()` is an ipywidgets VBox: controls for the data, the architecture and training,
a status line, and the figure of `layerwise.plots.explorer` sent as a PNG (sharp text; or
`image_format="jpeg"`, a few ms faster to encode and smaller) to an `ipywidgets.Image`
(no ipympl needed). Every control change runs the same handler whether a
reader clicks or code sets `explorer.controls[name].value`. The numbers come from
`layerwise.explorer_model`; the controls have the names, labels and ranges of the website's
explorer (`layerwise.explorer_model.CONTROLS`).

A displayed explorer offers two representations: the widget view, which JupyterLab renders, and
`text/html` (`_website_html`), the website's live explorer at the same view and settings
(`layerwise.explorer_web`), which trains in the browser in JavaScript. `_config.yml` tells myst-nb
never to render widget views (a page without a kernel cannot run them) and the book build saves no
widget state (tools/site_tweaks.py).
"""

from dataclasses import asdict

import ipywidgets as widgets
import numpy as np

from .explorer_model import ACTIVATION_NAMES, CONTROLS, ExplorerConfig, ExplorerModel
from .plots.explorer import VIEWS, explorer_figure, render_image, summary, update_explorer

KERNEL_NOTE = ("<b>Python explorer:</b> its controls run Python, so they work only with a running kernel "
               "(JupyterLab, <code>make lab</code>). On the website the explorer runs in JavaScript instead.")


def _controls(c):
    # A fixed label column: with "initial" the longest labels left sliders a track of 15-60 px.
    style = {"description_width": "170px"}
    wide = widgets.Layout(width="440px")
    short = {"description_width": "initial"}     # number boxes: the label takes only what it needs
    label = {name: text for name, (text, _) in CONTROLS.items()}
    low = {name: bounds[0] for name, (_, bounds) in CONTROLS.items() if bounds}
    high = {name: bounds[1] for name, (_, bounds) in CONTROLS.items() if bounds}
    log10 = {name: int(np.log10(high[name])) for name in ("scale", "lr")}
    return {
        "dataset": widgets.Dropdown(options=[("two moons", "moons"), ("circles", "circles"),
                                             ("spirals", "spirals"), ("XOR", "xor")],
                                    value=c.dataset, description=label["dataset"], style=style, layout=wide),
        "noise": widgets.FloatSlider(c.noise, min=low["noise"], max=high["noise"], step=0.05,
                                     description=label["noise"], style=style, layout=wide, continuous_update=False),
        "width": widgets.IntSlider(c.width, min=low["width"], max=high["width"], description=label["width"],
                                   style=style, layout=wide, continuous_update=False),
        "depth": widgets.IntSlider(c.depth, min=low["depth"], max=high["depth"], description=label["depth"],
                                   style=style, layout=wide, continuous_update=False),
        "activation": widgets.Dropdown(options=[(n if n != "relu" else "ReLU", n) for n in ACTIVATION_NAMES],
                                       value=c.activation, description=label["activation"], style=style, layout=wide),
        "init": widgets.Dropdown(options=[("normal (std = init scale)", "normal"), ("Xavier", "xavier"),
                                          ("He", "he")], value=c.init, description=label["init"], style=style,
                                 layout=wide),
        "scale": widgets.FloatLogSlider(c.scale, base=10, min=int(np.log10(low["scale"])), max=log10["scale"],
                                        step=0.25, description=label["scale"], style=style, layout=wide,
                                        continuous_update=False),
        "lr": widgets.FloatLogSlider(c.lr, base=10, min=int(np.log10(low["lr"])), max=log10["lr"], step=0.25,
                                     description=label["lr"], style=style, layout=wide, continuous_update=False),
        "batch_size": widgets.BoundedIntText(c.batch_size, min=low["batch_size"], max=high["batch_size"],
                                             description=label["batch_size"], style=short,
                                             layout=widgets.Layout(width="180px")),
        "seed": widgets.BoundedIntText(c.seed, min=low["seed"], max=high["seed"], description=label["seed"],
                                       style=short, layout=widgets.Layout(width="160px")),
        "layer": widgets.IntSlider(1, min=1, max=c.depth, description=label["layer"], style=style,
                                   layout=wide, continuous_update=False),
        "epochs": widgets.BoundedIntText(20, min=1, max=2000, description="N", style=short,
                                         layout=widgets.Layout(width="120px")),
    }


class NetworkExplorer(widgets.VBox):
    """Change width, depth, activation, init, learning rate; watch activations and gradients.

    `view` picks the panels ("all", "activations", "gradients", "depth"); keyword arguments
    set the starting values (see ExplorerConfig). `controls` maps "dataset", "noise", "width",
    "depth", "activation", "init", "scale", "lr", "batch_size", "seed", "layer", "epochs" to
    ipywidgets; `buttons` maps "step", "train", "reset"; `figure` is the matplotlib figure drawn;
    `view` and `model.config` are what `layerwise.explorer_web.live_explorer_html` needs to show the
    same explorer on the website.
    """

    def __init__(self, view="all", *, image_format="png", dpi=None, **settings):
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r}; known views: {', '.join(VIEWS)}")
        self.view = view
        self.model = ExplorerModel(ExplorerConfig(**settings))
        # The single-topic views have smaller figures: a higher dpi keeps their text readable.
        self._ef = explorer_figure(view, dpi=dpi or (72 if view == "all" else 90), title=False, warm_texts=True)
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
            widgets.HBox([c["dataset"], c["noise"], c["activation"], c["init"], c["scale"]], layout=wrap),
            widgets.HBox([c["width"], c["depth"], c["lr"], c["batch_size"], c["seed"]], layout=wrap),
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
        fields = ("dataset", "noise", "width", "depth", "activation", "init", "scale", "lr", "batch_size", "seed")
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
        """The website's live explorer (JavaScript) with this explorer's view and current settings."""
        from .explorer_web import live_explorer_html

        return live_explorer_html(self.view, **asdict(self.model.config))

    def redraw(self):
        """Recompute the statistics, move the figure's artists and send the new picture."""
        s = self.model.stats(layer=self.controls["layer"].value)
        update_explorer(self._ef, s)
        self.stats = s
        warning = f'<br><b style="color:#b00020">{s.message}</b>' if s.message else ""
        self.status.value = f'<span class="lw-status">{summary(s)}</span>{warning}'
        self.image.value = render_image(self._ef, self._format)


def show_explorer(view="all", **settings):
    """Display the explorer for a view: the widget in Jupyter, the live JavaScript explorer on the website.

    view: "all", "activations" (forward propagation), "gradients" (backpropagation) or "depth".
    Keyword arguments (ExplorerConfig fields) set the starting values. Returns None, so that a cell
    ending with this call does not display the widget a second time.
    """
    from IPython.display import display

    display(NetworkExplorer(view, **settings))
