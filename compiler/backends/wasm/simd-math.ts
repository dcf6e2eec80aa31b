/**
 * Vectorized float32 exp and log (f32x4) as binaryen IR: Cephes' expf/logf range reductions and
 * minimax polynomials, with the IEEE edge cases (0, denormals, ±inf, NaN, negative logs) handled by
 * lane selects. test/backends/wasm-simd.test.ts measures their error against Math.exp/Math.log.
 */
import type binaryen from 'binaryen';

/** A binaryen module under construction. */
type Module = binaryen.Module;

/** binaryen's ExpressionRef (a number) under a local name: an expression tree node. */
export type Ref = number;

/**
 * Where generated code goes: `m` builds expressions, `stmts` collects statements in order, and
 * `tmp` stores an expression in a fresh v128 local (returning a getter), so a value used several
 * times is computed once.
 */
export interface SimdEmitter extends ConstPool {
  readonly stmts: Ref[];
  tmp(e: Ref): () => Ref;
  /** A fresh v128 local: `set` gives the statement, `get` an expression reading it. */
  local(): { set(e: Ref): Ref; get(): Ref };
  /** An emitter over a new statement list (a branch), sharing this one's locals and constants. */
  fork(): SimdEmitter;
  /**
   * `if (cond) {fast} else {slow}` as one statement, where `fast` and `slow` are forks of this emitter.
   * A kernel that emits two vectors' code and interleaves it (kernel-wasm.ts) joins the two copies'
   * branches into one whose condition is both conditions.
   */
  branch(cond: Ref, fast: SimdEmitter, slow: SimdEmitter): void;
}

/**
 * Where v128 constants come from: `c4` (when given) returns a hoisted local holding the constant
 * (V8 rebuilds a v128.const from two 64-bit immediates at every use, several instructions each time
 * inside a loop), otherwise a plain v128.const.
 */
export interface ConstPool {
  readonly m: Module;
  readonly c4?: (bits: number) => Ref;
}

const f32Bits = (x: number) => new Uint32Array(Float32Array.of(x).buffer)[0]!;

/** An f32x4 constant with the same value in every lane. */
export function f4(p: ConstPool, x: number): Ref {
  return i4(p, f32Bits(x) | 0);
}

/** An i32x4 constant with the same value in every lane. */
export function i4(p: ConstPool, x: number): Ref {
  return p.c4 ? p.c4(x | 0) : v128Splat(p.m, x | 0);
}

/** The v128.const with `x` in every i32 lane. */
export function v128Splat(m: Module, x: number): Ref {
  const bytes = new Uint8Array(16);
  const v = new DataView(bytes.buffer);
  for (let l = 0; l < 4; l++) v.setInt32(4 * l, x, true);
  return m.v128.const(bytes);
}

/** Horner evaluation c[0]·x^(k-1) + … + c[k-1] with f32x4 mul/add. */
function horner(s: SimdEmitter, x: () => Ref, c: readonly number[]): Ref {
  const { m } = s;
  let acc = f4(s, c[0]!);
  for (let k = 1; k < c.length; k++) acc = m.f32x4.add(m.f32x4.mul(acc, x()), f4(s, c[k]!));
  return acc;
}

// Cephes expf: exp(x) = 2^n · exp(r), n = round(x / ln 2), r = x − n·ln 2 in two parts (Cody–Waite:
// C1 has 9 significant bits, so n·C1 is exact for |n| ≤ 150), exp(r) ≈ 1 + r + r²·P(r) on |r| ≤ ln2/2.
const LOG2E = 1.44269504088896341;
const EXP_C1 = 0.693359375;
const EXP_C2 = -2.12194440e-4;
const EXP_P = [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1];
/** Inputs are clamped to [EXP_LO, EXP_HI]: exp(-104) rounds to +0 in float32 and exp(89) to +inf, so the clamp changes no result. */
const EXP_LO = -104;
const EXP_HI = 89;

/** 1.5·2^23: adding it rounds a float in (−2^22, 2^22) to an integer (nearest, ties to even) held in the low mantissa bits. */
const ROUND_MAGIC = 12582912;

