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
// Math.trunc(x) >>> 0 of rng.ts for |x| < 2^31: truncate, then reinterpret the two's complement bits.
fn gd_u32(x : f32) -> u32 {
  return bitcast<u32>(i32(trunc(x)));
}
`;

const TRANSFORMS: Record<RandomKind, string> = {
  rand: `
  let v = vec4<f32>(w >> vec4<u32>(8u)) * (1.0 / 16777216.0);`,
  // cos(2πu) = -cos(2π(u - ½)): the shifted angle lies in [-π, π), where f32 cos/sin are most accurate.
  randn: `
  let u1 = (vec2<f32>(vec2<u32>(w.x, w.z) >> vec2<u32>(8u)) + 1.0) * (1.0 / 16777216.0);
  let u2 = vec2<f32>(vec2<u32>(w.y, w.w) >> vec2<u32>(8u)) * (1.0 / 16777216.0) - 0.5;
  let r = sqrt(-2.0 * log(u1));
  let a = 6.283185307179586 * u2;
  let v = vec4<f32>(-r.x * cos(a.x), -r.x * sin(a.x), -r.y * cos(a.y), -r.y * sin(a.y));`,
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
  let w = gd_philox(vec4<u32>(u32(index), gd_u32(key[1]), uniforms.stream, 0u), vec2<u32>(gd_u32(key[0]), 0u));${TRANSFORMS[kind]}
  for (var q : i32 = 0; q < 4; q = q + 1) {
    if (4 * index + q < n) { result[4 * index + q] = v[q]; }
  }
}
`;
}
