// One small map per neuron j of the chosen layer: its output H^(l)_j over the input plane, in the
// colours of layerwise.plots.explorer (blue-white-red for tanh, viridis otherwise).

import {font, FONT_PX, prepare, rgb, short} from "./canvas.js";
import {NEURON_MAP_MAX_WIDTH} from "../explorer_model.js";

// Nine samples of matplotlib's colour maps (colormaps[name](linspace(0, 1, 9))), interpolated linearly.
const MAPS = {
  viridis: ["#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725"],
  RdBu_r: ["#053061", "#2a71b2", "#6bacd1", "#c2ddec", "#f7f6f6", "#fbccb4", "#e48066", "#ba2832", "#67001f"],
};
const tables = {};

/** 256 RGB triples of a colour map. */
function table(name) {
  if (!tables[name]) {
    const anchors = MAPS[name].map(rgb), out = new Uint8ClampedArray(256 * 3);
    for (let i = 0; i < 256; i++) {
      const t = (i / 255) * (anchors.length - 1), a = Math.min(Math.floor(t), anchors.length - 2), f = t - a;
      for (let ch = 0; ch < 3; ch++) out[i * 3 + ch] = anchors[a][ch] + f * (anchors[a + 1][ch] - anchors[a][ch]);
    }
    tables[name] = out;
  }
  return tables[name];
}

const scratch = new WeakMap();

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{neuronMaps: Float64Array[]|null, neuronRange: number[], resolution: number, layer: number,
 *          config: {activation: string, width: number}}} s stats: maps (width, res²) row by row from the bottom
 * @param {ReturnType<import("./canvas.js").themeColors>} theme
 */
export function drawNeuronMaps(canvas, s, theme) {
  const maps = s.neuronMaps;
  const width = canvas.clientWidth || 300;
  const perRow = Math.min(maps ? maps.length : 1, width < 420 ? 4 : 8);
  const gap = 6, tile = Math.min(96, (width - gap * (perRow - 1)) / perRow);
  const rowsOfTiles = maps ? Math.ceil(maps.length / perRow) : 0;
  const {ctx, w} = prepare(canvas, FONT_PX + 10 + rowsOfTiles * (tile + gap + FONT_PX + 2) + 4);
  ctx.font = font();
  ctx.fillStyle = theme.fg;
  ctx.textBaseline = "top";
  ctx.textAlign = "left";
  if (!maps) {
    ctx.fillText(`Maps of single neurons are drawn for widths up to ${NEURON_MAP_MAX_WIDTH}.`, 0, 2);
    return;
  }
  const [lo, hi] = s.neuronRange;
  const name = s.config.activation === "tanh" ? "RdBu_r" : "viridis";
  ctx.fillText(`layer ${s.layer}: colours from ${short(lo)} (${name === "RdBu_r" ? "blue" : "purple"}) to ${short(hi)} ` +
               `(${name === "RdBu_r" ? "red" : "yellow"})`, 0, 2, w);
  // A tile has fewer screen pixels than the grid has points: every second point is enough (a quarter of the work).
  const res = s.resolution, every = tile * (window.devicePixelRatio || 1) < res ? 2 : 1;
  const side = Math.ceil(res / every), lut = table(name);
  let off = scratch.get(canvas);
  if (!off || off.width !== side) {
    off = document.createElement("canvas");
    off.width = off.height = side;
    scratch.set(canvas, off);
  }
  const octx = off.getContext("2d"), image = octx.createImageData(side, side);
  ctx.imageSmoothingEnabled = true;
  maps.forEach((map, j) => {
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        const t = (map[r * every * res + c * every] - lo) / (hi - lo || 1);
        const i = 3 * Math.round(255 * Math.min(Math.max(t, 0), 1)), q = 4 * ((side - 1 - r) * side + c);
        image.data[q] = lut[i];
        image.data[q + 1] = lut[i + 1];
        image.data[q + 2] = lut[i + 2];
        image.data[q + 3] = 255;
      }
    }
    octx.putImageData(image, 0, 0);
    const x = (j % perRow) * (tile + gap), y = FONT_PX + 10 + Math.floor(j / perRow) * (tile + gap + FONT_PX + 2);
    ctx.drawImage(off, x, y, tile, tile);
    ctx.fillStyle = theme.fg;
    ctx.textAlign = "center";
    ctx.fillText(`j = ${j + 1}`, x + tile / 2, y + tile + 2);
  });
}
