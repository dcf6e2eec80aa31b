/**
 * Philox-4x32-10 in WGSL, with the counter/key scheme of compiler/ir/rng.ts, so random ops run on the
 * device and draw the host's numbers: key = (seed, 0), counter = (j, step, stream, 0), one thread per
 * block j writing elements 4j .. 4j+3. Uniform bits are identical; normals use the same Box–Muller
 * pairing evaluated in f32 (the host evaluates it in f64 and rounds).
 */

/** Which transform a random op applies to the Philox words. */
export type RandomKind = 'rand' | 'randn';

const PHILOX = `
fn gd_mulhilo(a : u32, b : u32) -> vec2<u32> {
  let al = a & 0xffffu;
  let ah = a >> 16u;
  let bl = b & 0xffffu;
  let bh = b >> 16u;
  let ll = al * bl;
  let lh = al * bh;
  let hl = ah * bl;
  let hh = ah * bh;
  let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return vec2<u32>(hh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u), a * b);
}
fn gd_philox(counter : vec4<u32>, key0 : vec2<u32>) -> vec4<u32> {
  var c = counter;
  var k = key0;
  for (var r : i32 = 0; r < 10; r = r + 1) {
    if (r > 0) { k = k + vec2<u32>(0x9e3779b9u, 0xbb67ae85u); }
    let p0 = gd_mulhilo(0xd2511f53u, c.x);
    let p1 = gd_mulhilo(0xcd9e8d57u, c.z);
    c = vec4<u32>(p1.x ^ c.y ^ k.x, p1.y, p0.x ^ c.w ^ k.y, p0.y);
  }
  return c;
}
// Vulkan lets log, sin and cos err by 2^-21 absolute (SwiftShader does), which sqrt(-2 log u1) turns
// into 1e-4 near u1 = 1. These are accurate to a few ulps: log by frexp and 2·atanh(s), s = (m-1)/(m+1)
// with m in [√½, √2); sin/cos of 2πv by quarter turns (exact in f32) and Taylor polynomials on [-π/4, π/4].
fn gd_log_accurate(x : f32) -> f32 {
  let fe = frexp(x);
  var m = fe.fract;
  var e = f32(fe.exp);
  if (m < 0.70710678) { m = m * 2.0; e = e - 1.0; }
  let s = (m - 1.0) / (m + 1.0);
  let s2 = s * s;
  let p = s2 * (1.0 / 3.0 + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0))));
  return e * 0.693145752 + (e * 1.42860677e-6 + (2.0 * s + 2.0 * s * p));
}
// (cos 2πv, sin 2πv) for v in [-0.5, 0.5].
fn gd_cos_sin_turns(v : f32) -> vec2<f32> {
  let q = round(4.0 * v);
  let t = 6.28318531 * (v - 0.25 * q);
  let t2 = t * t;
  let c = 1.0 - t2 * (0.5 - t2 * (1.0 / 24.0 - t2 * (1.0 / 720.0 - t2 * (1.0 / 40320.0))));
  let s = t * (1.0 - t2 * (1.0 / 6.0 - t2 * (1.0 / 120.0 - t2 * (1.0 / 5040.0 - t2 * (1.0 / 362880.0)))));
  let k = i32(q) & 3;
  if (k == 0) { return vec2<f32>(c, s); }
  if (k == 1) { return vec2<f32>(-s, c); }
  if (k == 2) { return vec2<f32>(-c, -s); }
  return vec2<f32>(s, -c);
}
// Math.trunc(x) >>> 0 of rng.ts for |x| < 2^31: truncate, then reinterpret the two's complement bits.
fn gd_u32(x : f32) -> u32 {
  return bitcast<u32>(i32(trunc(x)));
}
`;

const TRANSFORMS: Record<RandomKind, string> = {
  rand: `
  let v = vec4<f32>(w >> vec4<u32>(8u)) * (1.0 / 16777216.0);`,
  // cos(2πu) = -cos(2π(u - ½)): the shifted turn lies in [-½, ½), exact in f32.
  randn: `
  let u1 = (vec2<f32>(vec2<u32>(w.x, w.z) >> vec2<u32>(8u)) + 1.0) * (1.0 / 16777216.0);
  let u2 = vec2<f32>(vec2<u32>(w.y, w.w) >> vec2<u32>(8u)) * (1.0 / 16777216.0) - 0.5;
  let r = vec2<f32>(sqrt(-2.0 * gd_log_accurate(u1.x)), sqrt(-2.0 * gd_log_accurate(u1.y)));
  let a = gd_cos_sin_turns(u2.x);
  let b = gd_cos_sin_turns(u2.y);
  let v = vec4<f32>(-r.x * a.x, -r.x * a.y, -r.y * b.x, -r.y * b.y);`,
};

/**
 * The user code of a random-fill program: buffer `key` holds (seed, step) as floats (the graph's rng
 * key input), uniform `stream` the op's stream id; `result` has `n` elements (uniform `n`).
 */
export function philoxProgramCode(kind: RandomKind): string {
  return `${PHILOX}
fn main(index : i32) {
  let n = uniforms.n;
  if (4 * index >= n) { return; }
  let w = gd_philox(vec4<u32>(u32(index), gd_u32(f32(key[1])), uniforms.stream, 0u), vec2<u32>(gd_u32(f32(key[0])), 0u));${TRANSFORMS[kind]}
  for (var q : i32 = 0; q < 4; q = q + 1) {
    if (4 * index + q < n) { result[4 * index + q] = v[q]; }
  }
}
`;
}
