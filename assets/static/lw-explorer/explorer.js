// The live network explorer of the website: wires the controls and panels that
// code/layerwise/explorer_web.py writes into a page to an ExplorerModel (explorer_model.js), and
// trains while "Play" is on, one epoch of minibatch SGD per animation frame.
//
// Loaded as an ES module only by pages that contain a `div.lw-live-explorer` (tools/site_tweaks.py).
// Stable hooks, with ROOT = div.lw-live-explorer (documented in explorer_web.py as well):
//   ROOT [data-control=<name>]    dataset, noise, width, depth, activation, init, scale, lr,
//                                 batch_size, seed, layer; typed values are clamped into min..max
//                                 with a note in ROOT .lw-note[data-for=<name>]
//   ROOT [data-action=play|step|reset]
//   ROOT .lw-epoch, ROOT .lw-loss[data-split=train|test], ROOT .lw-status (messages)
//   ROOT .lw-panel[data-panel=<name>] canvas; ROOT gets the class "lw-running" once this runs.
// window.layerwiseJS exposes the math (network.js), the datasets, the generators and the model,
// and `explorers`: the running explorers (their `frames` log the milliseconds of each frame while
// playing: train, grid (the grid's forward pass when the frame computes it, part of draw), draw, total,
// the SGD steps, and how many epochs (weight versions) the drawn grid is `behind`, with the worker's `workerMs`).

import * as network from "./network.js";
import * as data from "./data.js";
import {makeRng, replayRng} from "./random.js";
import * as model from "./explorer_model.js";
import {themeColors} from "./panels/canvas.js";
import {drawSurface} from "./panels/surface.js";
import {drawLoss} from "./panels/loss_chart.js";
import {drawNetwork} from "./panels/network_diagram.js";
import {drawRidges} from "./panels/layer_histograms.js";
import {drawGradientNorms} from "./panels/gradient_norms.js";
import {drawNeuronMaps} from "./panels/neuron_maps.js";

const INTEGER = new Set(["width", "depth", "batch_size", "seed", "layer"]);

/** Each panel: how it draws a stats object `s` on its canvas. */
const PANELS = {
  surface: drawSurface,
  loss: drawLoss,
  network: drawNetwork,
  activations: (canvas, s, theme) => {
    const [lo, hi] = [s.HEdges[0], s.HEdges[s.HEdges.length - 1]];
    const ticks = [lo, (lo + hi) / 2, hi].map((value) => ({value, label: String(Number(value.toPrecision(3)))}));
    drawRidges(canvas, {counts: s.HCounts, edges: s.HEdges, L: s.config.depth + 1, color: theme.forward, ticks,
                        title: "H⁽ˡ⁾ = σ(Z⁽ˡ⁾)  (row L: O has no σ)", labelTop: false}, theme);
  },
  dZ: (canvas, s, theme) => {
    const ticks = [-12, -8, -4, 0].map((value) => ({value, label: String(value)}));
    drawRidges(canvas, {counts: s.dZCounts, edges: s.dZEdges, L: s.config.depth + 1, color: theme.backward, ticks,
                        title: "log₁₀ |dZ⁽ˡ⁾|", labelTop: true}, theme);
  },
  dW: drawGradientNorms,
  neurons: drawNeuronMaps,
};

/** Index of the value nearest to x (on a log scale when all are positive: the learning rate's slider). */
function nearest(values, x) {
  const distance = values.every((v) => v > 0) && x > 0 ? (v) => Math.abs(Math.log(v / x)) : (v) => Math.abs(v - x);
  return values.reduce((best, v, i) => (distance(v) < distance(values[best]) ? i : best), 0);
}

/** The explorer of one `div.lw-live-explorer`. */
class LiveExplorer {
  /** @param {HTMLElement} root */
  constructor(root) {
    this.root = root;
    const settings = JSON.parse(root.dataset.settings);
    this.model = new model.ExplorerModel(settings, {resolution: Number(root.dataset.resolution) || 100});
    this.layer = 1;
    this.playing = false;
    this.frames = [];                      // the work of each frame while playing (see the header)
    this.visible = new Set();
    this.controls = Object.fromEntries([...root.querySelectorAll("[data-control]")].map((c) => [c.dataset.control, c]));
    this.sliders = Object.fromEntries([...root.querySelectorAll("[data-slider-for]")].map((c) => [c.dataset.sliderFor, c]));
    this.panels = [...root.querySelectorAll(".lw-panel")].map((figure) => ({
      name: figure.dataset.panel, figure, canvas: figure.querySelector("canvas")}));
    this.out = {
      epoch: root.querySelector(".lw-epoch"), status: root.querySelector(".lw-status"),
      train: root.querySelector('.lw-loss[data-split="train"]'), test: root.querySelector('.lw-loss[data-split="test"]'),
      play: root.querySelector('[data-action="play"]'),
    };
    this.wire();
    this.worker = undefined;                 // made on the first Play: a page that is only read loads no worker
    root.querySelector(".lw-fallback").hidden = true;
    root.querySelector(".lw-live").hidden = false;
    root.classList.add("lw-running");
    this.theme = themeColors(root);
    this.watch();
    this.syncControls();
    this.draw();
  }

