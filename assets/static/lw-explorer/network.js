// The network math of the live explorer: the same equations, names and order of operations as
// code/layerwise/{activations,layers,network,softmax,losses,initializers}.py and training.sgd_step.
// tests/test_explorer_js.py checks every function here against the Python on every `make test`.
//
// Matrices are arrays of rows (rows are examples): X (n, d), W (fan_in, fan_out), b (fan_out,),
// Z = H W + b. params = [[W, b], ...], one pair per layer l = 1..L. No DOM in this file.

/** @typedef {ArrayLike<number>[]} Matrix  rows of numbers: M[i][j] */
/** @typedef {[Matrix, ArrayLike<number>][]} Params  [[W (fan_in, fan_out), b (fan_out,)], ...] */
/** @typedef {{H: Matrix, W: Matrix, Z: Matrix|null, activation: string|null}} LayerCache
 *  what backward needs of layer l (network.py's LayerCache: linear = (H, W)); Z and activation
 *  are null for the last layer, O = Z^(L) */

/** A new (n, m) matrix of zeros. @returns {number[][]} */
export function zeros(n, m) {
  const M = new Array(n);
  for (let i = 0; i < n; i++) M[i] = new Array(m).fill(0);
  return M;
}

/** f applied to every entry of Z: (n, m) -> (n, m), a new matrix. */
function map(Z, f) {
  const n = Z.length, out = new Array(n);
  for (let i = 0; i < n; i++) {
    const z = Z[i], m = z.length, o = new Array(m);
    for (let j = 0; j < m; j++) o[j] = f(z[j]);
    out[i] = o;
  }
  return out;
}

// --- activations σ and their derivatives σ'(Z) (activations.py) ---------------------------------

