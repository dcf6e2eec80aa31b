/**
 * The counter-based random generator shared by the interpreter and the runtime: Philox-4x32-10.
 *
 * Every random number is a pure function of (seed, step, stream, index), so the interpreter, the
 * runtime and emitted code draw identical numbers with no hidden state:
 *   key     = (seed, 0)                         — the run's `--seed` (or an initializer's own seed)
 *   counter = (floor(index / 4), step, stream, 0) — step: global step index; stream: id of the random site
 * One Philox block gives four 32-bit words w0..w3 for elements 4j .. 4j+3.
 *   uniform (rand):  u = (w >>> 8) · 2⁻²⁴ ∈ [0, 1)   (24 bits, exact in float32)
 *   normal  (randn): Box–Muller on word pairs (w0, w1) → elements 4j, 4j+1 and (w2, w3) → 4j+2, 4j+3:
 *                    u1 = ((w_a >>> 8) + 1) · 2⁻²⁴ ∈ (0, 1], u2 = (w_b >>> 8) · 2⁻²⁴,
 *                    r = sqrt(-2 ln u1), z_a = r cos(2π u2), z_b = r sin(2π u2)  (computed in float64).
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const TWO_NEG_24 = 1 / 16777216;

/** High and low 32 bits of the 64-bit product of two uint32 (exact, without BigInt). */
function mulhilo(a: number, b: number): [number, number] {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const ll = al * bl;
  const lh = al * bh;
  const hl = ah * bl;
  const hh = ah * bh;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  const hi = (hh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
  const lo = Math.imul(a, b) >>> 0;
  return [hi, lo];
}

/** Philox-4x32 with 10 rounds (Salmon et al., SC'11); returns four uint32 words. */
export function philox4x32(counter: readonly [number, number, number, number], key: readonly [number, number]): [number, number, number, number] {
  let [c0, c1, c2, c3] = counter.map((x) => x >>> 0) as [number, number, number, number];
  let k0 = key[0] >>> 0;
  let k1 = key[1] >>> 0;
  for (let r = 0; r < 10; r++) {
    if (r > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const [hi0, lo0] = mulhilo(M0, c0);
    const [hi1, lo1] = mulhilo(M1, c2);
    const n0 = (hi1 ^ c1 ^ k0) >>> 0;
    const n2 = (hi0 ^ c3 ^ k1) >>> 0;
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
  }
  return [c0, c1, c2, c3];
}

/** The uint32 a seed, step or stream number stands for (what the key and counter words hold). */
export function toU32(x: number): number {
  return Math.trunc(x) >>> 0;
}

function block(seed: number, step: number, stream: number, j: number): [number, number, number, number] {
  return philox4x32([j, toU32(step), toU32(stream), 0], [toU32(seed), 0]);
}

/** Fills n uniforms in [0, 1) for (seed, step, stream), element i at index i. */
export function randFill(seed: number, stream: number, n: number, step = 0): Float64Array {
  const out = new Float64Array(n);
  for (let j = 0; 4 * j < n; j++) {
    const w = block(seed, step, stream, j);
    for (let k = 0; k < 4 && 4 * j + k < n; k++) out[4 * j + k] = (w[k]! >>> 8) * TWO_NEG_24;
  }
  return out;
}

/** Fills n standard normals for (seed, step, stream), element i at index i. */
export function randnFill(seed: number, stream: number, n: number, step = 0): Float64Array {
  const out = new Float64Array(n);
  for (let j = 0; 4 * j < n; j++) {
    const w = block(seed, step, stream, j);
    for (let p = 0; p < 2; p++) {
      const u1 = ((w[2 * p]! >>> 8) + 1) * TWO_NEG_24;
      const u2 = (w[2 * p + 1]! >>> 8) * TWO_NEG_24;
      const r = Math.sqrt(-2 * Math.log(u1));
      const i = 4 * j + 2 * p;
      if (i < n) out[i] = r * Math.cos(2 * Math.PI * u2);
      if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
    }
  }
  return out;
}
