/**
 * Fused kernels as WebAssembly SIMD modules, working in place on buffers of an imported memory (at
 * run time, tfjs-wasm's own heap). The space is [R, C] row-major (R = 1: one flat loop): a row loop
 * around an f32x4 column loop that does four vectors per iteration with their code interleaved (then
 * single vectors, then a one-lane tail loop per row). Full values are loaded and stored
 * at the point, per-column ones at the column, per-row ones splat at the row's start, scalars once;
 * reductions accumulate in registers across the space (wide), across each row (along axis 1), or in
 * their output buffer (along axis 0). The plan comes from kernel-plan.ts. binaryen is passed in,
 * never imported here: it takes a second to load, and compiler/ stays free of anything but pure code.
 */
import type BinaryenModule from 'binaryen';
import type { Graph } from '../../ir/ir.js';
import type { Kernel } from '../../passes/kernels.js';
import type { WasmTemplate } from './op-templates.js';
import type { Ref, SimdEmitter } from './simd-math.js';
import { f4, v128Splat, type ConstPool } from './simd-math.js';
import { CHUNK, planWasmKernel, TEMPLATES, type Phase, type WasmKernelPlan } from './kernel-plan.js';

export { planWasmKernel, type WasmKernelPlan } from './kernel-plan.js';

/** The binaryen.js namespace (its default export). */
export type Binaryen = typeof BinaryenModule;

/**
 * How the main loop is emitted: `vectorsPerStep` f32x4 vectors per iteration, their code interleaved
 * (4 by default: docs/wasm-kernels.md has the measurements); 1 is the plain loop, the reference of the
 * interleaved loop's tests (test/backends/wasm-simd-pairs.test.ts).
 */
export interface EmitOptions {
  readonly vectorsPerStep?: 1 | 2 | 4;
}

