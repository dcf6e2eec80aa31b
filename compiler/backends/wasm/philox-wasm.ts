/**
 * The fixed WebAssembly module that draws compiler/ir/rng.ts's random streams into an imported memory:
 * Philox-4x32-10 four blocks at a time in i32x4 lanes, uniforms bit-identical to randFill and normals
 * bit-identical to randnFill after rounding to float32 (Box–Muller with fdlibm's log, sin and cos,
 * which are V8's Math.log/sin/cos, ported to f64x2). scripts/gen-philox-wasm.ts writes its bytes to
 * runtime/wasm-simd/philox-module.ts, so the runtime never loads binaryen for it.
 */
import type { Binaryen } from './kernel-wasm.js';

/** binaryen's ExpressionRef. */
type Ref = number;

// Philox-4x32 multipliers and Weyl key increments (as in rng.ts).
const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

// fdlibm e_log.c: log(x) = k·ln2 + log(1+f), log(1+f) = f − s·(f − R(s²)), s = f/(2+f); ln2 in two parts.
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const LG = [6.666666666666735130e-1, 3.999999999940941908e-1, 2.857142874366239149e-1, 2.222219843214978396e-1, 1.818357216161805012e-1, 1.531383769920937332e-1, 1.479819860511658591e-1];
// fdlibm k_sin.c / k_cos.c minimax coefficients on [-π/4, π/4].
const S = [-1.66666666666666324348e-1, 8.33333333332248946124e-3, -1.98412698298579493134e-4, 2.75573137070700676789e-6, -2.50507602534068634195e-8, 1.58969099521155010221e-10];
const C = [4.16666666666666019037e-2, -1.38888888888741095749e-3, 2.48015872894767294178e-5, -2.75573143513906633035e-7, 2.08757232129817482790e-9, -1.13596475577881948265e-11];
// fdlibm e_rem_pio2.c: 2/π and π/2 in 33 + 33 + 53 bits (n·PIO2_1 and n·PIO2_2 are exact for small n).
const INV_PIO2 = 6.36619772367581382433e-1;
const PIO2_1 = 1.57079632673412561417;
const PIO2_1T = 6.07710050650619224932e-11;
const PIO2_2 = 6.07710050630396597660e-11;
const PIO2_2T = 2.02226624879595063154e-21;

/** The byte mask of an i8x16.shuffle that picks 32-bit lanes (0..3 from the left operand, 4..7 from the right). */
function lanes32(l: readonly [number, number, number, number]): number[] {
  return l.flatMap((x) => [4 * x, 4 * x + 1, 4 * x + 2, 4 * x + 3]);
}

/**
 * The module's binary: exports `rand(addr, n, seed, step, stream)` and `randn(addr, n, seed, step,
 * stream)` (i32 arguments; seed, step, stream are rng.ts's uint32s) that write n float32s at byte
 * address `addr` of the imported memory `env.memory`, element i equal to Math.fround of
 * randFill/randnFill's element i; nothing past element n−1 is written.
 */
