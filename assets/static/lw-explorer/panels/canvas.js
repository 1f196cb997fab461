// What every panel of the live explorer shares: a canvas sized to its box at the screen's pixel
// density, the theme's colours (read from CSS custom properties, so light and dark both work), fonts
// and number formats. Text is drawn at 12 CSS px or more, legible on a phone.

/** The size of canvas text, in CSS px (legible on a phone). */
export const FONT_PX = 12;

/** A CSS font string for canvas text. @param {number} [px] @param {string} [weight] */
export function font(px = FONT_PX, weight = "") {
  return `${weight} ${px}px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif`.trim();
}

/**
 * Size a canvas to its CSS width and the given CSS height, at devicePixelRatio, and return a
 * context that draws in CSS pixels. @param {HTMLCanvasElement} canvas @param {number} height CSS px
 * @returns {{ctx: CanvasRenderingContext2D, w: number, h: number}}
 */
export function prepare(canvas, height) {
  const w = Math.max(1, Math.round(canvas.clientWidth || canvas.parentElement.clientWidth));
  const h = Math.round(height);
  const ratio = Math.min(window.devicePixelRatio || 1, 3);
  if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
    canvas.style.height = `${h}px`;
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return {ctx, w, h};
}

/** "#rrggbb" or "rgb(r, g, b)" -> [r, g, b] in 0..255. */
export function rgb(color) {
  const c = color.trim();
  if (c.startsWith("#")) {
    const hex = c.length === 4 ? [...c.slice(1)].map((d) => d + d).join("") : c.slice(1, 7);
    return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  }
  const m = c.match(/[\d.]+/g);
  return m ? m.slice(0, 3).map(Number) : [0, 0, 0];
}

/**
 * The colours of the explorer, from the CSS custom properties on `element` (explorer.css sets them
 * for the light and the dark theme). @param {Element} element
 */
export function themeColors(element) {
  const style = getComputedStyle(element);
  const get = (name) => style.getPropertyValue(name).trim();
  return {
    fg: get("--lw-fg"), muted: get("--lw-muted"), bg: get("--lw-bg"), grid: get("--lw-grid"),
    classes: [0, 1, 2, 3, 4].map((i) => get(`--lw-class-${i}`)),
    positive: get("--lw-positive"), negative: get("--lw-negative"),
    forward: get("--lw-forward"), backward: get("--lw-backward"),
    train: get("--lw-train"), test: get("--lw-test"), highlight: get("--lw-highlight"),
  };
}

/** A short label for a number: 3 significant digits, exponent form when very small or large. */
export function short(x) {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e4) return String(Number(x.toPrecision(3)));
  return x.toExponential(1).replace("e+", "e");
}

/** 10^k written with a superscript exponent, e.g. "10⁻¹²". */
export function powerOfTen(k) {
  const sup = {"-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹"};
  return "10" + [...String(k)].map((ch) => sup[ch]).join("");
}

/**
 * Where the rows of layers 1..L sit in a panel: layer 1 at the bottom, every row the same height.
 * @returns {(l: number) => {top: number, bottom: number, middle: number}}
 */
export function layerRows(L, top, bottom) {
  const h = (bottom - top) / L;
  return (l) => {
    const b = bottom - (l - 1) * h;
    return {top: b - h, bottom: b, middle: b - h / 2};
  };
}

/** Layer numbers at the left of a per-layer panel. */
export function drawLayerLabels(ctx, rows, L, x, theme, {labelTop = true} = {}) {
  ctx.fillStyle = theme.fg;
  ctx.font = font();
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (let l = 1; l <= L; l++) if (labelTop || l < L) ctx.fillText(String(l), x, rows(l).middle);
}

/** An axis title along the bottom and tick labels under a horizontal axis. */
export function drawXAxis(ctx, {left, right, y}, ticks, title, theme) {
  ctx.strokeStyle = theme.muted;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(left, y + 0.5);
  ctx.lineTo(right, y + 0.5);
  ctx.stroke();
  ctx.fillStyle = theme.fg;
  ctx.font = font();
  ctx.textBaseline = "top";
  ticks.forEach(({x, label}, i) => {
    ctx.textAlign = i === 0 && x - left < 12 ? "left" : i === ticks.length - 1 && right - x < 12 ? "right" : "center";
    ctx.fillText(label, x, y + 4);
  });
  if (title) {
    ctx.textAlign = "center";
    ctx.fillText(title, (left + right) / 2, y + 4 + FONT_PX + 4);
  }
}
