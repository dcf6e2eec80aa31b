/**
 * WASM SIMD kernels over 2-D spaces [R, C] (compiler/backends/wasm/kernel-plan.ts, kernel-wasm.ts):
 * per-row and per-column values, reductions along either axis and over rows, column tails, NaN
 * propagation, against the float64 interpreter and op-by-op tfjs-wasm; tanh's accuracy against
 * Math.tanh; mfld-2048's two [512, 2048] kernels taken by the default path.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type BinaryenModule from 'binaryen';
import type { Graph, Var } from '../../compiler/ir/ir.js';
import { GraphBuilder } from '../../compiler/ir/builder.js';
import { evalGraph } from '../../compiler/ir/interpret.js';
import type { OpName } from '../../compiler/ir/ops.js';
import type { Kernel } from '../../compiler/passes/kernels.js';
import { compileSolve, front, solveItems } from '../../compiler/pipeline.js';
import { emitWasmKernel, planWasmKernel } from '../../compiler/backends/wasm/kernel-wasm.js';
import { MAX_COLUMN_ROWS } from '../../compiler/backends/wasm/kernel-plan.js';
import { selectBackend } from '../../runtime/backend.js';
import { GraphExecutor, outputKey, setFusedRunners } from '../../runtime/executor.js';
import { loadWasmKernelCompiler, wasmFusedRunners, wasmKernelCalls, wasmKernelGroups } from '../../runtime/wasm-simd/wasm-kernels.js';
import { runProgram } from '../../runtime/run.js';
import { nodeFiles } from '../../runtime/node-files.js';
import '../../runtime/std/index.js';
import { maxAbsDiff, runInOwnMemory, wholeKernel } from '../helpers/wasm-kernel-harness.js';

let bn: typeof BinaryenModule;

beforeAll(async () => {
  bn = (await import('binaryen')).default;
  await loadWasmKernelCompiler(async () => ({ default: bn }));
  await selectBackend('wasm');
}, 60_000);

/**
 * Runs a planned kernel in a memory of its own: reads filled from `values` (by var id), outputs
 * prefilled with 7777 so an element the kernel forgets shows. Buffers start 4 bytes past a 16-byte
 * boundary (loads and stores need no alignment). Returns every write by var id.
 */
function runOwn(g: Graph, k: Kernel, values: (id: number) => ArrayLike<number>): { rows: number; out: Map<number, Float32Array> } {
  const plan = planWasmKernel(g, [k]);
  if (!plan) throw new Error('kernel not planned');
  const mod = new WebAssembly.Module(emitWasmKernel(bn, g, plan) as Uint8Array<ArrayBuffer>);
  return { rows: plan.rows, out: runInOwnMemory(mod, g, plan, values) };
}

/** Op by op on tfjs-wasm (no fused runners): every output by var id. */
function opByOp(g: Graph, feeds: Record<string, Float64Array>): Map<number, Float32Array> {
  setFusedRunners(null);
  const ex = new GraphExecutor(g);
  try {
    const outs = ex.run(new Map(g.inputs.map((i) => [i.name, { shape: [...i.var.shape], data: Float32Array.from(feeds[i.name]!) }] as const)));
    const res = new Map<number, Float32Array>();
    for (const o of g.outputs) {
      const t = outs.get(outputKey(o.role, o.name))!;
      res.set(o.var.id, Float32Array.from(t.dataSync() as Float32Array));
    }
    for (const t of outs.values()) t.dispose();
    return res;
  } finally {
    ex.dispose();
    setFusedRunners((gg) => wasmFusedRunners(gg));
  }
}

/** Worst |got − ref| relative to max(1, max |ref|); non-finite reference values must match exactly. */
function worst(got: Float32Array, ref: ArrayLike<number>): { rel: number; nonFiniteOk: boolean } {
  let scale = 1;
  let w = 0;
  let nonFiniteOk = got.length === ref.length;
  for (let i = 0; i < ref.length; i++) if (Number.isFinite(ref[i]!)) scale = Math.max(scale, Math.abs(ref[i]!));
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!;
    const x = got[i]!;
    if (!Number.isFinite(r)) nonFiniteOk &&= Object.is(x, Math.fround(r)) || (Number.isNaN(r) && Number.isNaN(x));
    else w = Math.max(w, Math.abs(x - r));
  }
  return { rel: w / scale, nonFiniteOk };
}

const fill = (n: number, seed: number, scale = 1) => Float64Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i * 12.9898 + seed * 78.233) * scale));

