// Seeded random numbers for the live explorer: the data, the initial weights and the order of the
// minibatches all come from one generator made from the seed, as in layerwise.explorer_model.
//
// The stream is not NumPy's (NumPy's PCG64 and ziggurat normals are not reproduced here), so a seed
// gives other points and weights in the browser than in Python; it is the same in every browser,
// every time. The tests feed Python's own draws to the JavaScript through `replayRng` instead,
// which proves the formulas that use the draws equal. No DOM in this file.

/** @typedef {{uniform: () => number, normal: () => number, permutation: (n: number) => number[]}} Rng */

const rotl = (x, k) => (x << k) | (x >>> (32 - k));

/** SplitMix32: spreads a small integer seed over 32-bit words (the usual way to seed xoshiro). */
function splitMix32(state) {
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * A generator made from an integer seed: xoshiro128** (Blackman and Vigna) for 32-bit words,
 * uniforms in [0, 1) with 53 random bits, normals by Marsaglia's polar method, permutations by
 * Fisher–Yates.
 * @param {number} seed integer >= 0 @returns {Rng}
 */
export function makeRng(seed) {
  const next32 = splitMix32(seed >>> 0);
  const s = Uint32Array.of(next32(), next32(), next32(), next32());
  function word() {
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }
  let spare = null;
  const rng = {
    /** uniform in [0, 1): 27 + 26 random bits over 2^53 */
    uniform() {
      return ((word() >>> 5) * 67108864 + (word() >>> 6)) / 9007199254740992;
    },
    /** standard normal N(0, 1); the polar method makes two at a time and keeps one for the next call */
    normal() {
      if (spare !== null) {
        const z = spare;
        spare = null;
        return z;
      }
      let u, v, q;
      do {
        u = 2 * rng.uniform() - 1;
        v = 2 * rng.uniform() - 1;
        q = u * u + v * v;
      } while (q >= 1 || q === 0);
      const f = Math.sqrt(-2 * Math.log(q) / q);
      spare = v * f;
      return u * f;
    },
    permutation: (n) => shuffle(n, rng.uniform),
  };
  return rng;
}

/** 0..n-1 in a random order (Fisher–Yates; j = ⌊u·(i+1)⌋ with 53-bit u: bias below 2^-40 for n < 2^13). */
function shuffle(n, uniform) {
  const order = Array.from({length: n}, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/**
 * A generator that hands out recorded draws in order (tests: Python's draws, replayed).
 * @param {{uniforms?: number[], normals?: number[], permutations?: number[][]}} draws
 * @returns {Rng} throws when asked for more draws of a kind than were recorded
 */
export function replayRng({uniforms = [], normals = [], permutations = []}) {
  const queue = (list, kind) => {
    let i = 0;
    return () => {
      if (i >= list.length) throw new Error(`replayRng: only ${list.length} ${kind} were recorded`);
      return list[i++];
    };
  };
  const nextPermutation = queue(permutations, "permutations");
  return {
    uniform: queue(uniforms, "uniforms"),
    normal: queue(normals, "normals"),
    permutation(n) {
      const p = nextPermutation();
      if (p.length !== n) throw new Error(`replayRng: recorded permutation has ${p.length} entries, asked for ${n}`);
      return p.slice();
    },
  };
}