/** The compiled module (one exported function `k(...readAddrs, ...writeAddrs)` over an imported memory `env.memory`). */
export function emitWasmKernel(bn: Binaryen, g: Graph, plan: WasmKernelPlan, opts: EmitOptions = {}): Uint8Array {
  const K = opts.vectorsPerStep ?? 4;
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
    const addr = new Map<number, number>();
    plan.reads.forEach((id, n) => addr.set(id, n));
    plan.writes.forEach((id, n) => addr.set(id, plan.reads.length + n));
    // Values of the column loop (phases 'col' and 'loop') have one local per vector copy (see step).
    const local = new Map<string, number>();
    const perCopy = (id: number) => {
      const p = plan.phase.get(id);
      return p === 'col' || p === 'loop';
    };
    const localOf = (id: number, copy = 0) => {
      const key = `${id}/${perCopy(id) ? copy : 0}`;
      let l = local.get(key);
      if (l === undefined) {
        l = newLocal(bn.v128);
        local.set(key, l);
      }
      return l;
    };
    const get = (id: number, copy = 0) => m.local.get(localOf(id, copy), bn.v128);
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
    /** A branch held back so that the copies' branches can be joined (see zip); its statement is a placeholder nop. */
    type Branch = { readonly cond: Ref; readonly fast: Ref[]; readonly slow: Ref[] };
    const emitter = (stmts: Ref[], held?: Map<Ref, Branch>): SimdEmitter => ({
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
      fork: () => emitter([], held),
      branch: (cond, fast, slow) => {
        if (!held) {
          stmts.push(m.if(cond, m.block(null, fast.stmts), m.block(null, slow.stmts)));
          return;
        }
        const mark = m.nop();
        held.set(mark, { cond, fast: fast.stmts, slow: slow.stmts });
        stmts.push(mark);
      },
    });
    /**
     * Interleaves copies of the same code (statement lists of one shape, from the same templates):
     * A1 B1 C1 D1 A2 B2 ..., so the CPU has independent dependency chains to overlap (exp and log are
     * chains of dependent multiply-adds: one vector per iteration leaves the core waiting on latency).
     * Held branches at the same place become one, taken fast iff every copy's condition holds, with
     * their fast and slow statements interleaved in turn. exp4/log4's slow paths give the fast paths'
     * results on fast-range lanes, bit for bit, so a vector that takes the slow path with its
     * neighbours is unchanged.
     */
    const zip = (ls: readonly (readonly Ref[])[], held: ReadonlyMap<Ref, Branch>): Ref[] => {
      const n = ls[0]!.length;
      if (ls.some((l) => l.length !== n)) throw new Error('copies of a kernel step differ in shape');
      const out: Ref[] = [];
      for (let i = 0; i < n; i++) {
        const bs = ls.map((l) => held.get(l[i]!));
        if (bs.every((b) => !b)) {
          for (const l of ls) out.push(l[i]!);
          continue;
        }
        if (!bs.every((b) => b)) throw new Error('copies of a kernel step differ in shape');
        const cond = bs.map((b) => b!.cond).reduce((p, q) => m.i32.and(p, q));
        out.push(m.if(cond, m.block(null, zip(bs.map((b) => b!.fast), held)), m.block(null, zip(bs.map((b) => b!.slow), held))));
      }
      return out;
    };
    /** Computes every member of `phases` into its local, in graph order: for one vector, or for `copies` interleaved (see zip). */
    const compute = (stmts: Ref[], copies: number, ...phases: Phase[]) => {
      if (copies === 1) return computeCopy(emitter(stmts), 0, phases);
      const held = new Map<Ref, Branch>();
      const es = Array.from({ length: copies }, (_, k) => {
        const e = emitter([], held);
        computeCopy(e, k, phases);
        return e;
      });
      stmts.push(...zip(es.map((e) => e.stmts), held));
    };
    const computeCopy = (s: SimdEmitter, copy: number, phases: readonly Phase[]) => {
      const stmts = s.stmts;
      for (const i of plan.eqns) {
        const e = g.eqns[i]!;
        if (!phases.includes(plan.phase.get(e.out.id)!)) continue;
        const t = TEMPLATES[e.op]!;
        const ins = e.inputs.map((v) => get(v.id, copy));
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
          case 'reduce': // over one element per output (same size in and out): the element
            v = ins[0]!;
            break;
        }
        stmts.push(m.local.set(localOf(e.out.id, copy), v));
      }
    };
    const kindOf = (id: number) => plan.kind.get(id)!;
    const body: Ref[] = [];
    const param = (id: number) => m.local.get(addr.get(id)!, bn.i32);
    const I32 = (l: number) => m.local.get(l, bn.i32);
    // Byte offsets: i of the point (full values), c of the column, r of the row. Flat plans have one.
    const flat = plan.rows === 1;
    const iLocal = newLocal(bn.i32);
    const cLocal = flat ? iLocal : newLocal(bn.i32);
    const rLocal = newLocal(bn.i32);
    const at = (id: number) => {
      const k = kindOf(id);
      return m.i32.add(param(id), I32(k === 'full' ? iLocal : k === 'col' ? cLocal : rLocal));
    };
    let labels = 0;
    const label = (name: string) => `${name}${labels++}`;
    /** A loop over the columns (f32x4, then one lane at a time), `step(lanes)` at each. */
    const columnLoop = (step: (lanes: 4 | 1) => Ref[]): Ref[] => {
      const c4n = plan.cols - (plan.cols % 4);
      const out: Ref[] = [m.local.set(cLocal, m.i32.const(0))];
      const loop = (lanes: 4 | 1, end: number) => {
        const l = label('c');
        return m.loop(l, m.block(null, [...step(lanes), m.local.set(cLocal, m.i32.add(I32(cLocal), m.i32.const(4 * lanes))), m.br(l, m.i32.lt_u(I32(cLocal), m.i32.const(4 * end)))]));
      };
      if (c4n > 0) out.push(loop(4, c4n));
      if (plan.cols > c4n) out.push(loop(1, plan.cols));
      return out;
    };
    // Copy k of a several-vector step is 16k bytes on.
    const load = (id: number, lanes: 4 | 1, copy = 0) => (lanes === 4 ? m.v128.load(16 * copy, 4, at(id)) : m.v128.load32_splat(0, 4, at(id)));
    const store = (id: number, v: Ref, lanes: 4 | 1, copy = 0) => (lanes === 4 ? m.v128.store(16 * copy, 4, at(id), v) : m.v128.store32_lane(0, 4, 0, at(id), v));
    const storeLane0 = (id: number) => m.f32.store(0, 4, at(id), m.f32x4.extract_lane(get(id), 0 as unknown as Ref));
    // Before every loop: scalar reads (splat to four lanes), invariant members, accumulators.
    for (const id of plan.reads) if (kindOf(id) === 'scalar') body.push(m.local.set(localOf(id), m.v128.load32_splat(0, 4, param(id))));
    compute(body, 1, 'pre');
    const reductions = plan.eqns.map((i) => g.eqns[i]!).filter((e) => plan.phase.get(e.out.id) === 'post');
    type Eqn = (typeof reductions)[number];
    const tmpl = (e: Eqn) => TEMPLATES[e.op] as Extract<WasmTemplate, { kind: 'reduce' }>;
    const how = (e: Eqn) => plan.reduction.get(e.out.id)!;
    const inRegisters = reductions.filter((e) => how(e) !== 'col');
    /**
     * Accumulators in registers: sums add float32 lanes into `c` for one chunk of CHUNK elements, then
     * fold `c` into two float64x2 lanes `a`, `b` (10^6 float32 terms added in one float32 register
     * would drift; one float64 add per element costs five instructions, per chunk it costs nothing).
     * Row sums use the same scheme per row (a row of C ≤ a few thousand would be fine in float32
     * lanes alone; the fold at the row's end costs a few instructions per row). Products go to
     * float64 directly (a float32 chunk product could overflow). max/min keep four float32 lanes in
     * `a` with pmax/pmin (one instruction, unlike NaN-propagating f32x4.max) and collect NaN lanes in `c`.
     */
    const acc = new Map<number, { a: number; b: number; c: number }>();
    const initAcc = (e: Eqn): Ref[] => {
      const t = tmpl(e);
      const { a, b, c } = acc.get(e.out.id)!;
      const f64 = t.wide === 'sum' || t.wide === 'prod';
      return [m.local.set(a, f64 ? m.f64x2.splat(m.f64.const(t.init)) : f4(P, t.init)), m.local.set(b, m.f64x2.splat(m.f64.const(t.init))), m.local.set(c, f4(P, 0))];
    };
    for (const e of inRegisters) acc.set(e.out.id, { a: newLocal(bn.v128), b: newLocal(bn.v128), c: newLocal(bn.v128) });
    for (const e of inRegisters) if (how(e) !== 'row') body.push(...initAcc(e));
    const V = (l: number) => m.local.get(l, bn.v128);
    // Takes a thunk: an expression node may appear once in the tree.
    const swapHalves = (v: () => Ref) => m.i8x16.shuffle(v(), v(), [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]);
    /** Folds each sum's float32 chunk accumulator into its float64 lanes and clears it. */
    const flush = (): Ref[] =>
      inRegisters
        .filter((e) => tmpl(e).wide === 'sum')
        .flatMap((e) => {
          const { a, b, c } = acc.get(e.out.id)!;
          return [
            m.local.set(a, m.f64x2.add(V(a), m.f64x2.promote_low_f32x4(V(c)))),
            m.local.set(b, m.f64x2.add(V(b), m.f64x2.promote_low_f32x4(swapHalves(() => V(c))))),
            m.local.set(c, f4(P, 0)),
          ];
        });
    /** Adds `e`'s input (four elements, or one splat to every lane) to its register accumulator. */
    const accumulate = (st: Ref[], e: Eqn, lanes: 4 | 1, copy = 0) => {
      const t = tmpl(e);
      const { a, b, c } = acc.get(e.out.id)!;
      const xv = () => get(e.inputs[0]!.id, copy);
      if (t.wide === 'max' || t.wide === 'min') {
        // A splat lane repeats one element, harmless for max/min. pmax(a, x) = a < x ? x : a.
        st.push(m.local.set(a, t.wide === 'max' ? m.f32x4.pmax(V(a), xv()) : m.f32x4.pmin(V(a), xv())));
        st.push(m.local.set(c, m.v128.or(V(c), m.f32x4.ne(xv(), xv()))));
        return;
      }
      // One element splat to every lane: lanes 1..3 get the identity so it counts once.
      const x = lanes === 4 ? xv() : m.f32x4.replace_lane(f4(P, t.init), 0 as unknown as Ref, m.f32x4.extract_lane(xv(), 0 as unknown as Ref));
      if (t.wide === 'sum') {
        st.push(m.local.set(c, m.f32x4.add(V(c), x)));
        return;
      }
      const xs = newLocal(bn.v128);
      st.push(m.local.set(xs, x));
      st.push(m.local.set(a, m.f64x2.mul(V(a), m.f64x2.promote_low_f32x4(V(xs)))), m.local.set(b, m.f64x2.mul(V(b), m.f64x2.promote_low_f32x4(swapHalves(() => V(xs))))));
    };
    /** A register accumulator folded to its float32 result. */
    const fold = (e: Eqn): Ref => {
      const t = tmpl(e);
      const { a, b, c } = acc.get(e.out.id)!;
      const lane = (v: Ref, k: number) => m.f32x4.extract_lane(v, k as unknown as Ref);
      if (t.wide === 'max' || t.wide === 'min') {
        const f = (p: Ref, q: Ref) => (t.wide === 'max' ? m.f32.max(p, q) : m.f32.min(p, q));
        // A NaN anywhere makes the result NaN (as Math.max and the interpreter say).
        return m.select(m.v128.any_true(V(c)), m.f32.const(NaN), f(f(lane(V(a), 0), lane(V(a), 1)), f(lane(V(a), 2), lane(V(a), 3))));
      }
      const s = newLocal(bn.v128);
      const l0 = m.f64x2.extract_lane(V(s), 0 as unknown as Ref);
      const l1 = m.f64x2.extract_lane(V(s), 1 as unknown as Ref);
      return m.block(null, [m.local.set(s, t.wide === 'sum' ? m.f64x2.add(V(a), V(b)) : m.f64x2.mul(V(a), V(b))), m.f32.demote(t.wide === 'sum' ? m.f64.add(l0, l1) : m.f64.mul(l0, l1))], bn.f32);
    };
    const written = new Set(plan.writes);
    // Column reductions accumulate in their output buffers, which start at the identity. Sum and
    // prod add at most MAX_COLUMN_ROWS float32 terms per column there (kernel-plan.ts), within one
    // chunk of the wide scheme above; max/min use the NaN-propagating f32x4.max/min.
    const columnReductions = reductions.filter((e) => how(e) === 'col');
    if (columnReductions.length > 0) body.push(...columnLoop((lanes) => columnReductions.map((e) => store(e.out.id, f4(P, tmpl(e).init), lanes))));
    // Per-column values that are written: one pass over the columns before the rows.
    const colWrites = plan.writes.filter((id) => kindOf(id) === 'col' && plan.phase.get(id) !== 'post');
    const colReads = plan.reads.filter((id) => kindOf(id) === 'col');
    const fullReads = plan.reads.filter((id) => kindOf(id) === 'full');
    if (colWrites.length > 0) {
      body.push(
        ...columnLoop((lanes) => {
          const st: Ref[] = colReads.map((id) => m.local.set(localOf(id), load(id, lanes)));
          compute(st, 1, 'col');
          return [...st, ...colWrites.map((id) => store(id, get(id), lanes))];
        }),
      );
    }
    /**
     * One point of the column loop: four columns (`copies` = 1), 4·copies as vectors whose code is
     * interleaved, or one column splat to every lane (`lanes` = 1). The copies accumulate into the
     * same registers in order (this is what changed from one vector per step: nothing else): each lane
     * sees the same terms in the same order, and the chunks are the same, so sums, products, max and
     * min are unchanged bit for bit.
     */
    const step = (lanes: 4 | 1, copies = 1): Ref[] => {
      const cs = Array.from({ length: copies }, (_, k) => k);
      const st: Ref[] = cs.flatMap((k) => [...fullReads, ...colReads].map((id) => m.local.set(localOf(id, k), load(id, lanes, k))));
      compute(st, copies, 'col', 'loop');
      for (const k of cs) for (const id of plan.writes) if (kindOf(id) === 'full') st.push(store(id, get(id, k), lanes, k));
      for (const e of reductions) {
        for (const k of cs) {
          if (how(e) === 'wide' || how(e) === 'row') accumulate(st, e, lanes, k);
          else if (how(e) === 'col') {
            const o = e.out.id;
            const x = get(e.inputs[0]!.id, k);
            const old = load(o, lanes, k);
            const t = tmpl(e);
            const v = t.wide === 'sum' ? m.f32x4.add(old, x) : t.wide === 'prod' ? m.f32x4.mul(old, x) : t.wide === 'max' ? m.f32x4.max(old, x) : m.f32x4.min(old, x);
            st.push(store(o, v, lanes, k));
          }
        }
      }
      const bytes = 4 * lanes * copies;
      const adv = m.local.set(iLocal, m.i32.add(I32(iLocal), m.i32.const(bytes)));
      return flat ? [...st, adv] : [...st, adv, m.local.set(cLocal, m.i32.add(I32(cLocal), m.i32.const(bytes)))];
    };
    // One row: per-row reads and members at its start, then the column loop in chunks of CHUNK.
    const row: Ref[] = [];
    for (const id of plan.reads) if (kindOf(id) === 'row') row.push(m.local.set(localOf(id), m.v128.load32_splat(0, 4, at(id))));
    compute(row, 1, 'row');
    for (const id of plan.writes) if (kindOf(id) === 'row' && plan.phase.get(id) !== 'post') row.push(storeLane0(id));
    for (const e of reductions) if (how(e) === 'rows') accumulate(row, e, 1);
    for (const e of reductions) if (how(e) === 'row') row.push(...initAcc(e));
    const c4n = plan.cols - (plan.cols % 4);
    const chunkEnd = newLocal(bn.i32);
    const groupEnd = newLocal(bn.i32);
    if (!flat) row.push(m.local.set(cLocal, m.i32.const(0)));
    if (c4n > 0) {
      // for (c = 0; c < c4n; ) { end = min(c + CHUNK, c4n); while (c + 4K ≤ end) { K vectors };
      // while (c < end) { one vector }; flush }. Chunks start at multiples of CHUNK (of 4K), so the
      // groups end at end rounded down to 4K elements (16K bytes): the chunks are the one-vector loop's.
      const inner = () => [...step(4, K), m.br('inner', m.i32.lt_u(I32(cLocal), I32(groupEnd)))];
      const single = [...step(4), m.br('single', m.i32.lt_u(I32(cLocal), I32(chunkEnd)))];
      const next = () => m.i32.add(I32(cLocal), m.i32.const(4 * CHUNK));
      row.push(
        m.loop(
          'outer',
          m.block(null, [
            m.local.set(chunkEnd, m.select(m.i32.lt_u(next(), m.i32.const(4 * c4n)), next(), m.i32.const(4 * c4n))),
            ...(K > 1
              ? [
                  m.local.set(groupEnd, m.i32.and(I32(chunkEnd), m.i32.const(~(16 * K - 1)))),
                  m.if(m.i32.lt_u(I32(cLocal), I32(groupEnd)), m.loop('inner', m.block(null, inner()))),
                  m.if(m.i32.lt_u(I32(cLocal), I32(chunkEnd)), m.loop('single', m.block(null, single))),
                ]
              : [m.loop('single', m.block(null, single))]),
            ...flush(),
            m.br('outer', m.i32.lt_u(I32(cLocal), m.i32.const(4 * c4n))),
          ]),
        ),
      );
    }
    if (plan.cols > c4n) {
      const tail = [...step(1), m.br('tail', m.i32.lt_u(I32(cLocal), m.i32.const(4 * plan.cols)))];
      row.push(m.loop('tail', m.block(null, tail)), ...flush());
    } else if (c4n === 0) row.push(...flush());
    for (const e of reductions) if (how(e) === 'row' && written.has(e.out.id)) row.push(m.f32.store(0, 4, at(e.out.id), fold(e)));
    body.push(m.local.set(iLocal, m.i32.const(0)));
    if (flat) body.push(...row);
    else {
      row.push(m.local.set(rLocal, m.i32.add(I32(rLocal), m.i32.const(4))), m.br('rows', m.i32.lt_u(I32(rLocal), m.i32.const(4 * plan.rows))));
      body.push(m.local.set(rLocal, m.i32.const(0)), m.loop('rows', m.block(null, row)));
    }
    // After the loops: fold the wide accumulators' lanes and store every scalar write.
    for (const e of reductions) if ((how(e) === 'wide' || how(e) === 'rows') && written.has(e.out.id)) body.push(m.f32.store(0, 4, param(e.out.id), fold(e)));
    for (const id of plan.writes) {
      if (kindOf(id) === 'scalar' && plan.phase.get(id) !== 'post') body.push(m.f32.store(0, 4, param(id), m.f32x4.extract_lane(get(id), 0 as unknown as Ref)));
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
