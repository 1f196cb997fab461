// The numbers the live explorer shows, computed with network.js: code/layerwise/explorer_model.py in
// JavaScript, with the same recipe (seed -> training points -> test points -> weights -> minibatches),
// the same training and divergence rules and the same statistics. The panels draw a stats object
// (`ExplorerModel.stats`), as layerwise.plots.explorer draws an ExplorerStats. No DOM in this file.
//
// Settings use the Python field names (ExplorerConfig): dataset, n, n_test, noise, width, depth,
// activation, init, scale, lr, seed, batch_size.

import {makeDataset, inputGrid, linspace} from "./data.js";
import {backward, forward, forwardFlat, forwardInference, initParams, sgdStep, softmaxCrossEntropy} from "./network.js";
import {makeRng} from "./random.js";

/** ExplorerConfig's defaults (tests/test_explorer_js.py compares them with the Python's). */
export const DEFAULTS = Object.freeze({
  dataset: "moons", n: 300, n_test: 100, noise: 0.1, width: 8, depth: 3, activation: "tanh",
  init: "xavier", scale: 1.0, lr: 0.1, seed: 0, batch_size: 32,
});
/** Gradients below this are drawn at it (log10(0) is −∞). */
export const FLOOR = 1e-12;
/** Bins of the histograms of H^(l) and of log10 |dZ^(l)|. */
export const H_BINS = 30, DZ_BINS = 28;
/** log10 |dZ| histograms share these edges at every depth. */
export const DZ_LOG_RANGE = [-12, 2];
/** One map per neuron only for layers this narrow. */
export const NEURON_MAP_MAX_WIDTH = 8;

// --- statistics (the helpers of explorer_model.py) ----------------------------------------------

/** The smallest of 1, 2, 5 × 10^k that is >= x (1 for x <= 0 or not finite). */
export function niceCeiling(x) {
  if (!Number.isFinite(x) || x <= 0) return 1.0;
  const k = Math.floor(Math.log10(x));
  const tenToK = Number(`1e${k}`);          // 10^k correctly rounded, like Python's 10.0 ** k
  for (const m of [1, 2, 5, 10]) if (m * tenToK >= x) return m * tenToK;
  return Number(`1e${k + 1}`);
}

/** Histogram range of H^(l): the activation's own range, or [0, nice max H] for ReLU. @param {number[][][]} Hs */
export function activationRange(activation, Hs) {
  if (activation === "sigmoid") return [0, 1];
  if (activation === "tanh") return [-1, 1];
  let top = 0;
  Hs.forEach((H, i) => {
    let m = -Infinity;
    for (const row of H) for (const v of row) m = Math.max(m, v);      // NaN propagates, as in NumPy
    top = i === 0 ? m : Math.max(top, m);
  });
  return [0, niceCeiling(top)];
}

/**
 * Fraction of the entries of M in each bin of `edges` (NumPy's histogram after clipping into the
 * range): bin i holds edges[i] <= v < edges[i+1], the last bin also its right edge; NaN counts in no
 * bin but in the total. `transform` is applied to each entry first.
 * @param {ArrayLike<number>[]} M (n, m) @param {number[]} edges (bins + 1,) increasing
 * @param {(v: number) => number} [transform] @returns {number[]} (bins,)
 */
export function fractionHistogram(M, edges, transform = (v) => v) {
  const bins = edges.length - 1, lo = edges[0], hi = edges[bins];
  const counts = new Array(bins).fill(0);
  const scale = bins / (hi - lo);
  let size = 0;
  for (const row of M) {
    size += row.length;
    for (let q = 0; q < row.length; q++) {
      let v = transform(row[q]);
      if (Number.isNaN(v)) continue;
      v = Math.min(Math.max(v, lo), hi);
      let i = Math.min(bins - 1, Math.floor((v - lo) * scale));
      while (i > 0 && v < edges[i]) i--;                    // the arithmetic guess, corrected by the edges
      while (i < bins - 1 && v >= edges[i + 1]) i++;
      counts[i] += 1;
    }
  }
  return counts.map((c) => c / Math.max(size, 1));
}

/** log10 |v| with |v| clipped to [FLOOR, 10^2] (zeros give no log(0)): the x of the dZ histograms. */
export function logAbs(v) {
  return Math.log10(Math.min(Math.max(Math.abs(v), FLOOR), 10 ** DZ_LOG_RANGE[1]));
}

/** The second divergence rule: the loss far above where training started. */
export function grownTooMuch(start, now) { return now > Math.max(3 * start, start + 2); }

