// Histograms of one quantity per layer, stacked like a ridge plot: layer 1 at the bottom, every
// layer's row the same height, each histogram scaled to its own tallest bin (as
// layerwise.plots.explorer.ridge_heights). Used for H^(l) (forward) and log10 |dZ^(l)| (backward).

import {drawLayerLabels, drawXAxis, FONT_PX, layerRows, prepare} from "./canvas.js";

const RIDGE = 0.85;               // a histogram fills this fraction of its row
/** Height of the per-layer panels in CSS px, whatever the depth, so that the page does not jump (9 rows at depth 8). */
export const HEIGHT = 300;

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{counts: number[][], edges: number[], L: number, color: string, ticks: {value: number, label: string}[],
 *          title: string, labelTop: boolean}} d counts[l-1] (bins,) for l = 1..counts.length, edges (bins + 1,)
 * @param {ReturnType<import("./canvas.js").themeColors>} theme
 */
export function drawRidges(canvas, d, theme) {
  const {ctx, w, h} = prepare(canvas, HEIGHT);
  const left = 28, right = w - 12, top = 8, bottom = h - 2 * FONT_PX - 14;
  const lo = d.edges[0], hi = d.edges[d.edges.length - 1];
  const px = (v) => left + ((v - lo) / (hi - lo)) * (right - left);
  const rows = layerRows(d.L, top, bottom);
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  for (const {value} of d.ticks) {
    ctx.beginPath();
    ctx.moveTo(Math.round(px(value)) + 0.5, top);
    ctx.lineTo(Math.round(px(value)) + 0.5, bottom);
    ctx.stroke();
  }
  d.counts.forEach((counts, i) => {
    const row = rows(i + 1);
    const tallest = Math.max(...counts);
    const height = (c) => (tallest > 0 ? (c / tallest) * RIDGE * (row.bottom - row.top) : 0);
    ctx.fillStyle = d.color;
    ctx.globalAlpha = 0.8;
    ctx.beginPath();
    ctx.moveTo(px(d.edges[0]), row.bottom);
    counts.forEach((c, b) => {
      ctx.lineTo(px(d.edges[b]), row.bottom - height(c));
      ctx.lineTo(px(d.edges[b + 1]), row.bottom - height(c));
    });
    ctx.lineTo(px(d.edges[counts.length]), row.bottom);
    ctx.closePath();
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.strokeStyle = theme.grid;
    ctx.beginPath();
    ctx.moveTo(left, Math.round(row.bottom) + 0.5);
    ctx.lineTo(right, Math.round(row.bottom) + 0.5);
    ctx.stroke();
  });
  drawLayerLabels(ctx, rows, d.L, left - 8, theme, {labelTop: d.labelTop});
  drawXAxis(ctx, {left, right, y: bottom}, d.ticks.map(({value, label}) => ({x: px(value), label})), d.title, theme);
}
