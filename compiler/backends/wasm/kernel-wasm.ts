/**
 * Fused kernels as WebAssembly SIMD modules: one flat f32x4 loop over the kernel's iteration space
 * (plus a one-lane tail loop), working in place on buffers of an imported memory (at run time,
 * tfjs-wasm's own heap). Values are either full (one element per point of the space) or scalar
 * (size 1, broadcast); wide reductions to one number accumulate in registers across the loop.
 * binaryen is passed in, never imported here: it takes a second to load, and compiler/ stays
 * free of anything but pure code.
 */
import type BinaryenModule from 'binaryen';
import type { Graph, Shape } from '../../ir/ir.js';
import { sizeOf } from '../../ir/ops.js';
import type { Kernel } from '../../passes/kernels.js';
import { WASM_TEMPLATES, type WasmTemplate } from './op-templates.js';
import type { Ref, SimdEmitter } from './simd-math.js';
import { f4, v128Splat, type ConstPool } from './simd-math.js';

/** The binaryen.js namespace (its default export). */
export type Binaryen = typeof BinaryenModule;

/** When a value is computed: before the loop (loop-invariant), in the loop, or after it (a wide reduction's result). */
type Phase = 'pre' | 'loop' | 'post';

/** A kernel (or several independent kernels over the same space) that the WASM backend can compile. */
export interface WasmKernelPlan {
  /** Elements in the iteration space. */
  readonly size: number;
  /** Member equation indices, in graph order. */
  readonly eqns: readonly number[];
  /** Values read from outside, by var id: the function's first parameters (byte addresses). */
  readonly reads: readonly number[];
  /** Values written, by var id: the parameters after the reads (addresses of buffers the caller allocated). */
  readonly writes: readonly number[];
  readonly writeShapes: readonly Shape[];
  /** Whether each var is scalar (size 1) rather than full, and its phase. */
  readonly scalar: ReadonlyMap<number, boolean>;
  readonly phase: ReadonlyMap<number, Phase>;
}

/** Elements summed in float32 lanes before the partial sums move to float64 (256 per lane: float32 error below 256 ulp of the chunk's sum, typically 16). */
const CHUNK = 1024;

/** Templates that are not null (typed access to the per-op table). */
const TEMPLATES: Partial<Record<string, WasmTemplate>> = Object.fromEntries(Object.entries(WASM_TEMPLATES).filter(([, t]) => t !== null)) as Partial<Record<string, WasmTemplate>>;

/**
 * Plans one WASM kernel for `ks` (fused kernels of `g` over spaces of the same size that do not
 * depend on each other), or returns null when some member is outside what the backend handles: an op
 * without a template, a value that is neither full nor scalar (row broadcasts, partial reductions),
 * or a member that reads a wide reduction's result (it would need a second pass).
 */
export function planWasmKernel(g: Graph, ks: readonly Kernel[]): WasmKernelPlan | null {
  if (ks.length === 0) return null;
  const size = sizeOf(ks[0]!.space);
  if (size < 2 || ks.some((k) => sizeOf(k.space) !== size)) return null;
  const eqns = [...new Set(ks.flatMap((k) => k.eqns))].sort((a, b) => a - b);
  const shapeOf = new Map<number, Shape>([...g.inputs.map((i) => [i.var.id, i.var.shape] as const), ...g.eqns.map((e) => [e.out.id, e.out.shape] as const)]);
  const defined = new Set(eqns.map((i) => g.eqns[i]!.out.id));
  const scalar = new Map<number, boolean>();
  const kindOf = (id: number): boolean | null => {
    const n = sizeOf(shapeOf.get(id)!);
    return n === size ? false : n === 1 ? true : null;
  };
  const phase = new Map<number, Phase>();
  const reads: number[] = [];
  for (const i of eqns) {
    const e = g.eqns[i]!;
    const t = TEMPLATES[e.op];
    if (!t) return null;
    for (const v of e.inputs) {
      const k = kindOf(v.id);
      if (k === null) return null;
      scalar.set(v.id, k);
      if (!defined.has(v.id) && !phase.has(v.id)) {
        reads.push(v.id);
        phase.set(v.id, k ? 'pre' : 'loop');
      }
      if (phase.get(v.id) === 'post') return null;
    }
    const k = kindOf(e.out.id);
    if (k === null) return null;
    scalar.set(e.out.id, k);
    const x = e.inputs[0];
    if (t.kind === 'reduce' && x && !scalar.get(x.id)) {
      if (!k) return null; // a partial reduction
      phase.set(e.out.id, 'post');
      continue;
    }
    if (t.kind === 'identity' && x && scalar.get(x.id) && !k && e.op !== 'broadcast_to') return null;
    phase.set(e.out.id, e.inputs.some((v) => phase.get(v.id) === 'loop') ? 'loop' : 'pre');
  }
  const writes = [...new Set(ks.flatMap((k) => k.writes))].filter((id) => defined.has(id));
  return { size, eqns, reads, writes, writeShapes: writes.map((id) => shapeOf.get(id)!), scalar, phase };
}