  wire() {
    for (const [name, control] of Object.entries(this.controls)) {
      control.addEventListener("change", () => this.set(name, control.value));
    }
    for (const [name, slider] of Object.entries(this.sliders)) {
      slider.addEventListener("input", () => this.set(name, slider.dataset.values.split(",")[Number(slider.value)]));
    }
    this.root.querySelector('[data-action="play"]').addEventListener("click", () => (this.playing ? this.pause() : this.play()));
    this.root.querySelector('[data-action="step"]').addEventListener("click", () => {
      this.pause();
      this.model.step();
      this.draw();
    });
    this.root.querySelector('[data-action="reset"]').addEventListener("click", () => {
      this.pause();
      this.model.reset();
      this.draw();
    });
  }

  /**
   * The grid's forward pass in a Web Worker (grid_worker.js) while playing, so that a frame's time goes
   * to training and drawing; without workers the frame computes the grid itself.
   */
  startWorker() {
    this.worker = null;
    this.workerGrid = null;                  // the newest grid the worker finished: {start, version, P, H, ms}, H[layer] only
    this.workerBusy = false;
    this.workerStart = 0;                    // the model start whose grid points the worker holds
    try {
      this.worker = new Worker(new URL("./grid_worker.js", import.meta.url), {type: "module"});
    } catch (error) {
      return;
    }
    this.worker.onmessage = ({data}) => {
      this.workerBusy = false;
      if (data.start !== this.model.starts) return;          // for a network that is gone
      const H = [];
      H[data.layer] = data.Hl;                                 // the one layer the neuron maps need
      this.workerGrid = {start: data.start, version: data.version, P: data.P, H, ms: data.ms};
    };
    this.worker.onerror = () => {
      this.worker = null;                    // e.g. no module workers: the frame computes the grid itself
    };
  }

  /** The grid to draw while playing: ask the worker for this frame's, draw the newest it has finished. */
  playingGrid() {
    const m = this.model;
    if (!this.worker) return m.gridValues();
    if (!this.workerBusy) {
      const message = {start: m.starts, version: m.version, params: m.params, activation: m.config.activation,
                       k: m.k, n: m.resolution ** 2, layer: m.config.width <= model.NEURON_MAP_MAX_WIDTH ? this.layer : 0};
      if (this.workerStart !== m.starts) message.grid = m.grid;
      this.worker.postMessage(message);
      this.workerStart = m.starts;
      this.workerBusy = true;
    }
    const done = this.workerGrid, mapped = m.config.width > model.NEURON_MAP_MAX_WIDTH || done?.H[this.layer];
    return done && done.start === m.starts && mapped ? done : m.gridValues();   // a new network or layer: here
  }

  /** Redraw when the theme, the size or the visible part of the explorer changes. */
  watch() {
    new MutationObserver(() => {
      this.theme = themeColors(this.root);
      this.requestDraw();
    }).observe(document.documentElement, {attributes: true, attributeFilter: ["data-theme", "data-mode"]});
    let width = 0;
    new ResizeObserver(([entry]) => {
      if (Math.abs(entry.contentRect.width - width) < 1) return;
      width = entry.contentRect.width;
      this.requestDraw();
    }).observe(this.root.querySelector(".lw-panels"));
    const seen = new IntersectionObserver((entries) => {
      for (const e of entries) {
        const panel = this.panels.find((p) => p.figure === e.target);
        if (e.isIntersecting) this.visible.add(panel); else this.visible.delete(panel);
      }
      this.requestDraw();
    });
    for (const p of this.panels) {
      seen.observe(p.figure);
      this.visible.add(p);                 // until the observer reports: draw everything once
    }
  }