/**
 * A kernel over [R, C] with every value kind and reduction: x full, a per-row ([R], reshaped to
 * [R,1]), b per-column ([C]), b2 per-column ([1,C]), s scalar; per-row and per-column values
 * computed and written; sums, max, min, prod along axis 1, along axis 0 and over everything; a
 * per-row value summed over rows.
 */
function allKinds(R: number, C: number) {
  const b = new GraphBuilder();
  const x = b.input('x', [R, C], 'data');
  const a = b.input('a', [R], 'data');
  const bv = b.input('b', [C], 'data');
  const b2 = b.input('b2', [1, C], 'data');
  const s = b.input('s', [], 'data');
  const out = (name: string, v: Var) => b.output(name, v, 'value');
  out('a3', b.mul(a, b.const(3)));
  const ea = b.unary('exp', a);
  out('sumExpA', b.sum(ea, [0]));
  out('b2x', b.mul(bv, b.const(2)));
  const a1 = b.op('reshape', [a], { shape: [R, 1] });
  const y = b.unary('tanh', b.add(b.mul(x, bv), a1));
  out('y', y);
  const z = b.mul(b.add(y, b2), s);
  out('rowSum', b.sum(z, [1]));
  out('rowMax', b.max(y, [1], true));
  out('rowProd', b.op('prod', [b.add(b.mul(y, b.const(0.01)), b.const(1))], { axes: [1], keepDims: false }));
  out('colSum', b.sum(z, [0]));
  out('colMin', b.min(y, [0], true));
  out('colMax', b.max(z, [0]));
  out('wide', b.sum(z, [0, 1]));
  out('wideAbs', b.sum(b.unary('abs', z), [0, 1]));
  const g = b.build();
  const feeds: Record<string, Float64Array> = { x: fill(R * C, 1, 2), a: fill(R, 2), b: fill(C, 3, 1.5), b2: fill(C, 4), s: Float64Array.of(0.75) };
  return { g, feeds };
}

describe('2-D kernels: every value kind and reduction axis vs the float64 interpreter and op-by-op tfjs-wasm', () => {
  // C % 4 = 0, 1, 2, 3; C < 4 (rows of tail only); R = C (a [R] value is a row or a column by its uses); R = 1 (flat); C over one 1024-element chunk.
  for (const [R, C] of [
    [9, 3],
    [5, 2],
    [3, 8],
    [5, 9],
    [4, 10],
    [7, 11],
    [6, 6],
    [1, 13],
    [33, 1031],
  ] as const) {
    it(`[${R}, ${C}]`, () => {
      const { g, feeds } = allKinds(R, C);
      const ref = evalGraph(g, feeds);
      const { rows, out } = runOwn(g, wholeKernel(g, [R, C]), (id) => ref.get(id)!.data);
      expect(rows).toBe(R); // R = 1: one flat loop; otherwise rows and columns
      const plain = opByOp(g, feeds);
      const wideAbs = ref.get(g.outputs.find((o) => o.name === 'wideAbs')!.var.id)!.data[0]!;
      for (const o of g.outputs) {
        const got = out.get(o.var.id)!;
        const vsRef = worst(got, ref.get(o.var.id)!.data);
        expect(vsRef.nonFiniteOk, o.name).toBe(true);
        if (o.name === 'wide') {
          // R·C float32 terms, each within a few ulp (tanh ≤ 2): 1e-6 of Σ|z|, as for the 1-D wide sums.
          expect(Math.abs(got[0]! - ref.get(o.var.id)!.data[0]!), 'wide vs interpreter').toBeLessThanOrEqual(1e-6 * wideAbs);
          expect(Math.abs(got[0]! - plain.get(o.var.id)![0]!), 'wide vs op by op').toBeLessThanOrEqual(1e-6 * wideAbs);
          continue;
        }
        // Float32 ops (tanh within 2 ulp, exp within 1), sums of ≤ 1031 terms: 2e-6 of the scale is
        // about 30 float32 ulps, far below what a wrong index, axis or broadcast gives.
        expect(vsRef.rel, `${o.name} vs interpreter`).toBeLessThanOrEqual(2e-6);
        expect(worst(got, plain.get(o.var.id)!).rel, `${o.name} vs op by op`).toBeLessThanOrEqual(2e-6);
      }
    });
  }

  it('a NaN in x makes NaN exactly its row of row reductions, its column of column reductions, and the wide sum', () => {
    const [R, C] = [6, 11];
    const { g, feeds } = allKinds(R, C);
    const [r0, c0] = [4, 9]; // c0 in the one-lane tail of its row
    feeds['x']![r0 * C + c0] = NaN;
    const ref = evalGraph(g, feeds);
    const { out } = runOwn(g, wholeKernel(g, [R, C]), (id) => ref.get(id)!.data);
    const byName = (n: string) => [...out.get(g.outputs.find((o) => o.name === n)!.var.id)!];
    const nanAt = (v: number[]) => v.flatMap((x, i) => (Number.isNaN(x) ? [i] : []));
    for (const n of ['rowSum', 'rowMax', 'rowProd']) expect(nanAt(byName(n)), n).toEqual([r0]);
    for (const n of ['colSum', 'colMin', 'colMax']) expect(nanAt(byName(n)), n).toEqual([c0]);
    expect(nanAt(byName('y'))).toEqual([r0 * C + c0]);
    expect(Number.isNaN(byName('wide')[0]!)).toBe(true);
    expect(nanAt(byName('sumExpA'))).toEqual([]);
    for (const o of g.outputs) {
      const w = worst(out.get(o.var.id)!, ref.get(o.var.id)!.data);
      expect(w.nonFiniteOk && (o.name === 'wide' || w.rel <= 2e-6), o.name).toBe(true);
    }
  });

  it('stays op by op where the layout does not hold: a column sum over more than MAX_COLUMN_ROWS rows, a member reading a row reduction, a [C, R] value', () => {
    const plan = (R: number, C: number, build: (b: GraphBuilder, x: Var) => Var) => {
      const b = new GraphBuilder();
      const x = b.input('x', [R, C], 'data');
      b.output('o', build(b, x), 'value');
      const g = b.build();
      return planWasmKernel(g, [wholeKernel(g, [R, C])]);
    };
    expect(plan(MAX_COLUMN_ROWS, 8, (b, x) => b.sum(b.unary('exp', x), [0]))?.rows).toBe(MAX_COLUMN_ROWS);
    expect(plan(MAX_COLUMN_ROWS + 1, 8, (b, x) => b.sum(b.unary('exp', x), [0]))).toBeNull();
    // Column max/min need no float64: any height.
    expect(plan(MAX_COLUMN_ROWS + 1, 8, (b, x) => b.max(b.unary('exp', x), [0]))?.rows).toBe(MAX_COLUMN_ROWS + 1);
    expect(plan(8, 12, (b, x) => b.sub(x, b.sum(x, [1], true)))).toBeNull();
    expect(plan(8, 12, (b, x) => b.sum(b.op('reshape', [x], { shape: [12, 8] }), [1]))).toBeNull();
  });
});

