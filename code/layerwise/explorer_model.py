"""The numbers the network explorer shows, computed with `forward`/`backward` (book: chapters/explorer).

Pure NumPy, no drawing: `ExplorerModel` holds a dataset and a network and trains it;
`ExplorerModel.stats()` returns an `ExplorerStats` with everything the explorer draws
(`layerwise.plots.explorer` draws it, `layerwise.widgets` wires it to controls).

Reproducibility, so that anyone can recompute a view by hand:
``rng = np.random.default_rng(seed)``, then the training points
``X, y = make_dataset(dataset, n, rng, noise=noise)``, then the test points
``X_test, y_test = make_dataset(dataset, n_test, rng, noise=noise)``, then
``params = init_params([2] + [width] * depth + [k], rng, init=init, scale=scale)`` with k the
number of classes; the same rng then draws the minibatches of `train_epochs`. The website's
explorer (assets/static/lw-explorer/explorer_model.js) follows the same recipe and rules with its
own random numbers; tests/test_explorer_js.py proves the two equal on the same draws.
"""

import contextlib
import functools
from dataclasses import dataclass, field, replace

import numpy as np

from .data import make_dataset
from .initializers import INITS, init_params
from .losses import softmax_cross_entropy
from .network import backward, forward, forward_inference
from .plots import input_grid
from .softmax import softmax
from .training import params_finite, sgd_step, train

DATASETS = ("moons", "circles", "spirals", "xor")
ACTIVATION_NAMES = ("sigmoid", "tanh", "relu")
INIT_NAMES = tuple(sorted(INITS))
MAX_WIDTH, MAX_DEPTH = 64, 10       # what the model accepts (the chapters' cells go to depth 10)

# The reader's controls, in the Jupyter widget and on the website: name -> (label, (lowest, highest)).
# Numeric values outside a range are clamped by the website's explorer, with a note.
CONTROLS = {
    "dataset": ("dataset", None),
    "noise": ("noise", (0.0, 0.5)),
    "width": ("width (neurons per layer)", (1, 16)),
    "depth": ("depth (hidden layers)", (1, 8)),
    "activation": ("activation σ", None),
    "init": ("initialisation", None),
    "scale": ("init scale (std of W)", (1e-3, 10.0)),
    "lr": ("learning rate", (1e-3, 10.0)),
    "batch_size": ("batch size", (1, 256)),
    "seed": ("seed", (0, 10_000)),
    "layer": ("neuron maps: layer", (1, 8)),
}

FLOOR = 1e-12                       # gradients below this are drawn at it: log10(0) is -inf
H_BINS, DZ_BINS = 30, 28
DZ_LOG_RANGE = (-12.0, 2.0)         # log10 |dZ| histograms share these edges at every depth
NEURON_MAP_MAX_WIDTH = 8            # one heat map per neuron only for narrow layers
REMEMBERED_STATES = 8               # networks whose stats() are kept (~0.7 MB per layer shown, default grid)
# How far float32 may move P or H on the grid (`grid_forward`). They are seen only as colours: the
# surface's (1 − α(1 − P C), α = 0.55, at most 3 classes) then moves by under a quarter of one of 255
# levels, a neuron map's by about a quarter of one of its colormap's 256 colours: a pixel changes by one
# at most (tests/test_explorer_model.py).
GRID_TOLERANCE = 1e-3
# σ with |σ| <= 1 that NumPy evaluates in float32 with vector instructions: (Lipschitz constant of σ,
# a bound of the float32 evaluation's own error in units of float32's u = 2^-24; generous, tested).
SIGMA_FLOAT32 = {"tanh": (1.0, 8), "sigmoid": (0.25, 16)}


