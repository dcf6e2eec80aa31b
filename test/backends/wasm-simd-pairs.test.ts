/**
 * The several-vector main loop of the generated WASM SIMD kernels (kernel-wasm.ts: four vectors, 16
 * elements, per iteration by default, or two; the copies' code interleaved, exp/log branches joined):
 * bit for bit the results of the one-vector loop (`vectorsPerStep: 1`) for elementwise outputs and
 * reductions alike, over sizes that end in every remainder (several vectors, single vectors, one-lane
 * tail) and around the 1024-element chunks, with NaN/inf/0/denormal/out-of-range lanes that send only
 * one vector of a group down the slow path.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type BinaryenModule from 'binaryen';
import type { Graph } from '../../compiler/ir/ir.js';
import { GraphBuilder } from '../../compiler/ir/builder.js';
import { emitWasmKernel, planWasmKernel, type WasmKernelPlan } from '../../compiler/backends/wasm/kernel-wasm.js';
import { runInOwnMemory, wholeKernel } from '../helpers/wasm-kernel-harness.js';

let bn: typeof BinaryenModule;

beforeAll(async () => {
  bn = (await import('binaryen')).default;
}, 60_000);

const modules = new WeakMap<WasmKernelPlan, Map<number, WebAssembly.Module>>();
/** The module of `plan` with `vectorsPerStep` vectors per iteration, compiled once per test input set. */
function compiled(g: Graph, plan: WasmKernelPlan, vectorsPerStep: 1 | 2 | 4): WebAssembly.Module {
  let byK = modules.get(plan);
  if (!byK) modules.set(plan, (byK = new Map()));
  let mod = byK.get(vectorsPerStep);
  if (!mod)
    byK.set(
      vectorsPerStep,
      (mod = new WebAssembly.Module(
        emitWasmKernel(bn, g, plan, {
          vectorsPerStep,
        }) as Uint8Array<ArrayBuffer>,
      )),
    );
  return mod;
}

/**
 * Runs the kernel emitted with `vectorsPerStep` in a memory of its own; buffers start 4 bytes past a
 * 16-byte boundary, outputs prefilled with 7777 (an element not written shows). Every write by var id.
 */
function run(g: Graph, plan: WasmKernelPlan, vectorsPerStep: 1 | 2 | 4, values: ReadonlyMap<number, Float32Array>): Map<number, Float32Array> {
  // Scalar constants (b.const) are reads of the kernel too: their value from the const equation.
  const constant = (id: number) => Float32Array.of(g.eqns.find((e) => e.out.id === id && e.op === 'const')!.attrs['value'] as number);
  return runInOwnMemory(compiled(g, plan, vectorsPerStep), g, plan, (id) => values.get(id) ?? constant(id));
}

/** Indices where two float32 arrays differ in their bits (NaN payloads included). */
function bitDiffs(a: Float32Array, b: Float32Array): number[] {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  const out: number[] = [];
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) out.push(i);
  return out;
}

/** Lanes that take exp's, log's or both slow paths: NaN, ±inf, ±0, negative, denormal, |x| > 87. */
const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, -1, 1e-40, 100, -100, 88.5, 3e38];

/** Positive normal values in (0.05, 8) (every fast path), with the specials at scattered indices when `special`. */
function inputs(n: number, special: boolean, seed: number): Float32Array {
  const xs = Float32Array.from({ length: n }, (_, i) => 0.05 + 7.95 * Math.abs(Math.sin(i * 12.9898 + seed * 78.233)));
  if (special) SPECIALS.forEach((v, j) => (xs[(j * 11 + 5) % n] = v));
  return xs;
}

/**
 * A flat kernel with every branching template (exp, log, tanh, sigmoid), a chain of them, and every
 * wide reduction: sum, max, min, and a product of factors near 1.
 */
function flatKernel(n: number) {
  const b = new GraphBuilder();
  const x = b.input('x', [n], 'data');
  const w = b.input('w', [n], 'data');
  const s = b.input('s', [], 'data');
  const out = (name: string, v: Parameters<typeof b.output>[1]) => b.output(name, v, 'value');
  const e = b.unary('exp', x);
  const l = b.unary('log', x);
  const t = b.unary('tanh', b.sub(x, b.const(2)));
  out('e', e);
  out('l', l);
  out('t', t);
  out('sig', b.unary('sigmoid', b.sub(x, b.const(3))));
  out('el', b.unary('exp', b.mul(l, s)));
  out('sumE', b.sum(e, [0]));
  out('maxL', b.max(l, [0]));
  out('minT', b.min(t, [0]));
  out(
    'prodW',
    b.op('prod', [b.add(b.mul(w, b.const(1e-3)), b.const(1))], {
      axes: [0],
      keepDims: false,
    }),
  );
  return { g: b.build(), x, w, s };
}