describe('merged 2-D kernels', () => {
  it('two independent kernels over one [R, C] space (a row sum; a column max of a row-scaled exp) run as one pass, and land on the interpreter', () => {
    const [R, C] = [64, 1030];
    const b = new GraphBuilder();
    const x = b.input('x', [R, C], 'data');
    const bv = b.input('b', [C], 'data');
    const a = b.input('a', [R], 'data');
    // Fusion tags as the fusion pass writes them: kernel 0 and kernel 1 share only the read x.
    const rs = b.op('sum', [b.op('mul', [x, bv], { fused: 0 })], { axes: [1], keepDims: false, fused: 0 });
    const q = b.op('mul', [b.op('exp', [x], { fused: 1 }), b.op('reshape', [a], { shape: [R, 1], fused: 1 })], { fused: 1 });
    const cm = b.op('max', [q], { axes: [0], keepDims: false, fused: 1 });
    b.output('rs', rs, 'value');
    b.output('q', q, 'value');
    b.output('cm', cm, 'value');
    const g = b.build();
    for (const [merge, want] of [
      [true, 1],
      [false, 2],
    ] as const) {
      const opts = { minSpace: 2, merge };
      const groups = wasmKernelGroups(g, opts);
      expect(groups.map((gr) => gr.plan.rows)).toEqual(new Array(want).fill(R));
      const feeds: Record<string, Float64Array> = { x: fill(R * C, 5, 2), b: fill(C, 6), a: fill(R, 7) };
      const ref = evalGraph(g, feeds);
      setFusedRunners((gg) => wasmFusedRunners(gg, opts));
      const ex = new GraphExecutor(g);
      try {
        const before = wasmKernelCalls();
        const outs = ex.run(new Map(g.inputs.map((i) => [i.name, { shape: [...i.var.shape], data: Float32Array.from(feeds[i.name]!) }] as const)));
        expect(wasmKernelCalls() - before).toBe(want);
        for (const o of g.outputs) {
          const t = outs.get(outputKey(o.role, o.name))!;
          expect(worst(Float32Array.from(t.dataSync() as Float32Array), ref.get(o.var.id)!.data).rel, o.name).toBeLessThanOrEqual(2e-6);
        }
        for (const t of outs.values()) t.dispose();
      } finally {
        ex.dispose();
        setFusedRunners((gg) => wasmFusedRunners(gg));
      }
    }
  });
});