/** Python's format(x, ".{digits}g"): what the messages print (e.g. 10, 0.001, 1.23e+03). */
export function formatG(x, digits = 6) {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : (x > 0 ? "inf" : "-inf");
  if (x === 0) return "0";
  const [mantissa, exp] = x.toExponential(digits - 1).split("e");
  const e = Number(exp);
  const strip = (s) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (e < -4 || e >= digits) return `${strip(mantissa)}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  return strip(x.toFixed(Math.max(0, digits - 1 - e)));
}

/**
 * The network on every point of the grid: softmax(O) for the decision surface and H^(l) for the
 * neuron maps, on flat arrays (network.forwardFlat), softmax row by row as network.softmax.
 * @param {import("./network.js").Params} params @param {Float64Array} G (n·2,) @param {number} n
 * @param {string} activation @param {number} k classes @param {object} [work] buffers kept between calls
 * @returns {{P: Float64Array, H: Float64Array[]}} P (n·k,), H[l] = H^(l) (n·h_l,), H[0] = G
 */
export function gridForward(params, G, n, activation, k, work = {}) {
  const {O, H} = forwardFlat(params, G, n, activation, work);
  if (!work.P || work.P.length !== O.length) work.P = new Float64Array(O.length);
  const P = work.P;
  if (O.every(Number.isFinite)) {
    for (let i = 0; i < n; i++) {
      let max = -Infinity, sum = 0;
      for (let j = 0; j < k; j++) max = Math.max(max, O[i * k + j]);
      for (let j = 0; j < k; j++) { P[i * k + j] = Math.exp(O[i * k + j] - max); sum += P[i * k + j]; }
      for (let j = 0; j < k; j++) P[i * k + j] /= sum;
    }
  } else {
    P.fill(1 / k);                                             // no surface from non-finite logits
  }
  return {P, H};
}

const allFinite = (M) => M.every((row) => row.every(Number.isFinite));
const paramsFinite = (params) => params.every(([W, b]) => allFinite(W) && b.every(Number.isFinite));
const copyParams = (params) => params.map(([W, b]) => [W.map((row) => row.slice()), b.slice()]);

/** Index of the largest entry of a row (the first NaN if there is one, as numpy.argmax). */
function argmax(row) {
  let best = 0;
  for (let j = 0; j < row.length; j++) {
    if (Number.isNaN(row[j])) return j;
    if (row[j] > row[best]) best = j;
  }
  return best;
}

/** Clamps every numeric setting into its range and checks the names; throws naming a bad one. */
function checkConfig(c) {
  if (!["moons", "circles", "spirals", "xor"].includes(c.dataset)) throw new Error(`unknown dataset ${JSON.stringify(c.dataset)}`);
  if (!["sigmoid", "tanh", "relu"].includes(c.activation)) throw new Error(`unknown activation ${JSON.stringify(c.activation)}`);
  if (!["he", "normal", "xavier"].includes(c.init)) throw new Error(`unknown init ${JSON.stringify(c.init)}`);
  for (const key of ["n", "n_test", "width", "depth", "seed", "batch_size"]) {
    if (!Number.isInteger(c[key]) || c[key] < (key === "seed" ? 0 : 1)) throw new Error(`${key} must be a positive integer, got ${c[key]}`);
  }
  for (const key of ["lr", "scale"]) if (!(c[key] > 0 && Number.isFinite(c[key]))) throw new Error(`${key} must be a positive number, got ${c[key]}`);
  return c;
}

/**
 * A dataset, a network and its training history, as the explorer shows them.
 * Training stops, keeping a finite network, when (1) the loss or a weight becomes inf or NaN during
 * an epoch or a step (the network of the last completed epoch is put back), or (2) after an epoch or
 * a step the training loss is above max(3·start, start + 2).
 */
export class ExplorerModel {
  /**
   * @param {Partial<typeof DEFAULTS>} [settings] overrides of DEFAULTS
   * @param {{resolution?: number}} [options] side of the grid over the input plane (default 100)
   */
  constructor(settings = {}, {resolution = 100} = {}) {
    this.resolution = resolution;
    this.config = checkConfig({...DEFAULTS, ...settings});
    this.reset();
  }

  /**
   * A model on given data, weights and generator instead of those the seed makes (tests: Python's).
   * @param {Partial<typeof DEFAULTS>} settings
   * @param {{X: number[][], y: number[], X_test: number[][], y_test: number[], params: import("./network.js").Params,
   *          rng: import("./random.js").Rng}} state
   * @param {{resolution?: number}} [options]
   */
  static fromState(settings, state, options = {}) {
    const model = Object.create(ExplorerModel.prototype);
    model.resolution = options.resolution ?? 100;
    model.config = checkConfig({...DEFAULTS, ...settings});
    model.start(state);
    return model;
  }

  /** New data and new weights from the seed; clears the history and any divergence. */
  reset() {
    const c = this.config;
    const rng = makeRng(c.seed);
    const train = makeDataset(c.dataset, c.n, rng, c.noise);
    const test = makeDataset(c.dataset, c.n_test, rng, c.noise);
    const k = Math.max(...train.y, ...test.y) + 1;
    const params = initParams([2, ...new Array(c.depth).fill(c.width), k], rng, c.init, c.scale);
    this.start({X: train.X, y: train.y, X_test: test.X, y_test: test.y, params, rng});
  }

  start({X, y, X_test, y_test, params, rng}) {
    Object.assign(this, {X, y, X_test, y_test, params, rng});
    this.k = Math.max(...y, ...y_test) + 1;
    const {G, extent} = inputGrid([...X, ...X_test], this.resolution);   // around train and test points
    this.grid = Float64Array.from(G.flat());                   // (res², 2) row-major, for forwardFlat
    this.extent = extent;
    this.gridWork = {};
    this.starts = (this.starts ?? 0) + 1;                      // a new dataset or network
    this.diverged = false;
    this.message = "";
    this.epochs = [0];
    this.losses = [this.loss(X, y)];
    this.testLosses = [this.loss(X_test, y_test)];
    this.version = (this.version ?? 0) + 1;                 // changes whenever the weights change
  }

  /**
   * Change settings; a change of the data or the network resets it.
   * @param {Partial<typeof DEFAULTS>} changes @returns {boolean} whether it was reset
   */
  update(changes) {
    const next = checkConfig({...this.config, ...changes});
    const keep = {lr: this.config.lr, batch_size: this.config.batch_size};
    if (next.init !== "normal") keep.scale = this.config.scale;
    const rebuild = Object.entries({...next, ...keep}).some(([key, value]) => this.config[key] !== value);
    this.config = next;
    if (rebuild) this.reset();
    return rebuild;
  }

  /** Mean cross-entropy on X, y; NaN when the logits are not finite. */
  loss(X, y) {
    const O = forwardInference(this.params, X, this.config.activation);
    return allFinite(O) ? softmaxCrossEntropy(O, y).loss : NaN;
  }

  diverge(snapshot) {
    this.params = snapshot;                               // keep the last finite network on screen
    this.version += 1;
    this.diverged = true;
    this.message = `loss became NaN: the learning rate ${formatG(this.config.lr)} is too large (training diverged). Press reset.`;
  }

  endEpoch(snapshot) {
    this.version += 1;
    const loss = paramsFinite(this.params) ? this.loss(this.X, this.y) : NaN;
    if (!Number.isFinite(loss)) {
      this.diverge(snapshot);
      return;
    }
    this.epochs.push(this.epochs[this.epochs.length - 1] + 1);
    this.losses.push(loss);
    this.testLosses.push(this.loss(this.X_test, this.y_test));
    const start = this.losses[0];
    if (grownTooMuch(start, loss)) {
      this.diverged = true;
      this.message = `loss grew from ${start.toFixed(2)} to ${formatG(loss, 3)}: the learning rate ${formatG(this.config.lr)} ` +
        "is too large (training diverged). Press reset.";
    }
  }

  /** One full-batch gradient descent step on all n points (counts as one epoch). */
  step() {
    if (this.diverged) return;
    const snapshot = copyParams(this.params);
    const {O, caches} = forward(this.params, this.X, this.config.activation);
    if (allFinite(O)) {
      const {dO} = softmaxCrossEntropy(O, this.y);
      sgdStep(this.params, backward(dO, caches), this.config.lr);
    }
    this.endEpoch(snapshot);
  }

  /**
   * One epoch of minibatch SGD (layerwise.train with epochs=1): the rng's permutation of the
   * training points, batch_size at a time. @returns {number} the number of SGD steps taken
   */
  trainEpoch() {
    if (this.diverged) return 0;
    const {activation, lr, batch_size: batchSize} = this.config;
    const snapshot = copyParams(this.params);
    const n = this.X.length, order = this.rng.permutation(n);
    let steps = 0;
    for (let start = 0; start < n; start += batchSize) {
      const idx = order.slice(start, start + batchSize);
      const {O, caches} = forward(this.params, idx.map((i) => this.X[i]), activation);
      let loss = NaN, dO = null;
      if (allFinite(O)) ({loss, dO} = softmaxCrossEntropy(O, idx.map((i) => this.y[i])));
      if (Number.isFinite(loss)) sgdStep(this.params, backward(dO, caches), lr);
      steps += 1;
      if (!Number.isFinite(loss) || !paramsFinite(this.params)) {
        this.diverge(snapshot);
        return steps;
      }
    }
    this.endEpoch(snapshot);
    return steps;
  }

  /** `epochs` epochs of minibatch SGD; stops early when training diverges. */
  trainEpochs(epochs) {
    for (let e = 0; e < epochs && !this.diverged; e++) this.trainEpoch();
  }

  /**
   * The grid's forward pass for the current weights (`gridForward`), recomputed only when they changed.
   * @returns {{version: number, P: Float64Array, H: Float64Array[]}}
   */
  gridValues() {
    const cache = this.gridWork;
    if (cache.version !== this.version) {
      Object.assign(cache, gridForward(this.params, this.grid, this.resolution ** 2, this.config.activation, this.k, cache),
                    {version: this.version});
    }
    return cache;
  }

  /**
   * Everything the explorer draws for the current network (ExplorerStats' fields, camel-cased);
   * `layer` picks the neuron maps. Histories and the neuron maps' arrays are the model's own (the
   * maps are overwritten by the next call), not copies. `grid`: the
   * grid's values to draw (default: this network's, `gridValues()`; while playing, the page may pass
   * those a worker computed for the weights of a frame before).
   */
  stats(layer = 1, grid = this.gridValues()) {
    const c = this.config;
    const {O, caches} = forward(this.params, this.X, c.activation);
    const Hs = caches.slice(1).map((cache) => cache.H);               // H^(1..L-1), inputs of layers 2..L
    const dZs = [], dWNorms = new Array(caches.length).fill(0);
    let loss = NaN;
    if (allFinite(O)) {
      const out = softmaxCrossEntropy(O, this.y);
      loss = out.loss;
      backward(out.dO, caches, (l, dZ, dW) => {
        dZs[l - 1] = dZ;
        let s = 0;
        for (const row of dW) for (const v of row) s += v * v;
        dWNorms[l - 1] = Math.sqrt(s);                                // ‖dW^(l)‖
      });
    } else {
      for (let l = 0; l < caches.length; l++) dZs[l] = [[0]];
    }
    const [lo, hi] = activationRange(c.activation, Hs);
    const HEdges = linspace(lo, hi, H_BINS + 1);
    const dZEdges = linspace(DZ_LOG_RANGE[0], DZ_LOG_RANGE[1], DZ_BINS + 1);
    const chosen = Math.min(Math.max(Math.round(layer), 1), c.depth);
    let neuronMaps = null, neuronRange = [lo, hi];
    if (c.width <= NEURON_MAP_MAX_WIDTH) {
      const Hg = grid.H[chosen], res2 = this.resolution ** 2, width = c.width;   // H^(layer) on the grid
      if (this.maps?.length !== width || this.maps[0].length !== res2) {       // reused: no garbage per frame
        this.maps = Array.from({length: width}, () => new Float64Array(res2));
      }
      neuronMaps = this.maps;
      let top = -Infinity;
      for (let i = 0; i < res2; i++) {
        for (let j = 0; j < width; j++) {
          let v = Hg[i * width + j];
          v = Number.isNaN(v) ? 0 : Math.min(Math.max(v, -Number.MAX_VALUE), Number.MAX_VALUE);   // numpy.nan_to_num
          neuronMaps[j][i] = v;
          top = Math.max(top, v);
        }
      }
      if (c.activation === "relu") neuronRange = [0, niceCeiling(top)];
    }
    let correct = 0;
    O.forEach((row, i) => { if (argmax(row) === this.y[i]) correct += 1; });
    const stuck = dWNorms.every((v) => v === 0) ? "every gradient dW is exactly 0 (all ReLU units are dead): training cannot move" : "";
    return {
      config: c, X: this.X, y: this.y, X_test: this.X_test, y_test: this.y_test, extent: this.extent,
      resolution: this.resolution, k: this.k, P: grid.P,
      HEdges, HCounts: Hs.map((H) => fractionHistogram(H, HEdges)),
      dZEdges, dZCounts: dZs.map((dZ) => fractionHistogram(dZ, dZEdges, logAbs)),
      dWNorms, loss, accuracy: correct / this.X.length, testLoss: this.loss(this.X_test, this.y_test),
      epochs: this.epochs, losses: this.losses, testLosses: this.testLosses, layer: chosen,
      neuronMaps, neuronRange, weights: this.params.map(([W]) => W),
      diverged: this.diverged, stuck: stuck !== "", message: this.message || stuck,
    };
  }
}
