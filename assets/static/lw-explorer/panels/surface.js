// The decision surface: the input plane coloured by softmax(O) mixed from the class colours (as
// layerwise.plots.explorer.probability_colors, towards the page's background instead of white),
// with the training points (circles) and the test points (triangles).

import {prepare, rgb} from "./canvas.js";

const ALPHA = 0.55;               // how strongly class probabilities tint the surface (SURFACE_ALPHA)
const images = new WeakMap();     // canvas -> offscreen canvas holding the res × res surface

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{P: Float64Array, resolution: number, k: number, extent: number[], X: number[][], y: number[],
 *          X_test: number[][], y_test: number[]}} s stats: P (res²·k,) row-major, grid rows from the bottom
 * @param {ReturnType<import("./canvas.js").themeColors>} theme
 */
export function drawSurface(canvas, s, theme) {
  const size = Math.min(canvas.clientWidth || 300, 420);
  const {ctx, w, h} = prepare(canvas, size);
  const res = s.resolution;
  let off = images.get(canvas);
  if (!off || off.width !== res) {
    off = document.createElement("canvas");
    off.width = off.height = res;
    images.set(canvas, off);
  }
  const octx = off.getContext("2d");
  const image = octx.createImageData(res, res);
  const base = rgb(theme.bg);
  const k = s.k, colors = theme.classes.slice(0, k).map(rgb), P = s.P;
  for (let r = 0; r < res; r++) {
    const out = (res - 1 - r) * res * 4;                    // grid row 0 is the bottom of the picture
    for (let c = 0; c < res; c++) {
      const p = (r * res + c) * k;
      let q = out + c * 4;
      for (let ch = 0; ch < 3; ch++) {
        let mixed = 0;
        for (let j = 0; j < k; j++) mixed += P[p + j] * colors[j][ch];
        image.data[q++] = base[ch] + ALPHA * (mixed - base[ch]);
      }
      image.data[q] = 255;
    }
  }
  octx.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, 0, 0, w, h);
  const [x0, x1, y0, y1] = s.extent;
  const px = (x) => ((x - x0) / (x1 - x0)) * w;
  const py = (y) => h - ((y - y0) / (y1 - y0)) * h;
  ctx.lineWidth = 1;
  for (let label = 0; label < s.k; label++) {              // one path per class and kind: fast to fill
    ctx.fillStyle = theme.classes[label];
    ctx.strokeStyle = theme.bg;
    ctx.beginPath();
    s.X.forEach(([a, b], i) => {
      if (s.y[i] !== label) return;
      ctx.moveTo(px(a) + 3, py(b));
      ctx.arc(px(a), py(b), 3, 0, 2 * Math.PI);
    });
    ctx.fill();
    ctx.stroke();
    ctx.strokeStyle = theme.fg;
    ctx.beginPath();
    s.X_test.forEach(([a, b], i) => {
      if (s.y_test[i] !== label) return;
      const cx = px(a), cy = py(b);
      ctx.moveTo(cx, cy - 4.5);
      ctx.lineTo(cx + 4, cy + 3);
      ctx.lineTo(cx - 4, cy + 3);
      ctx.closePath();
    });
    ctx.fill();
    ctx.stroke();
  }
  ctx.strokeStyle = theme.muted;
  ctx.strokeRect(0.5, 0.5, w - 1, h - 1);
}
