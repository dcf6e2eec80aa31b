/** Per-op WebAssembly SIMD templates of fused kernels: each op's f32x4 code, or null where the op is not fusable into a WASM kernel. */
import type { OpName } from '../../ir/ops.js';
import { exp4, f4, log4, tanh4, type Ref, type SimdEmitter } from './simd-math.js';

/** How a kernel member becomes f32x4 code. Comparisons give 1.0/0.0 lanes, as the IR says. */
export type WasmTemplate =
  | { readonly kind: 'unary'; readonly emit: (s: SimdEmitter, x: Ref) => Ref }
  | { readonly kind: 'binary'; readonly emit: (s: SimdEmitter, a: Ref, b: Ref) => Ref }
  | { readonly kind: 'where' }
  /** The value of its only input (layout and gradient-only ops: the flat buffer is the same). */
  | { readonly kind: 'identity' }
  /**
   * A reduction: `init` is the identity element; `wide` says how lanes accumulate over the space
   * (sum and prod in float64, as the JS kernels do, so 10⁶ float32 terms do not drift).
   */
  | { readonly kind: 'reduce'; readonly init: number; readonly wide: 'sum' | 'prod' | 'max' | 'min' };

const un = (emit: (s: SimdEmitter, x: Ref) => Ref): WasmTemplate => ({ kind: 'unary', emit });
const bin = (emit: (s: SimdEmitter, a: Ref, b: Ref) => Ref): WasmTemplate => ({ kind: 'binary', emit });
/** A comparison's all-ones/all-zeros lane mask turned into 1.0/0.0. */
const cmp = (f: (s: SimdEmitter, a: Ref, b: Ref) => Ref): WasmTemplate => bin((s, a, b) => s.m.v128.and(f(s, a, b), f4(s, 1)));

/**
 * Every op, once. null: not fusable into a WASM kernel (the runtime runs the kernel op by op): ops
 * that are not elementwise, and elementwise ones whose float32 formula here would lose accuracy
 * that tfjs keeps (log1p and softplus near 0 through exp/log; sin, cos, pow need their own
 * range reductions, not written yet).
 */
export const WASM_TEMPLATES = {
  const: null,
  neg: un((s, x) => s.m.f32x4.neg(x)),
  exp: un(exp4),
  log: un(log4),
  log1p: null,
  sqrt: un((s, x) => s.m.f32x4.sqrt(x)),
  rsqrt: un((s, x) => s.m.f32x4.div(f4(s, 1), s.m.f32x4.sqrt(x))),
  abs: un((s, x) => s.m.f32x4.abs(x)),
  // ±1 by the sign, 0 and NaN kept (Math.sign).
  sign: un((s, x) => {
    const v = s.tmp(x);
    const { m } = s;
    const pos = m.v128.bitselect(f4(s, 1), v(), m.f32x4.gt(v(), f4(s, 0)));
    return m.v128.bitselect(f4(s, -1), pos, m.f32x4.lt(v(), f4(s, 0)));
  }),
  // x > 0 ? x : 0 (a NaN gives 0, as the JS kernels and the interpreter do).
  relu: un((s, x) => {
    const v = s.tmp(x);
    return s.m.v128.and(v(), s.m.f32x4.gt(v(), f4(s, 0)));
  }),
  sigmoid: un((s, x) => s.m.f32x4.div(f4(s, 1), s.m.f32x4.add(f4(s, 1), exp4(s, s.m.f32x4.neg(x))))),
  tanh: un(tanh4),
  softplus: null,
  sin: null,
  cos: null,
  square: un((s, x) => {
    const v = s.tmp(x);
    return s.m.f32x4.mul(v(), v());
  }),
  reciprocal: un((s, x) => s.m.f32x4.div(f4(s, 1), x)),
  floor: un((s, x) => s.m.f32x4.floor(x)),
  stop_gradient: { kind: 'identity' },
  add: bin((s, a, b) => s.m.f32x4.add(a, b)),
  sub: bin((s, a, b) => s.m.f32x4.sub(a, b)),
  mul: bin((s, a, b) => s.m.f32x4.mul(a, b)),
  div: bin((s, a, b) => s.m.f32x4.div(a, b)),
  pow: null,
  // wasm's f32x4.max/min return NaN when either lane is NaN, like Math.max/min.
  maximum: bin((s, a, b) => s.m.f32x4.max(a, b)),
  minimum: bin((s, a, b) => s.m.f32x4.min(a, b)),
  lt: cmp((s, a, b) => s.m.f32x4.lt(a, b)),
  le: cmp((s, a, b) => s.m.f32x4.le(a, b)),
  gt: cmp((s, a, b) => s.m.f32x4.gt(a, b)),
  ge: cmp((s, a, b) => s.m.f32x4.ge(a, b)),
  eq: cmp((s, a, b) => s.m.f32x4.eq(a, b)),
  ne: cmp((s, a, b) => s.m.f32x4.ne(a, b)),
  where: { kind: 'where' },
  sum: { kind: 'reduce', init: 0, wide: 'sum' },
  max: { kind: 'reduce', init: -Infinity, wide: 'max' },
  min: { kind: 'reduce', init: Infinity, wide: 'min' },
  prod: { kind: 'reduce', init: 1, wide: 'prod' },
  reshape: { kind: 'identity' },
  broadcast_to: { kind: 'identity' },
  transpose: null,
  slice: null,
  pad: null,
  concat: null,
  matmul: null,
  cumsum: null,
  sort: null,
  argmax: null,
  one_hot: null,
  randn: null,
  rand: null,
  inv: null,
  logdet: null,
  solve: null,
  proj_simplex: null,
} satisfies Record<OpName, WasmTemplate | null>;
