// The loss curves: the training loss (solid) and the test loss (dashed) after every epoch.

import {drawXAxis, font, FONT_PX, prepare, short} from "./canvas.js";
import {niceCeiling} from "../explorer_model.js";

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{epochs: number[], losses: number[], testLosses: number[]}} s stats
 * @param {ReturnType<import("./canvas.js").themeColors>} theme
 */
export function drawLoss(canvas, s, theme) {
  const {ctx, w, h} = prepare(canvas, 200);
  const left = 44, right = w - 10, top = 10, bottom = h - 2 * FONT_PX - 14;
  const finite = [...s.losses, ...s.testLosses].filter(Number.isFinite);
  const yTop = niceCeiling(Math.max(...finite, 0.1));
  const last = s.epochs[s.epochs.length - 1];
  const xRight = niceCeiling(Math.max(last, 10));
  const px = (e) => left + (e / xRight) * (right - left);
  const py = (v) => bottom - (Math.min(v, yTop) / yTop) * (bottom - top);
  drawXAxis(ctx, {left, right, y: bottom}, [{x: left, label: "0"}, {x: right, label: String(xRight)}], "epoch", theme);
  ctx.strokeStyle = theme.muted;
  ctx.beginPath();
  ctx.moveTo(left - 0.5, top);
  ctx.lineTo(left - 0.5, bottom);
  ctx.stroke();
  ctx.fillStyle = theme.fg;
  ctx.font = font();
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  ctx.fillText(short(yTop), left - 5, top + 4);
  ctx.fillText("0", left - 5, bottom - 4);
  ctx.save();
  ctx.translate(12, (top + bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = "center";
  ctx.fillText("loss", 0, 0);
  ctx.restore();
  const curve = (values, color, dash) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.setLineDash(dash);
    ctx.beginPath();
    let drawing = false;
    values.forEach((v, i) => {
      if (!Number.isFinite(v)) { drawing = false; return; }
      if (drawing) ctx.lineTo(px(s.epochs[i]), py(v));
      else ctx.moveTo(px(s.epochs[i]), py(v));
      drawing = true;
    });
    ctx.stroke();
    ctx.setLineDash([]);
  };
  curve(s.testLosses, theme.test, [6, 4]);
  curve(s.losses, theme.train, []);
  const legend = [["training", theme.train, []], ["test", theme.test, [6, 4]]];
  ctx.textAlign = "left";
  legend.forEach(([label, color, dash], i) => {
    const y = top + 8 + i * (FONT_PX + 6), x = right - 96;
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.setLineDash(dash);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + 24, y);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = theme.fg;
    ctx.fillText(label, x + 30, y);
  });
}
