// The network as a diagram: one column of neurons per layer (the inputs x1, x2 on the left, the
// logits O on the right), one line per weight w = W^(l)_kj, its width proportional to |w| (relative
// to the largest |w|), blue and solid where w > 0, red and dashed where w < 0 (sign is shown by
// pattern as well as colour). As layerwise.plots.explorer.network_layout / weight_segments.

import {font, FONT_PX, prepare, short} from "./canvas.js";

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{weights: number[][][], layer: number}} s stats: weights[l-1] = W^(l) (fan_in, fan_out)
 * @param {ReturnType<import("./canvas.js").themeColors>} theme
 */
export function drawNetwork(canvas, s, theme) {
  const {ctx, w, h} = prepare(canvas, 260);
  const sizes = [s.weights[0].length, ...s.weights.map((W) => W[0].length)];
  const L = sizes.length - 1, tallest = Math.max(...sizes);
  const left = 16, right = w - 16, top = 12, bottom = h - FONT_PX - 26;
  const spacing = (bottom - top) / tallest;
  const node = (l, j) => [left + (l / L) * (right - left), (top + bottom) / 2 + (j - (sizes[l] - 1) / 2) * spacing];
  let largest = 0;
  for (const W of s.weights) for (const row of W) for (const v of row) largest = Math.max(largest, Math.abs(v));
  // Negative and positive weights in two passes: one dash setting each, small weights first.
  for (const positive of [false, true]) {
    ctx.strokeStyle = positive ? theme.positive : theme.negative;
    ctx.setLineDash(positive ? [] : [5, 3]);
    s.weights.forEach((W, l) => {
      W.forEach((row, k) => row.forEach((v, j) => {
        if ((v > 0) !== positive || v === 0) return;
        const [x0, y0] = node(l, k), [x1, y1] = node(l + 1, j);
        ctx.lineWidth = 0.4 + 3.6 * (largest > 0 ? Math.abs(v) / largest : 0);
        ctx.beginPath();
        ctx.moveTo(x0, y0);
        ctx.lineTo(x1, y1);
        ctx.stroke();
      }));
    });
  }
  ctx.setLineDash([]);
  const radius = Math.max(2.5, Math.min(6, spacing / 3));
  sizes.forEach((size, l) => {
    for (let j = 0; j < size; j++) {
      const [x, y] = node(l, j);
      ctx.beginPath();
      ctx.arc(x, y, radius, 0, 2 * Math.PI);
      ctx.fillStyle = l === s.layer ? theme.highlight : theme.bg;
      ctx.fill();
      ctx.lineWidth = 1.2;
      ctx.strokeStyle = theme.fg;
      ctx.stroke();
    }
  });
  ctx.font = font();
  ctx.fillStyle = theme.fg;
  ctx.textBaseline = "top";
  sizes.forEach((_, l) => {
    const label = l === 0 ? "X" : l === L ? "O" : String(l);
    ctx.textAlign = l === 0 ? "left" : l === L ? "right" : "center";
    ctx.fillText(label, node(l, 0)[0] + (l === 0 ? -6 : l === L ? 6 : 0), bottom + 6);
  });
  ctx.textAlign = "left";
  ctx.fillText(`largest |w| = ${short(largest)}; filled: the layer of the neuron maps`, 0, bottom + 6 + FONT_PX + 4, w);
}