@dataclass(frozen=True)
class ExplorerConfig:
    """The settings of the explorer: data, architecture (depth = number of hidden layers), training."""
    dataset: str = "moons"
    n: int = 300                    # training points
    n_test: int = 100               # test points, from the same distribution (never trained on)
    noise: float = 0.1              # std of the dataset's noise (for spirals: of the angle)
    width: int = 8
    depth: int = 3
    activation: str = "tanh"
    init: str = "xavier"
    scale: float = 1.0              # std of W for init="normal"
    lr: float = 0.1
    seed: int = 0
    batch_size: int = 32

    def check(self):
        """Raise ValueError naming the first setting outside its allowed values."""
        if self.dataset not in DATASETS:
            raise ValueError(f"unknown dataset {self.dataset!r}; known datasets: {', '.join(DATASETS)}")
        if self.activation not in ACTIVATION_NAMES:
            raise ValueError(f"unknown activation {self.activation!r}; known: {', '.join(ACTIVATION_NAMES)}")
        if self.init not in INIT_NAMES:
            raise ValueError(f"unknown init {self.init!r}; known inits: {', '.join(INIT_NAMES)}")
        if not 1 <= self.width <= MAX_WIDTH or not 1 <= self.depth <= MAX_DEPTH:
            raise ValueError(f"width must lie in 1..{MAX_WIDTH} and depth in 1..{MAX_DEPTH}, "
                             f"got width {self.width}, depth {self.depth}")
        if not (np.isfinite(self.lr) and self.lr > 0 and np.isfinite(self.scale) and self.scale > 0):
            raise ValueError(f"lr and scale must be positive numbers, got lr {self.lr}, scale {self.scale}")
        if not (np.isfinite(self.noise) and self.noise >= 0):
            raise ValueError(f"noise must be a finite number >= 0, got {self.noise}")
        if self.batch_size < 1 or self.n < 4 or self.n_test < 4:
            raise ValueError(f"batch_size must be >= 1 and n, n_test >= 4, got batch_size {self.batch_size}, "
                             f"n {self.n}, n_test {self.n_test}")
        return self


@dataclass
class ExplorerStats:
    """What the explorer draws for one state of the network (L = depth + 1 layers).

    X, y: the training points, X_test, y_test: the test points; P_grid: (res, res, k) softmax
    probabilities over the input plane `extent` (x0, x1, y0, y1), which covers both (float32 when
    that is within GRID_TOLERANCE, see `grid_forward`, as are the neuron maps);
    H_edges: (H_BINS + 1,) and H_counts: depth arrays (H_BINS,), the fraction of entries of H^(l)
    in each bin, l = 1..L-1; dZ_edges (log10 |dZ|) and dZ_counts likewise for l = 1..L, with
    |dZ| clipped to [FLOOR, 10^2]; dW_norms: (L,) Frobenius norms ‖dW^(l)‖ (zeros kept: the
    plot applies the floor); weights: the L matrices W^(l) (the network diagram); loss, accuracy
    and test_loss of the current network; epochs, losses and test_losses: the history;
    neuron_maps: (width, res, res) values of H^(layer)_j on the grid, or None when the layer is
    wider than NEURON_MAP_MAX_WIDTH.
    """
    config: ExplorerConfig
    X: np.ndarray
    y: np.ndarray
    extent: tuple
    P_grid: np.ndarray
    H_edges: np.ndarray
    H_counts: list
    dZ_edges: np.ndarray
    dZ_counts: list
    dW_norms: np.ndarray
    loss: float
    accuracy: float
    epochs: list = field(default_factory=list)
    losses: list = field(default_factory=list)
    layer: int = 1
    neuron_maps: np.ndarray | None = None
    neuron_range: tuple = (0.0, 1.0)
    diverged: bool = False
    message: str = ""
    X_test: np.ndarray | None = None
    y_test: np.ndarray | None = None
    test_loss: float = float("nan")
    test_losses: list = field(default_factory=list)
    weights: list = field(default_factory=list)


def activation_range(activation, H_layers):
    """Histogram range of H^(l): the activation's own range, or [0, max H] for ReLU."""
    if activation == "sigmoid":
        return 0.0, 1.0
    if activation == "tanh":
        return -1.0, 1.0
    top = max((float(H.max()) for H in H_layers), default=0.0)
    return 0.0, nice_ceiling(top)


def nice_ceiling(x):
    """The smallest of 1, 2, 5 × 10^k that is >= x (1 for x <= 0): axis limits that change rarely."""
    if not np.isfinite(x) or x <= 0:
        return 1.0
    k = np.floor(np.log10(x))
    for m in (1.0, 2.0, 5.0, 10.0):
        if m * 10.0 ** k >= x:
            return float(m * 10.0 ** k)
    return float(10.0 ** (k + 1))


def fraction_histogram(values, edges):
    """Fraction of the entries of `values` in each bin of `edges`; values outside are clipped in."""
    v = np.clip(np.ravel(values), edges[0], edges[-1])
    counts, _ = np.histogram(v, bins=edges)
    return counts / max(v.size, 1)


def log_abs(dZ):
    """log10 |dZ| with |dZ| clipped to [FLOOR, 10^DZ_LOG_RANGE[1]] so zeros give no log(0)."""
    return np.log10(np.clip(np.abs(dZ), FLOOR, 10.0 ** DZ_LOG_RANGE[1]))


