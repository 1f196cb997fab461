// The 2-D toy datasets of the live explorer: the formulas of code/layerwise/data.py, drawing from an
// explicit generator (random.js). tests/test_explorer_js.py replays NumPy's draws into these makers
// and compares the points with layerwise.data's. No DOM in this file.
//
// Every maker returns {X: number[][] (n, 2), y: number[] (n,)}, classes in blocks (0s first).

/** Sizes of k classes that share n points: the first n mod k classes get one more. @returns {number[]} */
export function splitCounts(n, k) {
  return Array.from({length: k}, (_, c) => Math.floor(n / k) + (c < n % k ? 1 : 0));
}

/** numpy.linspace(start, stop, num): start + i·step, the last value exactly stop. @returns {number[]} */
export function linspace(start, stop, num) {
  if (num === 1) return [start];
  const step = (stop - start) / (num - 1);
  const out = Array.from({length: num}, (_, i) => i * step + start);
  out[num - 1] = stop;
  return out;
}

const labelsInBlocks = (counts) => counts.flatMap((c, label) => new Array(c).fill(label));

function checkSize(n, minimum) {
  if (!(Number.isInteger(n) && n >= minimum)) throw new Error(`n must be an integer >= ${minimum}, got ${n}`);
}

/** Adds noise·N(0, 1) to every coordinate, row by row (NumPy's rng.normal(size=(n, 2)) order). */
function addNoise(X, noise, rng) {
  for (const row of X) {
    row[0] += noise * rng.normal();
    row[1] += noise * rng.normal();
  }
  return X;
}

/** Two interleaving half circles (2 classes). @param {number} n @param {import("./random.js").Rng} rng @param {number} [noise=0.1] */
export function makeMoons(n, rng, noise = 0.1) {
  checkSize(n, 2);
  const [n0, n1] = splitCounts(n, 2);
  const t0 = Array.from({length: n0}, () => Math.PI * rng.uniform());
  const t1 = Array.from({length: n1}, () => Math.PI * rng.uniform());
  const X = [...t0.map((t) => [Math.cos(t), Math.sin(t)]), ...t1.map((t) => [1 - Math.cos(t), 0.5 - Math.sin(t)])];
  return {X: addNoise(X, noise, rng), y: labelsInBlocks([n0, n1])};
}

/** A circle of radius `factor` inside one of radius 1 (2 classes). @param {number} n @param {import("./random.js").Rng} rng */
export function makeCircles(n, rng, noise = 0.05, factor = 0.5) {
  checkSize(n, 2);
  const [n0, n1] = splitCounts(n, 2);
  const t = Array.from({length: n}, () => 2 * Math.PI * rng.uniform());
  const X = t.map((ti, i) => {
    const r = i < n0 ? 1 : factor;
    return [r * Math.cos(ti), r * Math.sin(ti)];
  });
  return {X: addNoise(X, noise, rng), y: labelsInBlocks([n0, n1])};
}

/** k interleaved spiral arms (k classes); noise perturbs the angle. @param {number} n @param {import("./random.js").Rng} rng */
export function makeSpirals(n, rng, k = 3, noise = 0.2, turns = 1.0) {
  checkSize(n, 1);
  const counts = splitCounts(n, k);
  const y = labelsInBlocks(counts);
  const r = counts.flatMap((c) => linspace(0.05, 1, c));
  const X = r.map((ri, i) => {
    const theta = 2 * Math.PI * (turns * ri + y[i] / k) + noise * rng.normal();
    return [ri * Math.sin(theta), ri * Math.cos(theta)];
  });
  return {X, y};
}

/** Four clusters at (±1, ±1); label 1 where the signs differ. @param {number} n @param {import("./random.js").Rng} rng */
export function makeXor(n, rng, noise = 0.1) {
  checkSize(n, 4);
  const corners = [[-1, -1], [1, 1], [-1, 1], [1, -1]];
  const which = labelsInBlocks(splitCounts(n, 4));
  const X = addNoise(which.map((c) => corners[c].slice()), noise, rng);
  return {X, y: which.map((c) => (c >= 2 ? 1 : 0))};
}

/** name -> maker, as data.DATASETS. */
export const DATASETS = {moons: makeMoons, circles: makeCircles, spirals: makeSpirals, xor: makeXor};

/**
 * One of the toy datasets by name, with the given noise (spirals: k = 3 arms, one turn).
 * @param {string} name @param {number} n @param {import("./random.js").Rng} rng @param {number} noise
 * @returns {{X: number[][], y: number[]}}
 */
export function makeDataset(name, n, rng, noise) {
  if (!(noise >= 0 && Number.isFinite(noise))) throw new Error(`noise must be a finite number >= 0, got ${noise}`);
  if (name === "spirals") return makeSpirals(n, rng, 3, noise);
  const maker = DATASETS[name];
  if (!maker) throw new Error(`unknown dataset ${JSON.stringify(name)}; known datasets: ${Object.keys(DATASETS).sort().join(", ")}`);
  return maker(n, rng, noise);
}

/**
 * A res × res grid over the plane around the points (layerwise.plots.input_grid): rows of the grid
 * run along y from below, x fastest. @param {number[][]} X (n, 2) @param {number} res
 * @returns {{G: number[][], extent: [number, number, number, number]}} G (res², 2), extent (x0, x1, y0, y1)
 */
export function inputGrid(X, res, margin = 0.25) {
  const lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
  for (const [a, b] of X) {
    lo[0] = Math.min(lo[0], a); hi[0] = Math.max(hi[0], a);
    lo[1] = Math.min(lo[1], b); hi[1] = Math.max(hi[1], b);
  }
  const pad = [margin * (hi[0] - lo[0]), margin * (hi[1] - lo[1])];
  const xs = linspace(lo[0] - pad[0], hi[0] + pad[0], res);
  const ys = linspace(lo[1] - pad[1], hi[1] + pad[1], res);
  const G = [];
  for (const yv of ys) for (const xv of xs) G.push([xv, yv]);
  return {G, extent: [xs[0], xs[res - 1], ys[0], ys[res - 1]]};
}