/**
 * e^x lane by lane. When every lane has |x| ≤ 87 (one compare; NaN fails it) the result is normal and
 * 2^n is added to y's exponent bits directly. Otherwise the clamp uses pmin/pmax (one instruction each)
 * with the operand order that keeps a NaN lane NaN; ±inf land on the clamp bounds and give +inf / +0;
 * and 2^n is applied as two factors 2^⌊n/2⌋ · 2^(n−⌊n/2⌋), each a normal float for n in [−150, 128],
 * so results in the denormal range are rounded once, correctly. n = round(x·log2 e) comes from the
 * magic-number addition (its bits minus the magic's bits are n). The slow path gives the fast path's
 * bits on lanes with |x| ≤ 87 (the clamp is the identity there, and the two exact power-of-2 factors
 * give the exponent addition's result), so two vectors may share one branch (kernel-wasm.ts).
 */
export function exp4(s: SimdEmitter, x: Ref): Ref {
  const { m } = s;
  const xin = s.tmp(x);
  const res = s.local();
  const fast = s.fork();
  fast.stmts.push(res.set(expCore(fast, xin, false)));
  const slow = s.fork();
  // pmax(a, b) = a < b ? b : a and pmin(a, b) = b < a ? b : a: with x first, a NaN x is returned.
  const xc = slow.tmp(m.f32x4.pmin(m.f32x4.pmax(xin(), f4(s, EXP_LO)), f4(s, EXP_HI)));
  slow.stmts.push(res.set(expCore(slow, xc, true)));
  s.branch(m.i32x4.all_true(m.f32x4.le(m.f32x4.abs(xin()), f4(s, 87))), fast, slow);
  return res.get();
}

function expCore(s: SimdEmitter, xc: () => Ref, wide: boolean): Ref {
  const { m } = s;
  const t = s.tmp(m.f32x4.add(m.f32x4.mul(xc(), f4(s, LOG2E)), f4(s, ROUND_MAGIC)));
  const fx = s.tmp(m.f32x4.sub(t(), f4(s, ROUND_MAGIC)));
  const r = s.tmp(m.f32x4.sub(m.f32x4.sub(xc(), m.f32x4.mul(fx(), f4(s, EXP_C1))), m.f32x4.mul(fx(), f4(s, EXP_C2))));
  const z = s.tmp(m.f32x4.mul(r(), r()));
  // y = P(r)·r² + r + 1
  const y = m.f32x4.add(m.f32x4.add(m.f32x4.mul(horner(s, r, EXP_P), z()), r()), f4(s, 1));
  const n = s.tmp(m.i32x4.sub(t(), i4(s, f32Bits(ROUND_MAGIC))));
  // |x| ≤ 87: y·2^n is normal, so adding n to the exponent field is exact.
  if (!wide) return m.i32x4.add(y, m.i32x4.shl(n(), m.i32.const(23)));
  const n1 = s.tmp(m.i32x4.shr_s(n(), m.i32.const(1)));
  const n2 = m.i32x4.sub(n(), n1());
  const pow2 = (k: Ref) => m.i32x4.shl(m.i32x4.add(k, i4(s, 127)), m.i32.const(23));
  return m.f32x4.mul(m.f32x4.mul(y, pow2(n1())), pow2(n2));
}

// Cephes logf: x = 2^e · f with f in [√½, √2), log x = e·ln 2 + log1p(f − 1) with log1p(u) ≈ u − u²/2 + u³·P(u).
const SQRTHF = 0.707106781186547524;
const LOG_P = [7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1];
const MIN_NORMAL = 1.1754943508222875e-38;

/**
 * Natural log lane by lane: +0/−0 → −inf, negative or NaN → NaN, +inf → +inf; denormals are scaled
 * by 2^23 before the exponent is read, so they get full relative accuracy too. When all four lanes
 * are positive normal finite numbers (the usual case, one integer compare) a branch skips the
 * denormal scaling and the edge selects, about 15% of a log. The slow path gives the fast path's bits
 * on positive normal finite lanes (no scaling, no edge select applies), so two vectors may share one
 * branch (kernel-wasm.ts).
 */
export function log4(s: SimdEmitter, x: Ref): Ref {
  const { m } = s;
  const xin = s.tmp(x);
  const res = s.local();
  // x positive, normal and finite ⇔ bits(x) − bits(2^-126) < bits(inf) − bits(2^-126) as unsigned integers.
  const normal = m.i32x4.lt_u(m.i32x4.sub(xin(), i4(s, 0x00800000)), i4(s, 0x7f000000));
  const fast = s.fork();
  fast.stmts.push(res.set(logCore(fast, xin, false)));
  const slow = s.fork();
  slow.stmts.push(res.set(logEdges(slow, xin, logCore(slow, xin, true))));
  s.branch(m.i32x4.all_true(normal), fast, slow);
  return res.get();
}