def grown_too_much(start, now):
    """The explorer's second divergence rule: the loss far above where training started."""
    return now > max(3 * start, start + 2)


def one_blas_thread():
    """A context in which BLAS uses one thread: the explorer's matrices are small, and on a busy
    machine BLAS threads waiting for each other made each update several times slower."""
    controller = _blas_controller()
    return contextlib.nullcontext() if controller is None else controller.limit(limits=1, user_api="blas")


@functools.cache
def _blas_controller():
    # Made once: finding the loaded BLAS libraries took longer than the limit it sets (0.3 ms a call).
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:                     # optional: without it BLAS keeps its own default
        return None
    return ThreadpoolController()


def float32_error_bound(params, grid, activation):
    """A bound on how far P = softmax(O) and every H^(l) on the grid: (m, 2), computed in float32, can lie
    from the exact values (the largest absolute difference), for σ in SIGMA_FLOAT32, so that |H| <= 1;
    inf for any other σ (ReLU's H has no such bound).

    The standard componentwise rounding bound of a dot product of K terms, γ = K u / (1 − K u), with three
    roundings more (W and b cast to float32, the bias added), carried through the layers unit by unit:
    errors e of H^(l-1) become at most e |W| in Z^(l); σ multiplies them by at most its Lipschitz
    constant and adds its own rounding; softmax, whose Jacobian rows have absolute sums <= 1/2, halves
    the logits' error and adds its k + 8 roundings.
    """
    if activation not in SIGMA_FLOAT32:
        return float("inf")
    u = float(np.finfo(np.float32).eps) / 2
    lipschitz, rounding = SIGMA_FLOAT32[activation]
    h = np.abs(grid).max(axis=0)                         # per input unit, the largest |H^(l-1)|: the grid's, then 1
    e = u * h                                            # the grid's coordinates cast to float32
    worst = 0.0
    for l, (W, b) in enumerate(params, start=1):
        K, absW = W.shape[0] + 3, np.abs(W)
        e = e @ absW + K * u / (1 - K * u) * (h @ absW + np.abs(b))                   # per unit of Z^(l)
        if l == len(params):
            return max(worst, 0.5 * float(e.max()) + (W.shape[1] + 8) * u)
        h = np.ones(W.shape[1])
        e = lipschitz * e + rounding * u                                               # per unit of H^(l)
        worst = max(worst, float(e.max()))


def _layer_values(params, grid, activation):
    """forward(params, grid) as (O, [H^(l) on the grid, l = 1..L-1]), overflow allowed (as in _stats)."""
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        O, caches = forward(params, grid, activation)
    return O, [cache.linear[0] for cache in caches[1:]]


def grid_forward(params, grid, activation):
    """O: (m, k) and [H^(1..L-1)] of the network on the grid: (m, 2), for the surface and the neuron maps.

    In float32 when `float32_error_bound` proves P and every H within GRID_TOLERANCE of the exact values
    (they are drawn as colours: a pixel then changes by one level at most), else in float64 like the rest
    of the explorer. NumPy evaluates float32 tanh with vector instructions, five times faster than float64
    tanh, which took most of a stats() computation on the default grid of 6400 points.
    """
    if float32_error_bound(params, grid, activation) <= GRID_TOLERANCE:
        params = [(W.astype(np.float32), b.astype(np.float32)) for W, b in params]
        grid = grid.astype(np.float32)
    return _layer_values(params, grid, activation)


def _copy(params):
    return [(W.copy(), b.copy()) for W, b in params]


