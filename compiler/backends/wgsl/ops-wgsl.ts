/** Per-op WGSL templates for fused kernels: what each IR op computes, as f32 WGSL text (null: the op never runs inside a generated kernel). */
import type { OpName } from '../../ir/ops.js';

export type WgslOp =
  | { readonly kind: 'unary'; readonly f: (x: string) => string }
  | { readonly kind: 'binary'; readonly f: (a: string, b: string) => string }
  | { readonly kind: 'select' }
  /** Same values, another shape or a gradient barrier: no code, the indexing does the work. */
  | { readonly kind: 'view' }
  /** `init` is an expression (may read the uniforms tfjs always declares); `combine` folds two partial results. */
  | { readonly kind: 'reduce'; readonly init: string; readonly combine: (a: string, b: string) => string };

const unary = (f: (x: string) => string): WgslOp => ({ kind: 'unary', f });
const binary = (f: (a: string, b: string) => string): WgslOp => ({ kind: 'binary', f });
const cmp = (op: string): WgslOp => binary((a, b) => `select(0.0, 1.0, ${a} ${op} ${b})`);
const view: WgslOp = { kind: 'view' };

/**
 * Helpers the templates call. Where WGSL's builtin differs from the IR's meaning they say why:
 * pow of a negative base is undefined in WGSL (tfjs and the interpreter give ±|a|^b for integer b);
 * max/min must propagate NaN (the interpreter's and tfjs's reductions do; WGSL's max may drop it);
 * tanh is clamped because exp overflow inside some drivers' tanh gives NaN for |x| > 44;
 * log1p has no builtin: log(u)·x/(u−1) with u = 1+x is accurate to a few ulps (Goldberg's form);
 * sin and cos are computed here: Vulkan lets the builtins err by 2^-11 absolute and SwiftShader does
 * (1.9e-4 measured), so the argument is reduced by 2π (Cody–Waite, two constants) and by quarter
 * turns, and Taylor polynomials run on [-π/4, π/4] (a few ulps for |x| up to about 10^4).
 */
export const WGSL_HELPERS = `
fn gd_pow(a : f32, b : f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (b == 1.0) { return a; }
  if (b == 2.0) { return a * a; }
  if (b == 0.5) { return sqrt(a); }
  if (a >= 0.0) { return pow(a, b); }
  if (round(b) != b) { return uniforms.NAN; }
  let m = pow(-a, b);
  return select(m, -m, (i32(b) & 1) != 0);
}
fn gd_max(a : f32, b : f32) -> f32 {
  if (isnan(a)) { return a; }
  if (isnan(b)) { return b; }
  return max(a, b);
}
fn gd_min(a : f32, b : f32) -> f32 {
  if (isnan(a)) { return a; }
  if (isnan(b)) { return b; }
  return min(a, b);
}
fn gd_cos_sin(x : f32) -> vec2<f32> {
  let q = round(x * 0.159154943);
  let f = (x - q * 6.28125) - q * 0.00193530717958647692;
  let h = round(f * 0.636619772);
  let t = (f - h * 1.5703125) - h * 0.000483826794896619231;
  let t2 = t * t;
  let c = 1.0 - t2 * (0.5 - t2 * (1.0 / 24.0 - t2 * (1.0 / 720.0 - t2 * (1.0 / 40320.0))));
  let s = t * (1.0 - t2 * (1.0 / 6.0 - t2 * (1.0 / 120.0 - t2 * (1.0 / 5040.0 - t2 * (1.0 / 362880.0)))));
  let k = i32(h) & 3;
  if (k == 0) { return vec2<f32>(c, s); }
  if (k == 1) { return vec2<f32>(-s, c); }
  if (k == 2) { return vec2<f32>(-c, -s); }
  return vec2<f32>(s, -c);
}
fn gd_log1p(x : f32) -> f32 {
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  return log(u) * x / (u - 1.0);
}
`;

/** Every op of the IR, typed against the op table so a new op must say whether generated kernels can run it. */
export const WGSL_OPS = {
  const: null, // constants are kernel inputs: a splat value becomes a uniform, literal data a buffer
  neg: unary((x) => `(-${x})`),
  exp: unary((x) => `exp(${x})`),
  log: unary((x) => `log(${x})`),
  log1p: unary((x) => `gd_log1p(${x})`),
  sqrt: unary((x) => `sqrt(${x})`),
  rsqrt: unary((x) => `inverseSqrt(${x})`),
  abs: unary((x) => `abs(${x})`),
  sign: unary((x) => `sign(${x})`),
  relu: unary((x) => `select(0.0, ${x}, ${x} > 0.0)`),
  sigmoid: unary((x) => `(1.0 / (1.0 + exp(-${x})))`),
  tanh: unary((x) => `tanh(clamp(${x}, -15.0, 15.0))`),
  softplus: unary((x) => `(max(${x}, 0.0) + gd_log1p(exp(-abs(${x}))))`),
  sin: unary((x) => `gd_cos_sin(${x}).y`),
  cos: unary((x) => `gd_cos_sin(${x}).x`),
  square: unary((x) => `(${x} * ${x})`),
  reciprocal: unary((x) => `(1.0 / ${x})`),
  floor: unary((x) => `floor(${x})`),
  stop_gradient: view,
  add: binary((a, b) => `(${a} + ${b})`),
  sub: binary((a, b) => `(${a} - ${b})`),
  mul: binary((a, b) => `(${a} * ${b})`),
  div: binary((a, b) => `(${a} / ${b})`),
  pow: binary((a, b) => `gd_pow(${a}, ${b})`),
  maximum: binary((a, b) => `gd_max(${a}, ${b})`),
  minimum: binary((a, b) => `gd_min(${a}, ${b})`),
  lt: cmp('<'),
  le: cmp('<='),
  gt: cmp('>'),
  ge: cmp('>='),
  eq: cmp('=='),
  ne: cmp('!='),
  where: { kind: 'select' },
  sum: { kind: 'reduce', init: '0.0', combine: (a, b) => `(${a} + ${b})` },
  max: { kind: 'reduce', init: '-uniforms.INFINITY', combine: (a, b) => `gd_max(${a}, ${b})` },
  min: { kind: 'reduce', init: 'uniforms.INFINITY', combine: (a, b) => `gd_min(${a}, ${b})` },
  prod: { kind: 'reduce', init: '1.0', combine: (a, b) => `(${a} * ${b})` },
  reshape: view,
  broadcast_to: view,
  // Layout, linear algebra, scans and sorts are not elementwise: tfjs-backend-webgpu runs them op by op.
  transpose: null,
  slice: null,
  pad: null,
  concat: null,
  matmul: null,
  cumsum: null,
  sort: null,
  argmax: null,
  one_hot: null,
  // Random ops run as their own Philox program (philox-wgsl.ts), never inside a fused kernel.
  randn: null,
  rand: null,
  inv: null,
  logdet: null,
  solve: null,
  proj_simplex: null,
} satisfies Record<OpName, WgslOp | null>;