/** σ(z) = 1 / (1 + exp(−z)); exp only sees −|z|, so it never overflows. */
function sigmoidOf(z) {
  const e = Math.exp(-Math.abs(z));
  return z >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/** @param {Matrix} Z (n, m) @returns {number[][]} σ(Z) (n, m) */
export function sigmoid(Z) { return map(Z, sigmoidOf); }
/** @param {Matrix} Z (n, m) @returns {number[][]} σ'(Z) = σ(Z)(1 − σ(Z)) (n, m) */
export function sigmoidGrad(Z) { return map(Z, (z) => { const s = sigmoidOf(z); return s * (1 - s); }); }
/** @param {Matrix} Z (n, m) @returns {number[][]} tanh(Z) (n, m) */
export function tanh(Z) { return map(Z, Math.tanh); }
/** @param {Matrix} Z (n, m) @returns {number[][]} tanh'(Z) = 1 − tanh(Z)² (n, m) */
export function tanhGrad(Z) { return map(Z, (z) => { const t = Math.tanh(z); return 1 - t * t; }); }
/** @param {Matrix} Z (n, m) @returns {number[][]} max(Z, 0) (n, m); NaN stays NaN, as in NumPy */
export function relu(Z) { return map(Z, (z) => Math.max(z, 0)); }
/** @param {Matrix} Z (n, m) @returns {number[][]} 1 where z > 0, else 0 (0 at the kink) (n, m) */
export function reluGrad(Z) { return map(Z, (z) => (z > 0 ? 1 : 0)); }

/** name -> [σ, σ'], as activations.ACTIVATIONS (without "identity", which the explorer does not offer). */
export const ACTIVATIONS = {sigmoid: [sigmoid, sigmoidGrad], tanh: [tanh, tanhGrad], relu: [relu, reluGrad]};

/** [σ, σ'] for an activation name; throws naming the known ones. @param {string} name */
export function getActivation(name) {
  const pair = ACTIVATIONS[String(name).toLowerCase()];
  if (!pair) throw new Error(`unknown activation ${JSON.stringify(name)}; known activations: ${Object.keys(ACTIVATIONS).sort().join(", ")}`);
  return pair;
}

// --- the linear layer Z = H W + b (layers.py) ---------------------------------------------------

/**
 * Z = H W + b, the bias added to every row of H W.
 * @param {Matrix} H (n, fan_in) @param {Matrix} W (fan_in, fan_out) @param {ArrayLike<number>} b (fan_out,)
 * @returns {number[][]} Z (n, fan_out)
 */
export function linearForward(H, W, b) {
  const n = H.length, K = W.length, m = b.length;
  if (H[0].length !== K || W[0].length !== m) {
    throw new Error(`H has ${H[0].length} columns, W is (${K}, ${W[0].length}) and b has ${m} entries: they do not fit`);
  }
  const Z = new Array(n);
  for (let i = 0; i < n; i++) {
    const h = H[i], z = new Array(m).fill(0);
    for (let k = 0; k < K; k++) {
      const hk = h[k], w = W[k];
      for (let j = 0; j < m; j++) z[j] += hk * w[j];      // (H W)_ij = Σ_k H_ik W_kj
    }
    for (let j = 0; j < m; j++) z[j] += b[j];              // + b_j
    Z[i] = z;
  }
  return Z;
}

/**
 * Gradients through Z = H W + b: dH = dZ Wᵀ, dW = Hᵀ dZ, db = Σ_rows dZ. dZ is not modified.
 * @param {Matrix} dZ (n, fan_out) @param {Matrix} H (n, fan_in) @param {Matrix} W (fan_in, fan_out)
 * @param {boolean} [needDH=true] false: dH is null (the input X needs no gradient)
 * @returns {{dH: number[][]|null, dW: number[][], db: number[]}} shapes of H, W, b
 */
export function linearBackward(dZ, H, W, needDH = true) {
  const n = dZ.length, K = W.length, m = W[0].length;
  let dH = null;
  if (needDH) {
    dH = new Array(n);
    for (let i = 0; i < n; i++) {
      const dz = dZ[i], row = new Array(K);
      for (let k = 0; k < K; k++) {
        const w = W[k];
        let s = 0;
        for (let j = 0; j < m; j++) s += dz[j] * w[j];     // dH_ik = Σ_j dZ_ij W_kj
        row[k] = s;
      }
      dH[i] = row;
    }
  }
  const dW = zeros(K, m);
  const db = new Array(m).fill(0);
  for (let i = 0; i < n; i++) {
    const h = H[i], dz = dZ[i];
    for (let k = 0; k < K; k++) {
      const hk = h[k], dw = dW[k];
      for (let j = 0; j < m; j++) dw[j] += hk * dz[j];     // dW_kj = Σ_i H_ik dZ_ij
    }
    for (let j = 0; j < m; j++) db[j] += dz[j];            // db_j = Σ_i dZ_ij
  }
  return {dH, dW, db};
}

// --- forward and backward propagation (network.py) ----------------------------------------------

function checkParams(params, X) {
  if (!Array.isArray(params) || params.length === 0) throw new Error("params must be a non-empty list of [W, b] pairs");
  params.forEach(([W, b], i) => {
    if (!W || !b || W[0].length !== b.length) throw new Error(`layer ${i + 1}: W must be (fan_in, fan_out) and b (fan_out,)`);
    if (i > 0 && W.length !== params[i - 1][0][0].length) {
      throw new Error(`layer ${i + 1}: W expects ${W.length} inputs but layer ${i} has ${params[i - 1][0][0].length} outputs`);
    }
  });
  if (X[0].length !== params[0][0].length) throw new Error(`X has ${X[0].length} columns but the network expects ${params[0][0].length} inputs`);
}

/**
 * Forward propagation keeping every layer's values for backward.
 * Z^(l) = H^(l-1) W^(l) + b^(l), H^(l) = σ(Z^(l)), H^(0) = X, O = Z^(L) (no σ on the last layer).
 * @param {Params} params @param {Matrix} X (n, d) @param {string} [activation="relu"]
 * @returns {{O: number[][], caches: LayerCache[]}} O (n, p) and one cache per layer
 */
export function forward(params, X, activation = "relu") {
  const [f] = getActivation(activation);
  checkParams(params, X);
  const caches = [];
  const L = params.length;
  let H = X;
  for (let l = 1; l <= L; l++) {
    const [W, b] = params[l - 1];
    const Z = linearForward(H, W, b);                       // Z^(l) = H^(l-1) W^(l) + b^(l)
    if (l === L) {
      caches.push({H, W, Z: null, activation: null});
      return {O: Z, caches};                                // O = Z^(L)
    }
    caches.push({H, W, Z, activation});
    H = f(Z);                                               // H^(l) = σ(Z^(l))
  }
  throw new Error("unreachable");
}

/**
 * O = Z^(L) as `forward` computes it, keeping no caches.
 * @param {Params} params @param {Matrix} X (n, d) @param {string} [activation="relu"] @returns {number[][]} O (n, p)
 */
export function forwardInference(params, X, activation = "relu") {
  const [f] = getActivation(activation);
  checkParams(params, X);
  let H = X;
  for (let l = 0; l < params.length - 1; l++) H = f(linearForward(H, params[l][0], params[l][1]));
  const [W, b] = params[params.length - 1];
  return linearForward(H, W, b);
}

/** σ applied in place to a flat array (the flat forward pass below). */
const ACTIVATE_IN_PLACE = {
  sigmoid: (A) => { for (let q = 0; q < A.length; q++) A[q] = sigmoidOf(A[q]); },
  tanh: (A) => { for (let q = 0; q < A.length; q++) A[q] = Math.tanh(A[q]); },
  relu: (A) => { for (let q = 0; q < A.length; q++) A[q] = Math.max(A[q], 0); },
};

/**
 * `forward` for many rows at once, on flat row-major arrays written into reusable buffers: the same
 * equations in the same order of operations, without one array per row (the explorer's 10,000-point
 * grid, every frame). Keeps H^(l) of every layer (the neuron maps), not Z.
 * @param {Params} params @param {Float64Array} X (n·d,) row-major @param {number} n rows
 * @param {string} activation @param {{H?: Float64Array[]}} [work] buffers kept between calls
 * @returns {{O: Float64Array, H: Float64Array[]}} O (n·p,), H[l] = H^(l) (n·h_l,) with H[0] = X
 */
export function forwardFlat(params, X, n, activation, work = {}) {
  getActivation(activation);
  const L = params.length;
  if (!work.H || work.H.length !== L + 1 || work.H.some((B, l) => l > 0 && B.length !== n * params[l - 1][1].length)) {
    work.H = [X, ...params.map(([, b]) => new Float64Array(n * b.length))];
  }
  work.H[0] = X;
  for (let l = 1; l <= L; l++) {
    const [W, b] = params[l - 1], H = work.H[l - 1], Z = work.H[l];
    const K = W.length, m = b.length;
    if (H.length !== n * K) throw new Error(`layer ${l}: expected ${n} rows of ${K} inputs`);
    const Wt = new Float64Array(m * K);                       // Wᵀ, so that each dot product reads memory in order
    for (let k = 0; k < K; k++) for (let j = 0; j < m; j++) Wt[j * K + k] = W[k][j];
    for (let i = 0; i < n; i++) {
      const hi = i * K, zi = i * m;
      for (let j = 0; j < m; j++) {
        const wj = j * K;
        let z = 0;
        for (let k = 0; k < K; k++) z += H[hi + k] * Wt[wj + k];   // (H W)_ij = Σ_k H_ik W_kj
        Z[zi + j] = z + b[j];                                  // + b_j
      }
    }
    if (l < L) ACTIVATE_IN_PLACE[activation](Z);              // H^(l) = σ(Z^(l)), over Z's buffer
  }
  return {O: work.H[L], H: work.H};
}

/**
 * Backpropagation from the top layer L down to layer 1.
 * dZ^(L) = dO; dZ^(l) = dH^(l) ⊙ σ'(Z^(l)); dH^(l-1) = dZ Wᵀ, dW = Hᵀ dZ, db = Σ dZ.
 * @param {Matrix} dO (n, p) ∂loss/∂O @param {LayerCache[]} caches from forward
 * @param {(l: number, dZ: number[][], dW: number[][], db: number[]) => void} [onLayer]
 *   called as each layer's gradients are computed (l = L, L-1, ..., 1), e.g. to record statistics
 * @returns {[number[][], number[]][]} [[dW, db], ...] aligned with params
 */
export function backward(dO, caches, onLayer) {
  const grads = new Array(caches.length);
  let dH = dO;
  for (let l = caches.length; l >= 1; l--) {
    const cache = caches[l - 1];
    let dZ;
    if (cache.Z === null) {
      dZ = dH;                                              // O = Z^(L): dZ^(L) = dO
    } else {
      const [, fGrad] = getActivation(cache.activation);
      dZ = fGrad(cache.Z);                                  // σ'(Z^(l)), a new matrix, so
      for (let i = 0; i < dZ.length; i++) {                 // dZ^(l) = σ'(Z^(l)) ⊙ dH^(l) in place
        const dz = dZ[i], dh = dH[i];
        for (let j = 0; j < dz.length; j++) dz[j] *= dh[j];
      }
    }
    const g = linearBackward(dZ, cache.H, cache.W, l > 1);  // dH^(l-1) = dZ Wᵀ, dW = Hᵀ dZ, db = Σ dZ
    grads[l - 1] = [g.dW, g.db];
    if (onLayer) onLayer(l, dZ, g.dW, g.db);
    dH = g.dH;
  }
  return grads;
}

// --- softmax and the loss (softmax.py, losses.py) -----------------------------------------------

/** The largest entry of a row (−∞ for an empty one). */
function rowMax(o) {
  let max = -Infinity;
  for (let j = 0; j < o.length; j++) if (o[j] > max) max = o[j];
  return max;
}

/** log softmax(O) row by row, stably: each row's maximum is subtracted first. @param {Matrix} O (n, p) @returns {number[][]} (n, p) */
export function logSoftmax(O) {
  return Array.from(O, (o) => {
    const p = o.length, max = rowMax(o);
    const shifted = new Array(p);
    let sum = 0;
    for (let j = 0; j < p; j++) { shifted[j] = o[j] - max; sum += Math.exp(shifted[j]); }   // every exponent <= 0
    const logSum = Math.log(sum);
    for (let j = 0; j < p; j++) shifted[j] -= logSum;
    return shifted;
  });
}

/** softmax(O)_ik = exp(o_ik) / Σ_j exp(o_ij), row by row. @param {Matrix} O (n, p) @returns {number[][]} P (n, p) */
export function softmax(O) {
  return Array.from(O, (o) => {
    const p = o.length, max = rowMax(o);
    const e = new Array(p);
    let sum = 0;
    for (let j = 0; j < p; j++) { e[j] = Math.exp(o[j] - max); sum += e[j]; }
    for (let j = 0; j < p; j++) e[j] /= sum;
    return e;
  });
}

/**
 * Mean cross-entropy of softmax(O) against labels y, and its gradient with respect to O.
 * loss = −(1/n) Σ_i log softmax(O)_{i, y_i}, dO = (softmax(O) − one_hot(y)) / n.
 * @param {Matrix} O (n, p) logits @param {ArrayLike<number>} y (n,) integer labels in [0, p)
 * @returns {{loss: number, dO: number[][]}} dO (n, p)
 */
export function softmaxCrossEntropy(O, y) {
  const n = O.length;
  if (y.length !== n) throw new Error(`y has ${y.length} labels but there are ${n} rows`);
  const logP = logSoftmax(O);
  let total = 0;
  for (let i = 0; i < n; i++) total += logP[i][y[i]];
  const loss = -(total / n);
  const dO = new Array(n);
  for (let i = 0; i < n; i++) {
    const row = logP[i].map(Math.exp);                      // softmax(O), from the stable log
    row[y[i]] -= 1;                                         // − one_hot(y)
    for (let j = 0; j < row.length; j++) row[j] /= n;
    dO[i] = row;
  }
  return {loss, dO};
}

// --- training (training.sgd_step) and initialisation (initializers.py) --------------------------

/**
 * W ← W − lr·dW and b ← b − lr·db for every layer, in place.
 * @param {Params} params @param {[Matrix, ArrayLike<number>][]} grads [[dW, db], ...] @param {number} lr
 * @returns {Params} params
 */
export function sgdStep(params, grads, lr) {
  if (!(lr > 0 && Number.isFinite(lr))) throw new Error(`lr (learning rate) must be a positive finite number, got ${lr}`);
  if (grads.length !== params.length) throw new Error(`got gradients for ${grads.length} layers but params has ${params.length}`);
  for (let l = 0; l < params.length; l++) {
    const [W, b] = params[l], [dW, db] = grads[l];
    for (let k = 0; k < W.length; k++) {
      const w = W[k], dw = dW[k];
      for (let j = 0; j < w.length; j++) w[j] -= lr * dw[j];
    }
    for (let j = 0; j < b.length; j++) b[j] -= lr * db[j];
  }
  return params;
}

/** Standard deviation of W^(l) for each init name (initializers.INITS). */
export const INITS = {
  he: (fanIn, fanOut, scale) => Math.sqrt(2 / fanIn),
  xavier: (fanIn, fanOut, scale) => Math.sqrt(2 / (fanIn + fanOut)),
  normal: (fanIn, fanOut, scale) => scale,
};

/**
 * Weights W ~ N(0, std²) drawn row by row from rng.normal(), and zero biases.
 * @param {number[]} sizes layer widths [d, h_1, ..., p] @param {{normal: () => number}} rng
 * @param {string} [init="he"] "he" (std √(2/fan_in)), "xavier" (√(2/(fan_in+fan_out))) or "normal" (scale)
 * @param {number} [scale=0.01] @returns {Params} W^(l): (sizes[l-1], sizes[l]), b^(l): (sizes[l],)
 */
export function initParams(sizes, rng, init = "he", scale = 0.01) {
  const stdOf = INITS[init];
  if (!stdOf) throw new Error(`unknown init ${JSON.stringify(init)}; known inits: ${Object.keys(INITS).sort().join(", ")}`);
  if (sizes.length < 2 || sizes.some((k) => !(Number.isInteger(k) && k >= 1))) {
    throw new Error(`sizes must list at least [d, p], every width an integer >= 1; got ${JSON.stringify(sizes)}`);
  }
  const params = [];
  for (let l = 1; l < sizes.length; l++) {
    const fanIn = sizes[l - 1], fanOut = sizes[l], std = stdOf(fanIn, fanOut, scale);
    const W = zeros(fanIn, fanOut);
    for (let k = 0; k < fanIn; k++) for (let j = 0; j < fanOut; j++) W[k][j] = 0 + std * rng.normal();   // NumPy: loc + scale·z
    params.push([W, new Array(fanOut).fill(0)]);
  }
  return params;
}