// ── tanh against float64 ────────────────────────────────────────────────────

function runUnary(op: OpName, xs: Float32Array): Float32Array {
  const b = new GraphBuilder();
  const x = b.input('x', [xs.length], 'param');
  b.output('y', b.unary(op, x), 'value');
  const g = b.build();
  return runOwn(g, wholeKernel(g, [xs.length]), () => xs).out.get(g.outputs[0]!.var.id)!;
}

function ulp32(v: number): number {
  const a = Math.abs(v);
  return a < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(a)) - 23);
}

describe('vectorized tanh (Cephes tanhf: odd polynomial below 0.625, 1 − 2/(e^{2|x|}+1) above)', () => {
  it('within 2 ulp of Math.tanh over random float32 bit patterns and a dense sweep; ±0, ±inf, NaN exact', () => {
    let s = 99;
    const bits = new Uint32Array(300_000);
    for (let i = 0; i < bits.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      bits[i] = s;
    }
    // Random patterns are mostly huge or tiny; the sweep covers [-12, 12] densely, both branches and the switch at 0.625.
    const sweep = Array.from({ length: 200_000 }, (_, i) => -12 + (i * 24) / 200_000);
    const near = Array.from({ length: 20_000 }, (_, i) => 0.6 + i * 0.05 / 20_000);
    const xs = Float32Array.from([...new Float32Array(bits.buffer), ...sweep, ...near, ...near.map((v) => -v), 1e-45, -1e-45, 1e-20, 9, 10, 44, 89]);
    const got = runUnary('tanh', xs);
    let w = 0;
    let at = NaN;
    xs.forEach((x, i) => {
      if (!Number.isFinite(x)) return;
      const r = Math.tanh(x);
      const e = Math.abs(got[i]! - r) / ulp32(r);
      if (e > w) ((w = e), (at = x));
    });
    // Measured: 1.31 ulp, near x = 0.6286 (just above the switch to the exp form).
    expect(w, `worst at x = ${at}`).toBeLessThanOrEqual(2);
    expect([...runUnary('tanh', Float32Array.of(0, -0, Infinity, -Infinity, NaN, 100, -100))]).toEqual([0, -0, 1, -1, NaN, 1, -1]);
    expect(Object.is(runUnary('tanh', Float32Array.of(-0, -0))[0], -0)).toBe(true);
  });
});

// ── mfld-2048's kernels on the default path ─────────────────────────────────

const MFLD = fileURLToPath(new URL('../../bench/workloads/mfld-2048.gd', import.meta.url));

describe('mfld-2048 (bench workload) on tfjs-wasm', () => {
  it('its two [512, 2048] kernels run as WASM on the default path (rows and columns), and 3 steps land where op by op does', async () => {
    const src = readFileSync(MFLD, 'utf8').replace('for 100 steps', 'for 3 steps');
    const fr = front(MFLD, src, nodeFiles);
    const sp = compileSolve(fr.checked!, solveItems(fr.checked!)[0]!);
    const groups = wasmKernelGroups(sp.step);
    expect(groups.map((gr) => [gr.plan.rows, gr.plan.cols])).toEqual([
      [512, 2048],
      [512, 2048],
    ]);
    const observeGroups = wasmKernelGroups(sp.observe).length;
    const run = async (fused = true) => runProgram(fr.checked!, { backend: 'wasm', seed: 0, steps: 3, outDir: null, fused, compileStep: (item) => compileSolve(fr.checked!, item), host: nodeFiles });
    const before = wasmKernelCalls();
    const a = await run();
    expect(a.status).toBe('ok');
    expect(wasmKernelCalls() - before).toBe(2 * 3 + observeGroups);
    // Op by op (gd run --no-fuse), from the same start and noise.
    const b = await run(false);
    const { worst, scale } = maxAbsDiff(a.params['theta']!.data, b.params['theta']!.data);
    // Three steps; float32 sums over 512 and 2048 terms in a different order.
    expect(worst).toBeLessThanOrEqual(1e-5 * scale);
    expect(Math.abs(a.objective!.value - b.objective!.value)).toBeLessThanOrEqual(1e-5 * Math.abs(b.objective!.value));
  }, 60_000);
});