  /**
   * A control's new value: numbers are checked, rounded where whole numbers are meant and clamped
   * into the control's min..max, with a note that says what was changed.
   */
  set(name, raw) {
    const control = this.controls[name];
    let value = raw, note = "";
    if (control.type === "number") {
      const current = name === "layer" ? this.layer : this.model.config[name];
      value = Number(String(raw).trim());
      if (String(raw).trim() === "" || !Number.isFinite(value)) {
        this.note(name, `“${raw}” is not a number: kept ${current}.`);
        this.syncControls();
        return;
      }
      if (INTEGER.has(name) && !Number.isInteger(value)) {
        note = `${value} is not a whole number: rounded to ${Math.round(value)}. `;
        value = Math.round(value);
      }
      const lo = Number(control.min), hi = Number(control.max);
      if (value < lo || value > hi) {
        const clamped = Math.min(Math.max(value, lo), hi);
        note += `${value} is ${value < lo ? "below the smallest" : "above the largest"} value (${value < lo ? lo : hi}): set to ${clamped}.`;
        value = clamped;
      }
    }
    this.note(name, note);
    if (name === "layer") {
      this.layer = value;
    } else {
      this.model.update({[name]: value});
      this.layer = Math.min(this.layer, this.model.config.depth);
    }
    this.syncControls();
    this.draw();
  }

  note(name, text) {
    const el = this.root.querySelector(`.lw-note[data-for="${name}"]`);
    if (el) el.textContent = text;
  }

  /** Show the model's settings in the controls (after clamping, or a change of depth). */
  syncControls() {
    const config = {...this.model.config, layer: this.layer};
    if (this.controls.layer) this.controls.layer.max = String(config.depth);
    if (this.sliders.layer) {
      this.sliders.layer.max = String(config.depth - 1);
      this.sliders.layer.dataset.values = Array.from({length: config.depth}, (_, i) => i + 1).join(",");
    }
    for (const [name, control] of Object.entries(this.controls)) {
      if (String(control.value) !== String(config[name]) && Number(control.value) !== config[name]) control.value = String(config[name]);
      const slider = this.sliders[name];
      if (slider) {
        slider.value = String(nearest(slider.dataset.values.split(",").map(Number), config[name]));
        slider.setAttribute("aria-valuetext", String(config[name]));
      }
    }
    const normal = config.init === "normal";
    for (const el of [this.controls.scale, this.sliders.scale]) if (el) el.disabled = !normal;
  }

  play() {
    if (this.model.diverged) return;
    if (this.worker === undefined) this.startWorker();
    this.playing = true;
    this.out.play.setAttribute("aria-pressed", "true");
    this.out.play.textContent = "❚❚ Pause";
    const frame = () => {
      if (!this.playing) return;
      const t0 = performance.now();
      const steps = this.model.trainEpoch();
      const t1 = performance.now();
      const grid = this.playingGrid();       // computed here only when no worker has one for this network
      const t2 = performance.now();
      this.draw(grid);
      const t3 = performance.now();
      this.frames.push({train: t1 - t0, grid: t2 - t1, draw: t3 - t1, total: t3 - t0, steps,
                        behind: this.model.version - grid.version, workerMs: grid.ms ?? null});
      if (this.frames.length > 2000) this.frames.splice(0, 1000);
      if (this.model.diverged || this.stats.stuck) this.pause();     // nothing more to learn: say why and stop
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  pause() {
    const was = this.playing;
    this.playing = false;
    this.out.play.setAttribute("aria-pressed", "false");
    this.out.play.textContent = "▶ Play";
    if (was) this.requestDraw();            // panels that were off screen while playing catch up
  }

  requestDraw() {
    if (this.pending || this.playing) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      this.draw();
    });
  }

  /**
   * Recompute the statistics and redraw the readouts and the panels (while playing: the visible ones).
   * @param {object} [grid] the grid's values to draw (default: computed for the current weights)
   */
  draw(grid = undefined) {
    const s = this.model.stats(this.layer, grid);
    for (const panel of this.panels) {
      if (!this.playing || this.visible.has(panel)) PANELS[panel.name](panel.canvas, s, this.theme);
    }
    const last = (list) => list[list.length - 1];
    this.out.epoch.textContent = String(last(s.epochs));
    this.out.train.textContent = Number.isFinite(last(s.losses)) ? last(s.losses).toFixed(3) : "–";
    this.out.test.textContent = Number.isFinite(last(s.testLosses)) ? last(s.testLosses).toFixed(3) : "–";
    if (this.out.status.textContent !== s.message) this.out.status.textContent = s.message;
    this.root.classList.toggle("lw-diverged", s.diverged);
    this.stats = s;
  }
}

window.layerwiseJS = {
  ...network, ...data, makeRng, replayRng, ...model, explorers: [],
};
for (const root of document.querySelectorAll("div.lw-live-explorer")) {
  try {
    window.layerwiseJS.explorers.push(new LiveExplorer(root));
  } catch (error) {
    console.error("layerwise explorer:", error);     // the picture stays, and the test sees the error
  }
}