class ExplorerModel:
    """A dataset, a network and its training history, as the explorer shows them.

    `config` is an ExplorerConfig (or keyword overrides of its defaults). `resolution` is
    the side of the grid over the input plane for the surface and the neuron maps.

    Training stops, keeping a finite network, when (1) the loss or a weight becomes inf or NaN
    during an epoch or a step (the network of the last completed epoch is put back), or (2) after
    an epoch or step the training loss is above max(3·start, start + 2) (`grown_too_much`).
    """

    def __init__(self, config=None, *, resolution=80, **overrides):
        self.resolution = int(resolution)
        self.config = replace(config or ExplorerConfig(), **overrides).check()
        self._remembered = {}                  # {state: {layer: ExplorerStats}}, newest last; see stats()
        self._grid_layers = (None, None)       # (state, [H^(l) on the grid, l = 1..depth]) of the last _stats
        self.reset()

    def reset(self):
        """New data and new weights from the seed; clears the history and any divergence."""
        c = self.config
        self.rng = np.random.default_rng(c.seed)
        self.X, self.y = make_dataset(c.dataset, c.n, self.rng, noise=c.noise)
        self.X_test, self.y_test = make_dataset(c.dataset, c.n_test, self.rng, noise=c.noise)
        self.k = int(max(self.y.max(), self.y_test.max())) + 1
        self.params = init_params([2] + [c.width] * c.depth + [self.k], self.rng, init=c.init, scale=c.scale)
        # the grid covers the training and the test points; its rows run along y, from below
        xx, yy, self.grid = input_grid(np.vstack([self.X, self.X_test]), self.resolution)
        self.extent = (xx.min(), xx.max(), yy.min(), yy.max())
        self.diverged, self.message = False, ""
        self.epochs, self.losses, self.test_losses = [0], [self._loss(self.X, self.y)], [self._loss(self.X_test, self.y_test)]

    def update(self, **changes):
        """Change settings; a change of the network or data resets it. Returns True if it did."""
        new = replace(self.config, **changes).check()
        # The learning rate and batch size, and the init scale unless init is "normal", do not
        # change the network.
        same = ({"lr": self.config.lr, "batch_size": self.config.batch_size}
                | ({"scale": self.config.scale} if new.init != "normal" else {}))
        rebuild = replace(new, **same) != self.config
        self.config = new
        if rebuild:
            self.reset()
        return rebuild

    def _loss(self, X, y):
        """Mean cross-entropy of the network on X, y; NaN when the logits are not finite."""
        with np.errstate(over="ignore", invalid="ignore"):
            O = forward_inference(self.params, X, self.config.activation)
        if not np.isfinite(O).all():
            return float("nan")
        return softmax_cross_entropy(O, y)[0]

    def _diverge(self, snapshot):
        # Keep the last finite network on screen, and say in words what happened.
        self.params = snapshot
        self.diverged = True
        self.message = (f"loss became NaN: the learning rate {self.config.lr:g} is too large "
                        f"(training diverged). Press reset.")

    def _end_epoch(self, snapshot):
        """Record the losses after an epoch or step, or stop training if they say it diverged."""
        loss = self._loss(self.X, self.y) if params_finite(self.params) else float("nan")
        if not np.isfinite(loss):
            self._diverge(snapshot)
            return
        self.epochs.append(self.epochs[-1] + 1)
        self.losses.append(loss)
        self.test_losses.append(self._loss(self.X_test, self.y_test))
        start = self.losses[0]
        if grown_too_much(start, loss):
            self.diverged = True
            self.message = (f"loss grew from {start:.2f} to {loss:.3g}: the learning rate {self.config.lr:g} "
                            f"is too large (training diverged). Press reset.")

    def step(self):
        """One full-batch gradient descent step: W ← W − lr·dW on all n points (counts as one epoch)."""
        with one_blas_thread():
            self._step()

    def _step(self):
        if self.diverged:
            return
        snapshot = _copy(self.params)
        with np.errstate(over="ignore", invalid="ignore"):
            O, caches = forward(self.params, self.X, self.config.activation)
            if np.isfinite(O).all():
                _, dO = softmax_cross_entropy(O, self.y)
                sgd_step(self.params, backward(dO, caches), self.config.lr)
        self._end_epoch(snapshot)

    def train_epochs(self, epochs, callback=None):
        """`epochs` epochs of minibatch SGD (layerwise.train, one epoch per call); callback(i, epochs)
        after each epoch. Stops early when training diverges."""
        c = self.config
        for epoch in range(1, epochs + 1):
            if self.diverged:
                return
            snapshot = _copy(self.params)
            with np.errstate(over="ignore", invalid="ignore"), one_blas_thread():
                history = train(self.params, self.X, self.y, rng=self.rng, activation=c.activation, lr=c.lr,
                                epochs=1, batch_size=c.batch_size)
            if history.diverged:
                self._diverge(snapshot)
                return
            self._end_epoch(snapshot)
            if callback is not None:
                callback(epoch, epochs)

    def stats(self, layer=1):
        """Everything the explorer draws for the current network; `layer` picks the neuron maps.

        Remembered per layer for the current numbers (`_state`) and those of the REMEMBERED_STATES - 1
        networks shown before, so that a change of the learning rate or batch size, back to a layer
        already shown, or back to an earlier setting (a seed, a width) recomputes nothing; another layer
        of the network computed last only picks its neuron maps from the grid values kept.
        """
        state = self._state()
        known = self._remembered.pop(state, {})
        self._remembered[state] = known                # the newest last
        while len(self._remembered) > REMEMBERED_STATES:
            del self._remembered[next(iter(self._remembered))]
        if layer not in known and known and self._grid_layers[0] == state:
            shown = next(iter(known.values()))
            clipped, maps, map_range = self._neuron_maps(layer, self._grid_layers[1], shown.H_edges)
            known[layer] = replace(shown, layer=clipped, neuron_maps=maps, neuron_range=map_range)
        elif layer not in known:
            with one_blas_thread():
                known[layer] = self._stats(layer, state)
        return replace(known[layer], config=self.config)

    def _state(self):
        """Everything stats() depends on but the learning rate and batch size (which it only reports)."""
        numbers = [self.X, self.y, self.X_test, self.y_test, self.grid] + [a for W_b in self.params for a in W_b]
        return (replace(self.config, lr=1.0, batch_size=1), self.diverged, self.message, tuple(self.epochs),
                tuple(self.losses), tuple(self.test_losses),
                tuple((a.dtype.str, a.shape, a.tobytes()) for a in map(np.asarray, numbers)))

    def _stats(self, layer, state=None):
        """stats(layer) computed from scratch; the grid's layer values are kept for `state` (`_neuron_maps`)."""
        c = self.config
        # Overflow is possible only for extreme init scales; the values stay finite or are clipped below.
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            O, caches = forward(self.params, self.X, c.activation)
            H_layers = [cache.linear[0] for cache in caches[1:]]         # H^(1..L-1), inputs of layers 2..L
            dZs, norms = {}, {}

            def keep(l, dZ, dW, db):
                dZs[l] = dZ
                norms[l] = float(np.sqrt(np.sum(dW * dW)))

            if np.isfinite(O).all():
                loss, dO = softmax_cross_entropy(O, self.y)
                backward(dO, caches, on_layer=keep)
            else:
                loss, dO = float("nan"), None
                for l in range(1, len(caches) + 1):
                    dZs[l], norms[l] = np.zeros(1), 0.0
            G_O, grid_layers = grid_forward(self.params, self.grid, c.activation)   # H^(1..L-1) on the grid
            P = softmax(G_O) if np.isfinite(G_O).all() else np.full(G_O.shape, 1 / self.k)
        lo, hi = activation_range(c.activation, H_layers)
        H_edges = np.linspace(lo, hi, H_BINS + 1)
        dZ_edges = np.linspace(*DZ_LOG_RANGE, DZ_BINS + 1)
        layer, maps, map_range = self._neuron_maps(layer, grid_layers, H_edges)
        if state is not None:       # kept only while there are maps: at most 10 layers of 8 neurons, 4 MB
            self._grid_layers = (state, grid_layers) if maps is not None else (None, None)
        r = self.resolution
        return ExplorerStats(
            config=c, X=self.X, y=self.y, extent=self.extent, P_grid=P.reshape(r, r, self.k),
            H_edges=H_edges, H_counts=[fraction_histogram(H, H_edges) for H in H_layers],
            dZ_edges=dZ_edges, dZ_counts=[fraction_histogram(log_abs(dZs[l]), dZ_edges) for l in sorted(dZs)],
            dW_norms=np.array([norms[l] for l in sorted(norms)]), loss=float(loss),
            accuracy=float((O.argmax(axis=1) == self.y).mean()), epochs=list(self.epochs),
            losses=list(self.losses), layer=layer, neuron_maps=maps, neuron_range=map_range,
            diverged=self.diverged, message=self.message or self._stuck_note(norms),
            X_test=self.X_test, y_test=self.y_test, test_loss=self._loss(self.X_test, self.y_test),
            test_losses=list(self.test_losses), weights=[W.copy() for W, _ in self.params])

    def _neuron_maps(self, layer, grid_layers, H_edges):
        """(layer clipped to 1..depth, maps (width, res, res) of H^(layer) on the grid or None when the layers
        are too wide, their colour range: H_edges' range, or [0, a 1-2-5 ceiling of the maps] for ReLU)."""
        c, r = self.config, self.resolution
        layer = int(np.clip(layer, 1, c.depth))
        maps, map_range = None, (float(H_edges[0]), float(H_edges[-1]))
        if c.width <= NEURON_MAP_MAX_WIDTH:
            maps = np.nan_to_num(grid_layers[layer - 1]).T.reshape(c.width, r, r)
            if c.activation == "relu":
                map_range = (0.0, nice_ceiling(float(maps.max())))
        return layer, maps, map_range

    @staticmethod
    def _stuck_note(norms):
        if norms and all(v == 0 for v in norms.values()):
            return "every gradient dW is exactly 0 (all ReLU units are dead): training cannot move"
        return ""