/** The compiled module (one exported function `k(...readAddrs, ...writeAddrs)` over an imported memory `env.memory`). */
export function emitWasmKernel(bn: Binaryen, g: Graph, plan: WasmKernelPlan): Uint8Array {
  const m = new bn.Module();
  try {
    m.setFeatures(bn.Features.SIMD128 | bn.Features.NontrappingFPToInt | bn.Features.MutableGlobals | bn.Features.SignExt | bn.Features.BulkMemory);
    // No maximum (-1): any memory matches the import, tfjs-wasm's (which declares one) or a test's.
    m.setMemory(1, -1, null, [], false, false, 'mem');
    m.addMemoryImport('mem', 'env', 'memory');
    const nParams = plan.reads.length + plan.writes.length;
    const vars: number[] = [];
    const newLocal = (type: number) => {
      vars.push(type);
      return nParams + vars.length - 1;
    };
    const iLocal = newLocal(bn.i32);
    const addr = new Map<number, number>();
    plan.reads.forEach((id, n) => addr.set(id, n));
    plan.writes.forEach((id, n) => addr.set(id, plan.reads.length + n));
    const local = new Map<number, number>();
    const localOf = (id: number) => {
      let l = local.get(id);
      if (l === undefined) {
        l = newLocal(bn.v128);
        local.set(id, l);
      }
      return l;
    };
    const get = (id: number) => m.local.get(localOf(id), bn.v128);
    // Every v128 constant lives in a local set once at function entry (see ConstPool).
    const constLocal = new Map<number, number>();
    const constInits: Ref[] = [];
    const c4 = (bits: number) => {
      let l = constLocal.get(bits);
      if (l === undefined) {
        l = newLocal(bn.v128);
        constLocal.set(bits, l);
        constInits.push(m.local.set(l, v128Splat(m, bits)));
      }
      return m.local.get(l, bn.v128);
    };
    const P: ConstPool = { m, c4 };
    const emitter = (stmts: Ref[]): SimdEmitter => ({
      m,
      c4,
      stmts,
      tmp: (e) => {
        const l = newLocal(bn.v128);
        stmts.push(m.local.set(l, e));
        return () => m.local.get(l, bn.v128);
      },
      local: () => {
        const l = newLocal(bn.v128);
        return { set: (e) => m.local.set(l, e), get: () => m.local.get(l, bn.v128) };
      },
      fork: () => emitter([]),
    });
    /** Computes every member of `phase` into its local, in graph order. */
    const compute = (stmts: Ref[], phase: Phase) => {
      const s = emitter(stmts);
      for (const i of plan.eqns) {
        const e = g.eqns[i]!;
        if (plan.phase.get(e.out.id) !== phase) continue;
        const t = TEMPLATES[e.op]!;
        const ins = e.inputs.map((v) => get(v.id));
        let v: Ref;
        switch (t.kind) {
          case 'unary':
            v = t.emit(s, ins[0]!);
            break;
          case 'binary':
            v = t.emit(s, ins[0]!, ins[1]!);
            break;
          case 'where':
            v = m.v128.bitselect(ins[1]!, ins[2]!, m.f32x4.ne(ins[0]!, f4(P, 0)));
            break;
          case 'identity':
          case 'reduce': // over one element: the element
            v = ins[0]!;
            break;
        }
        stmts.push(m.local.set(localOf(e.out.id), v));
      }
    };
    const body: Ref[] = [];
    const param = (id: number) => m.local.get(addr.get(id)!, bn.i32);
    // Before the loop: scalar reads (splat to four lanes), invariant members, accumulators.
    for (const id of plan.reads) if (plan.scalar.get(id)) body.push(m.local.set(localOf(id), m.v128.load32_splat(0, 4, param(id))));
    compute(body, 'pre');
    const reductions = plan.eqns.map((i) => g.eqns[i]!).filter((e) => plan.phase.get(e.out.id) === 'post');
    const tmpl = (e: (typeof reductions)[number]) => TEMPLATES[e.op] as Extract<WasmTemplate, { kind: 'reduce' }>;
    /**
     * Accumulators: sums add float32 lanes into `c` for one chunk of CHUNK elements, then fold `c` into
     * two float64x2 lanes `a`, `b` (10^6 float32 terms added in one float32 register would drift; one
     * float64 add per element costs five instructions, per chunk it costs nothing). Products go to
     * float64 directly (a float32 chunk product could overflow). max/min keep four float32 lanes in `a`
     * with pmax/pmin (one instruction, unlike NaN-propagating f32x4.max) and collect NaN lanes in `c`.
     */
    const acc = new Map<number, { a: number; b: number; c: number }>();
    for (const e of reductions) {
      const t = tmpl(e);
      const a = newLocal(bn.v128);
      const b = newLocal(bn.v128);
      const c = newLocal(bn.v128);
      const f64 = t.wide === 'sum' || t.wide === 'prod';
      body.push(m.local.set(a, f64 ? m.f64x2.splat(m.f64.const(t.init)) : f4(P, t.init)), m.local.set(b, m.f64x2.splat(m.f64.const(t.init))), m.local.set(c, f4(P, 0)));
      acc.set(e.out.id, { a, b, c });
    }
    const V = (l: number) => m.local.get(l, bn.v128);
    // Takes a thunk: an expression node may appear once in the tree.
    const swapHalves = (v: () => Ref) => m.i8x16.shuffle(v(), v(), [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]);
    /** Folds each sum's float32 chunk accumulator into its float64 lanes and clears it. */
    const flush = (): Ref[] =>
      reductions
        .filter((e) => tmpl(e).wide === 'sum')
        .flatMap((e) => {
          const { a, b, c } = acc.get(e.out.id)!;
          return [
            m.local.set(a, m.f64x2.add(V(a), m.f64x2.promote_low_f32x4(V(c)))),
            m.local.set(b, m.f64x2.add(V(b), m.f64x2.promote_low_f32x4(swapHalves(() => V(c))))),
            m.local.set(c, f4(P, 0)),
          ];
        });
    const i = () => m.local.get(iLocal, bn.i32);
    const at = (id: number) => m.i32.add(param(id), i());
    /** The loop body: `lanes` 4 (v128 loads and stores) or 1 (the tail: one element splat to all lanes). */
    const step = (lanes: 4 | 1): Ref[] => {
      const st: Ref[] = [];
      for (const id of plan.reads) {
        if (plan.scalar.get(id)) continue;
        st.push(m.local.set(localOf(id), lanes === 4 ? m.v128.load(0, 4, at(id)) : m.v128.load32_splat(0, 4, at(id))));
      }
      compute(st, 'loop');
      plan.writes.forEach((id) => {
        if (plan.scalar.get(id)) return;
        st.push(lanes === 4 ? m.v128.store(0, 4, at(id), get(id)) : m.v128.store32_lane(0, 4, 0, at(id), get(id)));
      });
      for (const e of reductions) {
        const t = tmpl(e);
        const { a, b, c } = acc.get(e.out.id)!;
        const xv = get(e.inputs[0]!.id);
        if (t.wide === 'max' || t.wide === 'min') {
          // Every tail lane holds the same element, harmless for max/min. pmax(a, x) = a < x ? x : a.
          st.push(m.local.set(a, t.wide === 'max' ? m.f32x4.pmax(V(a), xv) : m.f32x4.pmin(V(a), xv)));
          st.push(m.local.set(c, m.v128.or(V(c), m.f32x4.ne(get(e.inputs[0]!.id), get(e.inputs[0]!.id)))));
          continue;
        }
        // In the tail every lane holds the same element: lanes 1..3 get the identity so it counts once.
        const x = lanes === 4 ? xv : m.f32x4.replace_lane(f4(P, t.init), 0 as unknown as Ref, m.f32x4.extract_lane(xv, 0 as unknown as Ref));
        if (t.wide === 'sum') {
          st.push(m.local.set(c, m.f32x4.add(V(c), x)));
          continue;
        }
        const xs = newLocal(bn.v128);
        st.push(m.local.set(xs, x));
        st.push(m.local.set(a, m.f64x2.mul(V(a), m.f64x2.promote_low_f32x4(V(xs)))), m.local.set(b, m.f64x2.mul(V(b), m.f64x2.promote_low_f32x4(swapHalves(() => V(xs))))));
      }
      return st;
    };
    const n4 = plan.size - (plan.size % 4);
    const chunkEnd = newLocal(bn.i32);
    const CE = () => m.local.get(chunkEnd, bn.i32);
    if (n4 > 0) {
      // for (i = 0; i < n4; ) { end = min(i + CHUNK, n4); do { body } while (i < end); flush }
      const inner = [...step(4), m.local.set(iLocal, m.i32.add(i(), m.i32.const(16))), m.br('inner', m.i32.lt_u(i(), CE()))];
      const next = () => m.i32.add(i(), m.i32.const(4 * CHUNK));
      body.push(
        m.local.set(iLocal, m.i32.const(0)),
        m.loop(
          'outer',
          m.block(null, [
            m.local.set(chunkEnd, m.select(m.i32.lt_u(next(), m.i32.const(4 * n4)), next(), m.i32.const(4 * n4))),
            m.loop('inner', m.block(null, inner)),
            ...flush(),
            m.br('outer', m.i32.lt_u(i(), m.i32.const(4 * n4))),
          ]),
        ),
      );
    }
    if (plan.size > n4) {
      const tail = [...step(1), m.local.set(iLocal, m.i32.add(i(), m.i32.const(4))), m.br('tail', m.i32.lt_u(i(), m.i32.const(4 * plan.size)))];
      body.push(m.local.set(iLocal, m.i32.const(4 * n4)), m.loop('tail', m.block(null, tail)), ...flush());
    }
    // After the loop: fold the accumulators' lanes and store every scalar write.
    for (const e of reductions) {
      const t = tmpl(e);
      const { a, b, c } = acc.get(e.out.id)!;
      const lane = (v: Ref, k: number) => m.f32x4.extract_lane(v, k as unknown as Ref);
      let r: Ref;
      if (t.wide === 'max' || t.wide === 'min') {
        const f = (p: Ref, q: Ref) => (t.wide === 'max' ? m.f32.max(p, q) : m.f32.min(p, q));
        // A NaN anywhere makes the result NaN (as Math.max and the interpreter say).
        r = m.select(m.v128.any_true(V(c)), m.f32.const(NaN), f(f(lane(V(a), 0), lane(V(a), 1)), f(lane(V(a), 2), lane(V(a), 3))));
      } else {
        const s = newLocal(bn.v128);
        body.push(m.local.set(s, t.wide === 'sum' ? m.f64x2.add(V(a), V(b)) : m.f64x2.mul(V(a), V(b))));
        const l0 = m.f64x2.extract_lane(V(s), 0 as unknown as Ref);
        const l1 = m.f64x2.extract_lane(V(s), 1 as unknown as Ref);
        r = m.f32.demote(t.wide === 'sum' ? m.f64.add(l0, l1) : m.f64.mul(l0, l1));
      }
      body.push(m.f32.store(0, 4, param(e.out.id), r));
    }
    for (const id of plan.writes) {
      if (plan.scalar.get(id) && plan.phase.get(id) !== 'post') body.push(m.f32.store(0, 4, param(id), m.f32x4.extract_lane(get(id), 0 as unknown as Ref)));
    }
    m.addFunction('k', bn.createType(new Array<number>(nParams).fill(bn.i32)), bn.none, vars, m.block(null, [...constInits, ...body]));
    m.addFunctionExport('k', 'k');
    if (!m.validate()) throw new Error('generated WASM kernel does not validate');
    m.optimize();
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

/** Plans and emits in one call; null when the kernel is outside the backend (see planWasmKernel). */
export function compileKernelWasm(bn: Binaryen, g: Graph, ks: readonly Kernel[]): { plan: WasmKernelPlan; binary: Uint8Array } | null {
  const plan = planWasmKernel(g, ks);
  return plan ? { plan, binary: emitWasmKernel(bn, g, plan) } : null;
}