/** The reduction and polynomial; with `denormals`, inputs below 2^-126 are scaled by 2^23 first. */
function logCore(s: SimdEmitter, xin: () => Ref, denormals: boolean): Ref {
  const { m } = s;
  let xs = xin;
  let e1: Ref = m.i32x4.sub(m.i32x4.shr_u(xin(), m.i32.const(23)), i4(s, 126));
  if (denormals) {
    const small = s.tmp(m.f32x4.lt(xin(), f4(s, MIN_NORMAL)));
    xs = s.tmp(m.v128.bitselect(m.f32x4.mul(xin(), f4(s, 8388608)), xin(), small()));
    // Exponent (bias 126, so f = mantissa·2^-1 lies in [0.5, 1)), less 23 for the denormals just scaled.
    e1 = m.i32x4.sub(m.i32x4.sub(m.i32x4.shr_u(xs(), m.i32.const(23)), i4(s, 126)), m.v128.and(small(), i4(s, 23)));
  }
  const f = s.tmp(m.v128.or(m.v128.and(xs(), i4(s, 0x007fffff)), i4(s, 0x3f000000)));
  // f < √½: use 2f − 1 and e − 1 (the mask is all ones, i.e. −1 as an integer).
  const lt = s.tmp(m.f32x4.lt(f(), f4(s, SQRTHF)));
  const e = s.tmp(m.f32x4.convert_i32x4_s(m.i32x4.add(e1, lt())));
  const u = s.tmp(m.f32x4.sub(m.f32x4.add(f(), m.v128.and(f(), lt())), f4(s, 1)));
  const z = s.tmp(m.f32x4.mul(u(), u()));
  let y = m.f32x4.mul(m.f32x4.mul(horner(s, u, LOG_P), u()), z());
  y = m.f32x4.add(y, m.f32x4.mul(e(), f4(s, -2.12194440e-4)));
  y = m.f32x4.sub(y, m.f32x4.mul(z(), f4(s, 0.5)));
  return m.f32x4.add(m.f32x4.add(u(), y), m.f32x4.mul(e(), f4(s, 0.693359375)));
}

/** Edge lanes, last one wins: +inf → +inf; 0 → −inf; negative or NaN → NaN. */
function logEdges(s: SimdEmitter, xin: () => Ref, res: Ref): Ref {
  const { m } = s;
  const withInf = m.v128.bitselect(f4(s, Infinity), res, m.f32x4.eq(xin(), f4(s, Infinity)));
  const withZero = m.v128.bitselect(f4(s, -Infinity), withInf, m.f32x4.eq(xin(), f4(s, 0)));
  const bad = m.v128.or(m.f32x4.lt(xin(), f4(s, 0)), m.f32x4.ne(xin(), xin()));
  return m.v128.bitselect(f4(s, NaN), withZero, bad);
}

// Cephes tanhf: for |x| < 0.625 the odd polynomial x + x·z·P(z), z = x² (no cancellation near 0);
// above, 1 − 2/(e + 1) with e = exp4(2|x|): a relative error δ in e moves the result by 2eδ/(e + 1)²,
// at most 0.62·δ relative to it (at |x| = 0.625; less above).
const TANH_P = [-5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1];

/**
 * tanh lane by lane, computed on |x| with x's sign bit put back (so tanh(−0) = −0 and the result is
 * exactly odd). Both forms are computed and selected per lane: branching when all four lanes are
 * above 0.625 (as exp4 does for its fast path) measured slower, 2.6 vs 2.0 ms per 10^6 mixed inputs
 * (the branch mispredicts). tanh(±inf) = ±1 (e^{2|x|} overflows to inf, 2/inf = 0); NaN stays NaN
 * (it fails |x| < 0.625, and exp4 keeps it).
 */
export function tanh4(s: SimdEmitter, x: Ref): Ref {
  const { m } = s;
  const xin = s.tmp(x);
  const ax = s.tmp(m.f32x4.abs(xin()));
  const z = s.tmp(m.f32x4.mul(ax(), ax()));
  const small = s.tmp(m.f32x4.add(m.f32x4.mul(m.f32x4.mul(horner(s, z, TANH_P), z()), ax()), ax()));
  const e = exp4(s, m.f32x4.add(ax(), ax()));
  const large = m.f32x4.sub(f4(s, 1), m.f32x4.div(f4(s, 2), m.f32x4.add(e, f4(s, 1))));
  const r = m.v128.bitselect(small(), large, m.f32x4.lt(ax(), f4(s, 0.625)));
  return m.v128.or(r, m.v128.and(xin(), i4(s, 0x80000000 | 0)));
}
