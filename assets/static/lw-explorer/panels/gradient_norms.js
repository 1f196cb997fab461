// The gradient norm ‖dW^(l)‖ of every layer on a log scale, layer 1 at the bottom, each dot labelled
// with its value: vanishing gradients are dots that run off to the left as the layers go down.

import {drawLayerLabels, drawXAxis, font, FONT_PX, layerRows, powerOfTen, prepare, short} from "./canvas.js";
import {FLOOR} from "../explorer_model.js";
import {HEIGHT} from "./layer_histograms.js";

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{dWNorms: number[]}} s stats: ‖dW^(l)‖ for l = 1..L (zeros allowed: drawn at FLOOR)
 * @param {ReturnType<import("./canvas.js").themeColors>} theme
 */
export function drawGradientNorms(canvas, s, theme) {
  const {ctx, w, h} = prepare(canvas, HEIGHT);
  const L = s.dWNorms.length;
  const left = 28, right = w - 12, top = 8, bottom = h - 2 * FONT_PX - 14;
  const shown = s.dWNorms.map((v) => Math.max(v, FLOOR));
  const lo = Math.log10(FLOOR) - 1;                                  // as the Python: from FLOOR/10
  const hi = Math.max(3, Math.ceil(Math.log10(Math.max(...shown))));
  const px = (v) => left + ((Math.log10(v) - lo) / (hi - lo)) * (right - left);
  const rows = layerRows(L, top, bottom);
  const step = (hi - lo) / 4 > 3 ? 4 : 2;                             // about five labelled decades
  const ticks = [];
  for (let k = Math.ceil(lo / step) * step; k <= hi; k += step) ticks.push({x: px(10 ** k), label: powerOfTen(k)});
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  for (let k = Math.ceil(lo); k <= hi; k++) {
    const x = Math.round(px(10 ** k)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, bottom);
    ctx.stroke();
  }
  const floorX = px(FLOOR);
  ctx.setLineDash([3, 3]);
  ctx.strokeStyle = theme.muted;
  ctx.beginPath();
  ctx.moveTo(floorX, top);
  ctx.lineTo(floorX, bottom);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.strokeStyle = theme.backward;
  ctx.lineWidth = 2;
  ctx.beginPath();
  shown.forEach((v, i) => (i ? ctx.lineTo(px(v), rows(i + 1).middle) : ctx.moveTo(px(v), rows(i + 1).middle)));
  ctx.stroke();
  ctx.font = font();
  ctx.textBaseline = "middle";
  shown.forEach((v, i) => {
    const x = px(v), y = rows(i + 1).middle;
    ctx.fillStyle = s.dWNorms[i] < FLOOR ? theme.bg : theme.backward;   // hollow: at or below the floor
    ctx.strokeStyle = theme.backward;
    ctx.beginPath();
    ctx.arc(x, y, 5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
    const text = s.dWNorms[i] === 0 ? "0" : short(s.dWNorms[i]);
    const width = ctx.measureText(text).width;
    const onRight = x + 9 + width <= right;
    ctx.fillStyle = theme.fg;
    ctx.textAlign = onRight ? "left" : "right";
    ctx.fillText(text, onRight ? x + 9 : x - 9, y - (L > 6 ? 0 : 1));
  });
  drawLayerLabels(ctx, rows, L, left - 8, theme);
  drawXAxis(ctx, {left, right, y: bottom}, ticks, "‖dW⁽ˡ⁾‖, log scale (dashed: 10⁻¹²)", theme);
}