// From 2: the planner takes no kernel over a single point.
const SIZES = [...Array.from({ length: 39 }, (_, i) => i + 2), 1023, 1024, 1025, 2047, 2048, 2049, 4100];

describe('two or four vectors per iteration (interleaved) vs one: the same bits', () => {
  it('flat kernels over sizes 2..40 and around the 1024-element chunks, with and without slow-path lanes', () => {
    let slowAlone = 0;
    for (const n of SIZES) {
      const { g, x, w, s } = flatKernel(n);
      const plan = planWasmKernel(g, [wholeKernel(g, [n])])!;
      expect(plan.rows, 'a flat plan').toBe(1);
      for (const special of [false, true]) {
        const xs = inputs(n, special, 1);
        const ws = inputs(n, false, 2);
        const values = new Map([
          [x.id, xs],
          [w.id, ws],
          [s.id, Float32Array.of(0.5)],
        ]);
        const one = run(g, plan, 1, values);
        const four = run(g, plan, 4, values);
        for (const [k, several] of [
          [2, run(g, plan, 2, values)],
          [4, four],
        ] as const) {
          for (const o of g.outputs) {
            const a = one.get(o.var.id)!;
            expect(a.includes(7777), `${o.name} n=${n}: every element written`).toBe(false);
            expect(bitDiffs(several.get(o.var.id)!, a), `${o.name} n=${n} special=${special} ${k} vectors`).toEqual([]);
          }
        }
        // The clean inputs' sum against float64 (the one-vector loop's bound, test/backends/wasm-simd.test.ts).
        if (!special) {
          const exact = xs.reduce((acc, v) => acc + Math.exp(v), 0);
          expect(Math.abs(four.get(g.outputs.find((o) => o.name === 'sumE')!.var.id)![0]! - exact)).toBeLessThanOrEqual(1e-6 * exact);
        }
        // Count pairs (8-aligned groups: iterations of the two-vector loop) where exactly one vector has a slow lane.
        if (special) {
          const slow = (i: number) => !(xs[i]! > 1.2e-38 && xs[i]! <= 87);
          const pairs = Math.floor((n - (n % 4)) / 8);
          for (let p = 0; p < pairs; p++) {
            const lo = [0, 1, 2, 3].some((k) => slow(8 * p + k));
            const hi = [4, 5, 6, 7].some((k) => slow(8 * p + k));
            if (lo !== hi) slowAlone++;
          }
        }
      }
    }
    // The joint branch was exercised where it matters: one vector slow, its partner fast.
    expect(slowAlone).toBeGreaterThan(50);
  }, 60_000);

  it('2-D kernels (per-row and per-column values, row and column reductions) over widths around 8 and the chunk', () => {
    for (const [R, C] of [
      [3, 8],
      [3, 12],
      [4, 15],
      [2, 1025],
      [2, 2049],
    ] as const) {
      const b = new GraphBuilder();
      const x = b.input('x', [R, C], 'data');
      const a = b.input('a', [R], 'data');
      const c = b.input('c', [C], 'data');
      const y = b.unary('tanh', b.add(b.mul(x, c), b.op('reshape', [a], { shape: [R, 1] })));
      const z = b.unary('log', b.add(b.unary('exp', x), c));
      b.output('y', y, 'value');
      b.output('z', z, 'value');
      b.output('rowSum', b.sum(z, [1]), 'value');
      b.output('rowMax', b.max(y, [1], true), 'value');
      b.output('colSum', b.sum(y, [0]), 'value');
      b.output('colMin', b.min(z, [0], true), 'value');
      b.output('wide', b.sum(y, [0, 1]), 'value');
      const g = b.build();
      const plan = planWasmKernel(g, [wholeKernel(g, [R, C])])!;
      expect(plan.rows, 'a 2-D plan').toBe(R);
      for (const special of [false, true]) {
        const values = new Map([
          [x.id, inputs(R * C, special, 3)],
          [a.id, inputs(R, false, 4)],
          [c.id, inputs(C, false, 5)],
        ]);
        const one = run(g, plan, 1, values);
        for (const k of [2, 4] as const) {
          const several = run(g, plan, k, values);
          for (const o of g.outputs) {
            expect(one.get(o.var.id)!.includes(7777), `${o.name} [${R}, ${C}]: every element written`).toBe(false);
            expect(bitDiffs(several.get(o.var.id)!, one.get(o.var.id)!), `${o.name} [${R}, ${C}] special=${special} ${k} vectors`).toEqual([]);
          }
        }
      }
    }
  }, 60_000);
});