export function buildPhiloxWasm(bn: Binaryen): Uint8Array {
  const m = new bn.Module();
  try {
    m.setFeatures(bn.Features.SIMD128 | bn.Features.NontrappingFPToInt | bn.Features.MutableGlobals | bn.Features.SignExt);
    // No maximum (-1): any memory matches the import (tfjs-wasm's or a test's).
    m.setMemory(1, -1, null, [], false, false, 'mem');
    m.addMemoryImport('mem', 'env', 'memory');
    addFill(bn, m);
    const params = bn.createType([bn.i32, bn.i32, bn.i32, bn.i32, bn.i32]);
    const args = [0, 1, 2, 3, 4].map((i) => m.local.get(i, bn.i32));
    m.addFunction('rand', params, bn.none, [], m.call('fill', [...args, m.i32.const(0)], bn.none));
    m.addFunction('randn', params, bn.none, [], m.call('fill', [...args, m.i32.const(1)], bn.none));
    m.addFunctionExport('rand', 'rand');
    m.addFunctionExport('randn', 'randn');
    if (!m.validate()) throw new Error('the Philox WASM module does not validate');
    m.optimize();
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

/** `fill(addr, n, seed, step, stream, normal)`: the one loop behind both exports. */
function addFill(bn: Binaryen, m: InstanceType<Binaryen['Module']>): void {
  const NPARAMS = 6;
  const [ADDR, N, SEED, STEP, STREAM, NORMAL] = [0, 1, 2, 3, 4, 5];
  const vars: number[] = [];
  const newLocal = (type: number): number => {
    vars.push(type);
    return NPARAMS + vars.length - 1;
  };
  const i32 = (l: number) => m.local.get(l, bn.i32);
  const v = (l: number) => m.local.get(l, bn.v128);
  /** A fresh v128 local set to `e`: the statement and a getter. */
  const tmp = (st: Ref[], e: Ref): (() => Ref) => {
    const l = newLocal(bn.v128);
    st.push(m.local.set(l, e));
    return () => v(l);
  };

  // Every v128 constant lives in a local set once at entry: V8 rebuilds a v128.const at every use
  // (see docs/wasm-kernels.md), and the normal transform uses about forty of them per pair.
  const entry: Ref[] = [];
  const consts = new Map<string, number>();
  const c128 = (bytes: Uint8Array): Ref => {
    const key = Array.from(bytes).join(',');
    let l = consts.get(key);
    if (l === undefined) {
      l = newLocal(bn.v128);
      consts.set(key, l);
      entry.push(m.local.set(l, m.v128.const(bytes)));
    }
    return v(l);
  };
  const i4 = (...x: number[]): Ref => {
    const b = new Uint8Array(16);
    const dv = new DataView(b.buffer);
    for (let k = 0; k < 4; k++) dv.setInt32(4 * k, x[x.length === 1 ? 0 : k]! | 0, true);
    return c128(b);
  };
  const f4 = (x: number): Ref => i4(new Int32Array(Float32Array.of(x).buffer)[0]!);
  const i2 = (x: bigint): Ref => {
    const b = new Uint8Array(16);
    const dv = new DataView(b.buffer);
    dv.setBigInt64(0, x, true);
    dv.setBigInt64(8, x, true);
    return c128(b);
  };
  const d2 = (x: number): Ref => {
    const b = new Uint8Array(16);
    const dv = new DataView(b.buffer);
    dv.setFloat64(0, x, true);
    dv.setFloat64(8, x, true);
    return c128(b);
  };
  const sh = (a: Ref, b: Ref, l: [number, number, number, number]) => m.i8x16.shuffle(a, b, lanes32(l));
  const F = m.f64x2;
  const I = m.i64x2;
  const sel = (ifTrue: Ref, ifFalse: Ref, mask: Ref) => m.v128.bitselect(ifTrue, ifFalse, mask);

  const body: Ref[] = [];
  const seed = tmp(entry, m.i32x4.splat(i32(SEED)));
  const step = tmp(entry, m.i32x4.splat(i32(STEP)));
  const stream = tmp(entry, m.i32x4.splat(i32(STREAM)));

  // ── Philox-4x32-10 on blocks j..j+3 (lane l = block j+l) ─────────────────
  const e = newLocal(bn.i32); // first element of this iteration's 16
  const round = newLocal(bn.i32);
  const [c0, c1, c2, c3, k0, k1] = [0, 0, 0, 0, 0, 0].map(() => newLocal(bn.v128)) as [number, number, number, number, number, number];
  const philox: Ref[] = [
    m.local.set(c0, m.i32x4.add(m.i32x4.splat(m.i32.shr_u(i32(e), m.i32.const(2))), i4(0, 1, 2, 3))),
    m.local.set(c1, step()),
    m.local.set(c2, stream()),
    m.local.set(c3, i4(0)),
    m.local.set(k0, seed()),
    m.local.set(k1, i4(0)),
    m.local.set(round, m.i32.const(10)),
  ];
  {
    const r: Ref[] = [];
    // 32×32→64 products of lanes 0, 1 and 2, 3; the high words are bytes 4..7 of each 64-bit lane.
    const mulhilo = (c: number, mul: number) => {
      const lo = tmp(r, I.extmul_low_i32x4_u(v(c), i4(mul)));
      const hi = tmp(r, I.extmul_high_i32x4_u(v(c), i4(mul)));
      return { hi: sh(lo(), hi(), [1, 3, 5, 7]), lo: sh(lo(), hi(), [0, 2, 4, 6]) };
    };
    const p0 = mulhilo(c0, M0);
    const p1 = mulhilo(c2, M1);
    const hi0 = tmp(r, p0.hi);
    const lo0 = tmp(r, p0.lo);
    const hi1 = tmp(r, p1.hi);
    const lo1 = tmp(r, p1.lo);
    r.push(
      m.local.set(c0, m.v128.xor(m.v128.xor(hi1(), v(c1)), v(k0))),
      m.local.set(c2, m.v128.xor(m.v128.xor(hi0(), v(c3)), v(k1))),
      m.local.set(c1, lo1()),
      m.local.set(c3, lo0()),
      m.local.set(k0, m.i32x4.add(v(k0), i4(W0))),
      m.local.set(k1, m.i32x4.add(v(k1), i4(W1))),
      m.local.set(round, m.i32.sub(i32(round), m.i32.const(1))),
      m.br('round', i32(round)),
    );
    philox.push(m.loop('round', m.block(null, r)));
  }

  // ── uniforms: (w >>> 8)·2⁻²⁴, exact in float32; then words back to element order ──
  const out = [0, 0, 0, 0].map(() => newLocal(bn.v128));
  /** out[l] = (a[l], b[l], c[l], d[l]): the 4×4 transpose from word-major to block-major. */
  const transpose = (st: Ref[], a: Ref, b: Ref, c: Ref, d: Ref) => {
    const A = tmp(st, a);
    const B = tmp(st, b);
    const Cc = tmp(st, c);
    const D = tmp(st, d);
    const t0 = tmp(st, sh(A(), B(), [0, 4, 1, 5]));
    const t1 = tmp(st, sh(A(), B(), [2, 6, 3, 7]));
    const t2 = tmp(st, sh(Cc(), D(), [0, 4, 1, 5]));
    const t3 = tmp(st, sh(Cc(), D(), [2, 6, 3, 7]));
    st.push(
      m.local.set(out[0]!, sh(t0(), t2(), [0, 1, 4, 5])),
      m.local.set(out[1]!, sh(t0(), t2(), [2, 3, 6, 7])),
      m.local.set(out[2]!, sh(t1(), t3(), [0, 1, 4, 5])),
      m.local.set(out[3]!, sh(t1(), t3(), [2, 3, 6, 7])),
    );
  };
  const uniform: Ref[] = [];
  {
    const u = (c: number) => m.f32x4.mul(m.f32x4.convert_i32x4_s(m.i32x4.shr_u(v(c), m.i32.const(8))), f4(2 ** -24));
    transpose(uniform, u(c0), u(c1), u(c2), u(c3));
  }

  // ── normals: Box–Muller on (w0, w1) → elements 4j, 4j+1 and (w2, w3) → 4j+2, 4j+3 ──
  // Four pair vectors (u1, u2 as f64x2 over two blocks) go through one loop body: the queue q1/q2
  // shifts down each pass and res[3] receives (r·cos, r·cos, r·sin, r·sin) of the pass's two blocks,
  // so after four passes res = [pair a of blocks 0,1; pair a of blocks 2,3; pair b 0,1; pair b 2,3].
  const normal: Ref[] = [];
  {
    const q1 = [0, 0, 0, 0].map(() => newLocal(bn.v128));
    const q2 = [0, 0, 0, 0].map(() => newLocal(bn.v128));
    const res = [0, 0, 0, 0].map(() => newLocal(bn.v128));
    const pass = newLocal(bn.i32);
    // u1 = ((w >>> 8) + 1)·2⁻²⁴ ∈ (0, 1], u2 = (w >>> 8)·2⁻²⁴, in float64 (exact).
    const toF64 = (w: Ref, plus: number, high: boolean): Ref => {
      const x = m.i32x4.add(m.i32x4.shr_u(w, m.i32.const(8)), i4(plus));
      return F.mul(F.convert_low_i32x4_s(high ? sh(x, i4(0), [2, 3, 4, 4]) : x), d2(2 ** -24));
    };
    [c0, c2].forEach((cu1, p) => {
      const cu2 = p === 0 ? c1 : c3;
      for (const high of [false, true]) {
        normal.push(m.local.set(q1[2 * p + (high ? 1 : 0)]!, toF64(v(cu1), 1, high)));
        normal.push(m.local.set(q2[2 * p + (high ? 1 : 0)]!, toF64(v(cu2), 0, high)));
      }
    });
    const st: Ref[] = [];
    const u1 = tmp(st, v(q1[0]!));
    const u2 = tmp(st, v(q2[0]!));
    const r = tmp(st, F.sqrt(F.mul(d2(-2), logF64x2(st, u1))));
    const { sin, cos } = sinCosF64x2(st, tmp(st, F.mul(d2(2 * Math.PI), u2())));
    const zc = F.mul(r(), cos);
    const zs = F.mul(r(), sin);
    const z = sh(m.f32x4.demote_f64x2_zero(zc), m.f32x4.demote_f64x2_zero(zs), [0, 1, 4, 5]);
    for (let k = 0; k < 3; k++) st.push(m.local.set(q1[k]!, v(q1[k + 1]!)), m.local.set(q2[k]!, v(q2[k + 1]!)), m.local.set(res[k]!, v(res[k + 1]!)));
    st.push(m.local.set(res[3]!, z));
    st.push(m.local.set(pass, m.i32.sub(i32(pass), m.i32.const(1))), m.br('pass', i32(pass)));
    normal.push(m.local.set(pass, m.i32.const(4)), m.loop('pass', m.block(null, st)));
    // Block l's elements: (a·cos, a·sin, b·cos, b·sin) = lanes (l, l+2) of pair a's and of pair b's result.
    normal.push(
      m.local.set(out[0]!, sh(v(res[0]!), v(res[2]!), [0, 2, 4, 6])),
      m.local.set(out[1]!, sh(v(res[0]!), v(res[2]!), [1, 3, 5, 7])),
      m.local.set(out[2]!, sh(v(res[1]!), v(res[3]!), [0, 2, 4, 6])),
      m.local.set(out[3]!, sh(v(res[1]!), v(res[3]!), [1, 3, 5, 7])),
    );
  }

  // ── stores: four v128 for a full group of 16, else element by element below n ──
  const ptr = newLocal(bn.i32);
  const rem = newLocal(bn.i32);
  const full = out.map((o, k) => m.v128.store(16 * k, 1, i32(ptr), v(o)));
  const tail: Ref[] = [];
  for (let k = 0; k < 16; k++) {
    const st = m.f32.store(4 * k, 1, i32(ptr), m.f32x4.extract_lane(v(out[k >> 2]!), (k & 3) as unknown as Ref));
    tail.push(k === 0 ? st : m.if(m.i32.lt_u(m.i32.const(k), i32(rem)), st));
  }

  body.push(
    m.local.set(e, m.i32.const(0)),
    m.block('done', [
      m.loop(
        'groups',
        m.block(null, [
          m.br('done', m.i32.ge_u(i32(e), i32(N))),
          ...philox,
          m.if(i32(NORMAL), m.block(null, normal), m.block(null, uniform)),
          m.local.set(ptr, m.i32.add(i32(ADDR), m.i32.shl(i32(e), m.i32.const(2)))),
          m.local.set(rem, m.i32.sub(i32(N), i32(e))),
          m.if(m.i32.ge_u(i32(rem), m.i32.const(16)), m.block(null, full), m.block(null, tail)),
          m.local.set(e, m.i32.add(i32(e), m.i32.const(16))),
          m.br('groups'),
        ]),
      ),
    ]),
  );

  /** fdlibm's __ieee754_log for u in [2⁻²⁴, 1] (positive normal: no special cases), lane by lane. */
  function logF64x2(st: Ref[], x: () => Ref): Ref {
    const hx = tmp(st, I.shr_u(x(), m.i32.const(32)));
    const hxm = tmp(st, m.v128.and(hx(), i2(0xfffffn)));
    const i = tmp(st, m.v128.and(I.add(hxm(), i2(0x95f64n)), i2(0x100000n)));
    // x normalized into [√½, √2): the exponent field set to 0x3ff or 0x3fe.
    const xn = m.v128.or(I.shl(m.v128.or(hxm(), m.v128.xor(i(), i2(0x3ff00000n))), m.i32.const(32)), m.v128.and(x(), i2(0xffffffffn)));
    const k = tmp(st, I.add(I.sub(I.shr_u(hx(), m.i32.const(20)), i2(1023n)), I.shr_u(i(), m.i32.const(20))));
    const dk = tmp(st, F.convert_low_i32x4_s(sh(k(), k(), [0, 2, 0, 2])));
    const f = tmp(st, F.sub(xn, d2(1)));
    const s = tmp(st, F.div(f(), F.add(d2(2), f())));
    const z = tmp(st, F.mul(s(), s()));
    const w = tmp(st, F.mul(z(), z()));
    const t1 = F.mul(w(), F.add(d2(LG[1]!), F.mul(w(), F.add(d2(LG[3]!), F.mul(w(), d2(LG[5]!))))));
    const t2 = F.mul(z(), F.add(d2(LG[0]!), F.mul(w(), F.add(d2(LG[2]!), F.mul(w(), F.add(d2(LG[4]!), F.mul(w(), d2(LG[6]!))))))));
    const R = tmp(st, F.add(t2, t1));
    const hfsq = tmp(st, F.mul(F.mul(d2(0.5), f()), f()));
    const hi = tmp(st, F.mul(dk(), d2(LN2_HI)));
    const lo = tmp(st, F.mul(dk(), d2(LN2_LO)));
    // (hx − 0x6147a) | (0x6b851 − hx) > 0: the mantissa is far enough from 1 for the hfsq form.
    const far = I.gt_s(m.v128.or(I.sub(hxm(), i2(0x6147an)), I.sub(i2(0x6b851n), hxm())), i2(0n));
    const a = F.sub(hi(), F.sub(F.sub(hfsq(), F.add(F.mul(s(), F.add(hfsq(), R())), lo())), f()));
    const b = F.sub(hi(), F.sub(F.sub(F.mul(s(), F.sub(f(), R())), lo()), f()));
    // |f| < 2⁻²⁰: f − f²(½ − f/3).
    const tiny = I.lt_s(m.v128.and(I.add(hxm(), i2(2n)), i2(0xfffffn)), i2(3n));
    const rs = F.mul(F.mul(f(), f()), F.sub(d2(0.5), F.mul(d2(0.33333333333333333), f())));
    const c = F.sub(hi(), F.sub(F.sub(rs, lo()), f()));
    return sel(c, sel(a, b, far), tiny);
  }

  /**
   * fdlibm's sin and cos of x ∈ [0, 2π) lane by lane: __ieee754_rem_pio2's reduction y0 + y1 = x − n·π/2
   * (always with its second, 33+33+53-bit step, which matches fdlibm's results on every input
   * rng.ts can produce), then __kernel_sin/__kernel_cos and the quadrant n mod 4.
   */
  function sinCosF64x2(st: Ref[], x: () => Ref): { sin: Ref; cos: Ref } {
    // |x| ≤ π/4 (high word ≤ 0x3fe921fb) is not reduced: n = 0, y = (x, 0), and sin uses the y = 0 kernel.
    const small = tmp(st, I.le_s(I.shr_u(x(), m.i32.const(32)), i2(0x3fe921fbn)));
    const fn = tmp(st, m.v128.andnot(F.floor(F.add(F.mul(x(), d2(INV_PIO2)), d2(0.5))), small()));
    const r = tmp(st, F.sub(x(), F.mul(fn(), d2(PIO2_1))));
    const w1 = tmp(st, F.mul(fn(), d2(PIO2_2)));
    const r2 = tmp(st, F.sub(r(), w1()));
    const w2 = tmp(st, F.sub(F.mul(fn(), d2(PIO2_2T)), F.sub(F.sub(r(), r2()), w1())));
    const y0 = tmp(st, F.sub(r2(), w2()));
    const y1 = tmp(st, F.sub(F.sub(r2(), y0()), w2()));
    const ix = tmp(st, I.shr_u(F.abs(y0()), m.i32.const(32)));
    const tiny = tmp(st, I.lt_s(ix(), i2(0x3e400000n)));
    const z = tmp(st, F.mul(y0(), y0()));
    const vv = tmp(st, F.mul(z(), y0()));
    const rs = tmp(st, F.add(d2(S[1]!), F.mul(z(), F.add(d2(S[2]!), F.mul(z(), F.add(d2(S[3]!), F.mul(z(), F.add(d2(S[4]!), F.mul(z(), d2(S[5]!))))))))));
    const sin0 = F.add(y0(), F.mul(vv(), F.add(d2(S[0]!), F.mul(z(), rs()))));
    const sin1 = F.sub(y0(), F.sub(F.sub(F.mul(z(), F.sub(F.mul(d2(0.5), y1()), F.mul(vv(), rs()))), y1()), F.mul(vv(), d2(S[0]!))));
    const ks = tmp(st, sel(y0(), sel(sin0, sin1, small()), tiny()));
    const rc = tmp(st, F.mul(z(), F.add(d2(C[0]!), F.mul(z(), F.add(d2(C[1]!), F.mul(z(), F.add(d2(C[2]!), F.mul(z(), F.add(d2(C[3]!), F.mul(z(), F.add(d2(C[4]!), F.mul(z(), d2(C[5]!)))))))))))));
    const corr = tmp(st, F.sub(F.mul(z(), rc()), F.mul(y0(), y1())));
    const cosNear = F.sub(d2(1), F.sub(F.mul(d2(0.5), z()), corr()));
    // |y0| ≥ 0.3: 1 − qx − (z/2 − qx − corr) with qx = |y0|/4 truncated to its high word (0.28125 above 0.78125).
    const qx = tmp(st, sel(d2(0.28125), I.shl(I.sub(ix(), i2(0x200000n)), m.i32.const(32)), I.gt_s(ix(), i2(0x3fe90000n))));
    const cosFar = F.sub(F.sub(d2(1), qx()), F.sub(F.sub(F.mul(d2(0.5), z()), qx()), corr()));
    const kc = tmp(st, sel(d2(1), sel(cosNear, cosFar, I.lt_s(ix(), i2(0x3fd33333n))), tiny()));
    // Quadrant n mod 4: sin = (ks, kc, −ks, −kc), cos = (kc, −ks, −kc, ks).
    const n = tmp(st, I.extend_low_i32x4_s(m.i32x4.trunc_sat_f64x2_s_zero(fn())));
    const odd = tmp(st, I.shr_s(I.shl(n(), m.i32.const(63)), m.i32.const(63)));
    const sign = (q: Ref) => I.shl(m.v128.and(q, i2(2n)), m.i32.const(62));
    return {
      sin: m.v128.xor(sel(kc(), ks(), odd()), sign(n())),
      cos: m.v128.xor(sel(ks(), kc(), odd()), sign(I.add(n(), i2(1n)))),
    };
  }

  m.addFunction('fill', bn.createType(new Array<number>(NPARAMS).fill(bn.i32)), bn.none, vars, m.block(null, [...entry, ...body]));
}
