// The grid's forward pass of the live explorer, in a Web Worker: while "Play" trains on the page's
// thread, this computes softmax(O) and H^(l) on the 10,000 grid points for the weights of the last
// frame, on another core. The page draws the newest result it has (a frame or two behind) while
// playing, and computes the grid itself, for the exact weights, whenever training pauses.
// Messages in: {start, version, params, activation, k, n, layer, grid?} (grid: the points, once per
// start; layer: the one whose H^(l) the neuron maps show, 0 for none); out: {start, version, layer, P,
// Hl (H^(layer) or null), ms}, the arrays transferred. No DOM.

import {gridForward} from "./explorer_model.js";

let points = null;

self.onmessage = ({data}) => {
  if (data.grid) points = data.grid;
  const t0 = performance.now();
  const {P, H} = gridForward(data.params, points, data.n, data.activation, data.k, {});   // fresh buffers: transferred
  const Hl = data.layer > 0 ? H[data.layer] : null;
  self.postMessage({start: data.start, version: data.version, layer: data.layer, P, Hl, ms: performance.now() - t0},
                   Hl ? [P.buffer, Hl.buffer] : [P.buffer]);
};
