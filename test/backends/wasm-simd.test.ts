/**
 * WASM SIMD fused kernels (compiler/backends/wasm, runtime/wasm-simd): exp/log accuracy against
 * Math.exp/Math.log in float64 over the float32 range, every example's step fused-SIMD vs op by op
 * vs the float64 interpreter, kernels per step, and in-place use of tfjs-wasm's heap.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type BinaryenModule from 'binaryen';
import type { Graph } from '../../compiler/ir/ir.js';
import { GraphBuilder } from '../../compiler/ir/builder.js';
import { evalGraph } from '../../compiler/ir/interpret.js';
import type { OpName } from '../../compiler/ir/ops.js';
import { kernelsOf, type Kernel } from '../../compiler/passes/kernels.js';
import { compileSolve, front, solveItems } from '../../compiler/pipeline.js';
import { emitWasmKernel, planWasmKernel } from '../../compiler/backends/wasm/kernel-wasm.js';
import { selectBackend } from '../../runtime/backend.js';
import { GraphExecutor, outputKey, setFusedRunners, type FusedRunner } from '../../runtime/executor.js';
import { loadWasmKernelCompiler, wasmFusedRunners, wasmKernelCalls, wasmKernelGroups } from '../../runtime/wasm-simd/wasm-kernels.js';
import { runProgram } from '../../runtime/run.js';
import { nodeFiles } from '../../runtime/node-files.js';
import { feedGraph } from '../helpers/feeds.js';
import '../../runtime/std/index.js';
import { maxAbsDiff } from '../helpers/wasm-kernel-harness.js';

let bn: typeof BinaryenModule;

beforeAll(async () => {
  bn = (await import('binaryen')).default;
  await loadWasmKernelCompiler(async () => ({ default: bn }));
  await selectBackend('wasm');
}, 60_000);

// ── exp and log against float64 ─────────────────────────────────────────────

/** Runs one unary op as a compiled WASM kernel over `xs` in a memory of its own (no tfjs involved). */
function runUnary(op: OpName, xs: Float32Array): Float32Array {
  const b = new GraphBuilder();
  const x = b.input('x', [xs.length], 'param');
  const y = b.unary(op, x);
  b.output('y', y, 'value');
  const g = b.build();
  const k: Kernel = { eqns: [0], fused: true, space: [xs.length], reads: [x.id], writes: [y.id] };
  const plan = planWasmKernel(g, [k])!;
  const mod = new WebAssembly.Module(emitWasmKernel(bn, g, plan) as Uint8Array<ArrayBuffer>);
  const memory = new WebAssembly.Memory({ initial: Math.ceil((8 * xs.length + 64) / 65536) });
  const inst = new WebAssembly.Instance(mod, { env: { memory } });
  new Float32Array(memory.buffer, 0, xs.length).set(xs);
  const out = 4 * xs.length + 16; // not a multiple of 16: loads and stores need no alignment
  (inst.exports['k'] as (a: number, b: number) => void)(0, out);
  return Float32Array.from(new Float32Array(memory.buffer, out, xs.length));
}

/** The spacing of float32 numbers at |v| (2^-149 in the denormal range). */
function ulp32(v: number): number {
  const a = Math.abs(v);
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

/** Every float32 bit pattern with sign `sign`, sampled: `count` random patterns plus the edges given. */
function samples(count: number, sign: 0 | 1, edges: readonly number[]): Float32Array {
  const bits = new Uint32Array(count);
  let s = 12345;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    bits[i] = ((s >>> 1) | (sign << 31)) >>> 0;
  }
  const xs = new Float32Array(bits.buffer);
  return Float32Array.from([...xs, ...edges]);
}

/** Worst error in float32 ulps of the exact (float64) value, over the finite exact results; the non-finite ones must match exactly. */
function worstUlps(xs: Float32Array, got: Float32Array, exact: (x: number) => number): { ulps: number; at: number; mismatch: number[] } {
  let ulps = 0;
  let at = NaN;
  const mismatch: number[] = [];
  xs.forEach((x, i) => {
    const r = exact(x);
    const y = got[i]!;
    if (!Number.isFinite(r) || Math.abs(r) > 3.4028234663852886e38) {
      if (!Object.is(y, Math.fround(r)) && !(Number.isNaN(r) && Number.isNaN(y))) mismatch.push(x);
      return;
    }
    const e = Math.abs(y - r) / ulp32(r);
    if (e > ulps) {
      ulps = e;
      at = x;
    }
  });
  return { ulps, at, mismatch };
}

describe('vectorized exp and log (f32x4, Cephes range reduction + polynomial)', () => {
  it('exp: within 1 ulp of Math.exp over the float32 range, exact at the edges (±0, ±inf, NaN, overflow, underflow to 0 and denormals)', () => {
    const edges = [0, -0, Infinity, -Infinity, NaN, 1, -1, 88.72283, 88.7229, 89, 1e30, -87.33654, -87.5, -100, -103.27893, -103.972, -104, -1e30, 1e-45, -1e-45, 1e-38, 0.5 * Math.LN2, -0.5 * Math.LN2];
    const xs = Float32Array.from([...samples(200_000, 0, edges), ...samples(200_000, 1, []), ...Array.from({ length: 100_000 }, (_, i) => -110 + (i * 200) / 100_000)]);
    const got = runUnary('exp', xs);
    const w = worstUlps(xs, got, Math.exp);
    expect(w.mismatch).toEqual([]);
    // Measured: 0.92 ulp (exp, near x = 26), 0.79 ulp (log, near x = 1.40).
    expect(w.ulps, `worst at x = ${w.at}`).toBeLessThanOrEqual(1);
    // Underflow and overflow land where float32 rounding puts them.
    const special = runUnary('exp', Float32Array.of(-104, -103.2789, 88.7228, 88.7229, NaN, -Infinity, Infinity, 0));
    expect([...special]).toEqual([0, Math.fround(Math.exp(Math.fround(-103.2789))), Math.fround(Math.exp(Math.fround(88.7228))), Infinity, NaN, 0, Infinity, 1]);
  });

  it('log: within 1 ulp of Math.log over all positive float32 (denormals included); 0 → -inf, negative and NaN → NaN, +inf → +inf, 1 → 0', () => {
    const edges = [0, -0, Infinity, -Infinity, NaN, 1, -1, 1e-45, 2e-45, 1.1754942e-38, 1.1754944e-38, 3.4028234e38, 0.70710677, 0.70710683, 1.0000001, 0.99999994, 2, 0.5];
    const xs = Float32Array.from([...samples(300_000, 0, edges), ...Array.from({ length: 100_000 }, (_, i) => 0.5 + i / 100_000)]);
    const got = runUnary('log', xs);
    const w = worstUlps(xs, got, Math.log);
    expect(w.mismatch).toEqual([]);
    // Measured: 0.92 ulp (exp, near x = 26), 0.79 ulp (log, near x = 1.40).
    expect(w.ulps, `worst at x = ${w.at}`).toBeLessThanOrEqual(1);
    const neg = runUnary('log', samples(1000, 1, [-0, -Infinity]));
    expect([...neg].slice(0, -2).every(Number.isNaN)).toBe(true);
    expect([...neg].slice(-2)).toEqual([-Infinity, NaN]);
    expect([...runUnary('log', Float32Array.of(1, 0, Infinity, NaN))]).toEqual([0, -Infinity, Infinity, NaN]);
  });
});

/** Runs sum, max, min and prod of `xs` (four reductions of one read) as one WASM kernel in a memory of its own. */
function runReductions(xs: Float32Array): number[] {
  const b = new GraphBuilder();
  const x = b.input('x', [xs.length], 'param');
  const outs = (['sum', 'max', 'min', 'prod'] as const).map((op) => b.op(op, [x], { axes: [0], keepDims: false }));
  outs.forEach((v, k) => b.output(`r${k}`, v, 'value'));
  const g = b.build();
  const k: Kernel = { eqns: [0, 1, 2, 3], fused: true, space: [xs.length], reads: [x.id], writes: outs.map((v) => v.id) };
  const plan = planWasmKernel(g, [k])!;
  const mod = new WebAssembly.Module(emitWasmKernel(bn, g, plan) as Uint8Array<ArrayBuffer>);
  const memory = new WebAssembly.Memory({ initial: Math.ceil((4 * xs.length + 64) / 65536) });
  const inst = new WebAssembly.Instance(mod, { env: { memory } });
  new Float32Array(memory.buffer, 0, xs.length).set(xs);
  const at = 4 * xs.length + 4;
  (inst.exports['k'] as (...a: number[]) => void)(0, at, at + 4, at + 8, at + 12);
  return [...new Float32Array(memory.buffer, at, 4)];
}

describe('wide reductions (float32 chunks folded into float64; pmax/pmin with NaN lanes tracked)', () => {
  it('sum, max, min, prod over lengths around the vector width and the 1024-element chunk match float64 (sum within 1e-6 relative)', () => {
    for (const n of [2, 3, 5, 7, 1023, 1024, 1025, 2051, 100_003]) {
      const xs = Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i * 12.9898) * 2 + (i % 7 === 0 ? 0.5 : -0.25)));
      const ps = Float32Array.from({ length: Math.min(n, 40) }, (_, i) => Math.fround(1 + ((i * 37) % 11) / 100));
      let sum = 0;
      let mx = -Infinity;
      let mn = Infinity;
      for (const v of xs) {
        sum += v;
        mx = Math.max(mx, v);
        mn = Math.min(mn, v);
      }
      const [s, hi, lo] = runReductions(xs);
      expect(Math.abs(s! - sum)).toBeLessThanOrEqual(1e-6 * xs.reduce((a, v) => a + Math.abs(v), 0));
      expect(hi).toBe(Math.fround(mx));
      expect(lo).toBe(Math.fround(mn));
      const prod = ps.reduce((a, v) => a * v, 1);
      expect(Math.abs(runReductions(ps)[3]! - prod)).toBeLessThanOrEqual(1e-6 * prod);
    }
  });

  it('a NaN anywhere (vector body or tail) makes max, min and sum NaN; infinities are kept', () => {
    for (const at of [0, 5, 1030, 1032]) {
      const xs = new Float32Array(1033).fill(1);
      xs[at] = NaN;
      expect(runReductions(xs).slice(0, 3).every(Number.isNaN)).toBe(true);
    }
    const inf = new Float32Array(9).fill(-2);
    inf[8] = Infinity;
    expect(runReductions(inf).slice(0, 3)).toEqual([Infinity, Infinity, -2]);
  });
});

// ── fused SIMD vs op by op vs the interpreter ───────────────────────────────

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
/** Every kernel the backend can compile, however small (the runtime's default takes only ≥ 64k points). */
const ALL = { minSpace: 2, merge: true };

function stepGraphs(file: string, src: string): Graph[] {
  const fr = front(file, src, nodeFiles);
  if (!fr.checked) throw new Error(`${file} does not check: ${fr.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return solveItems(fr.checked).map((item) => compileSolve(fr.checked!, item).step);
}

/** Runs `g` once through the executor with the given provider; host copies of every output by key. */
function execute(g: Graph, feeds: Record<string, Float64Array>, provider: ((g: Graph) => FusedRunner[]) | null): Map<string, Float32Array> {
  setFusedRunners(provider);
  const ex = new GraphExecutor(g);
  try {
    const hostFeeds = new Map(g.inputs.map((i) => [i.name, { shape: [...i.var.shape], data: Float32Array.from(feeds[i.name]!) }] as const));
    const outs = ex.run(hostFeeds);
    const res = new Map<string, Float32Array>();
    for (const [k, t] of outs) {
      res.set(k, Float32Array.from(t.dataSync() as Float32Array));
      t.dispose();
    }
    return res;
  } finally {
    ex.dispose();
    setFusedRunners((gg) => wasmFusedRunners(gg));
  }
}

/**
 * Worst |got − ref| over an output relative to its scale max(1, max |ref|), and whether every
 * non-finite reference value is matched exactly.
 */
function compare(got: Float32Array, ref: Float64Array): { rel: number; nonFiniteOk: boolean } {
  let scale = 1;
  for (const x of ref) if (Number.isFinite(x)) scale = Math.max(scale, Math.abs(x));
  let worst = 0;
  let nonFiniteOk = true;
  ref.forEach((r, i) => {
    const x = got[i]!;
    if (!Number.isFinite(r)) nonFiniteOk &&= Object.is(x, Math.fround(r)) || (Number.isNaN(r) && Number.isNaN(x));
    else worst = Math.max(worst, Math.abs(x - r));
  });
  return { rel: worst / scale, nonFiniteOk };
}

describe('every example: fused WASM SIMD kernels vs op by op vs the float64 interpreter', () => {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.gd')).sort();

  it('has examples', () => expect(files.length).toBeGreaterThan(10));

  let taken = 0;
  let taken2d = 0;
  const illConditioned: string[] = [];
  for (const f of files) {
    it(f, () => {
      const path = EXAMPLES + f;
      for (const g of stepGraphs(path, readFileSync(path, 'utf8'))) {
        const feeds = feedGraph(g);
        const ref = evalGraph(g, feeds);
        const groups = wasmKernelGroups(g, ALL);
        taken += groups.length;
        taken2d += groups.filter((gr) => gr.plan.rows > 1).length;
        const fused = execute(g, feeds, (gg) => wasmFusedRunners(gg, ALL));
        const plain = execute(g, feeds, null);
        for (const o of g.outputs) {
          const key = outputKey(o.role, o.name);
          const r = ref.get(o.var.id)!.data;
          // Float32 steps of tens of ops (each rounded to 0.5 ulp = 6e-8; exp/log within 1 ulp, see above),
          // reductions over up to 10^4 terms (float64 accumulators in the WASM kernels, float32 in tfjs):
          // 1e-4 of the output's scale is 1600 float32 ulps, room for the cancellation in log-sum-exp and
          // gradient differences, and far below what a wrong op, axis or broadcast gives (order 1).
          const fv = fused.get(key)!;
          const pv = plain.get(key)!;
          const a = compare(fv, r);
          const b = compare(pv, r);
          if (process.env.DBG) console.log(f, key, a.rel, b.rel);
          expect(a.nonFiniteOk && b.nonFiniteOk, `${key}: non-finite values differ`).toBe(true);
          if (b.rel <= 1e-4) {
            expect(a.rel, `${key} fused vs interpreter`).toBeLessThanOrEqual(1e-4);
          } else {
            // Ill-conditioned at this input: float32 op by op already leaves float64 (an FGSM sign(∇) at
            // a zero gradient flips). Each fused element must then agree with one of the two references.
            illConditioned.push(`${f} ${key}`);
            const either = Float64Array.from(fv, (x, i) => (Math.abs(x - r[i]!) <= Math.abs(x - pv[i]!) ? r[i]! : pv[i]!));
            expect(compare(fv, either).rel, `${key} fused vs the nearer reference`).toBeLessThanOrEqual(1e-4);
          }
        }
      }
    }, 60_000);
  }

  it('took WASM kernels in the examples (the comparison above exercised them); few outputs were ill-conditioned', () => {
    expect(taken).toBeGreaterThanOrEqual(files.length);
    // Kernels over [R, C] with per-row/per-column values or partial reductions (kernel-plan.ts), compared above.
    expect(taken2d).toBeGreaterThanOrEqual(17); // 17 when written
    // Only the two linf attacks of adversarial-moons (FGSM and its iterated form: sign of a gradient that is 0 at some points).
    expect(illConditioned).toEqual(['adversarial-moons.gd update:delta', 'adversarial-moons.gd update:delta']);
  });
});

// ── kernels per step, tfjs-wasm's heap ──────────────────────────────────────

const MIRROR = (n: number) =>
  `dim n = ${n}\ndata c: [n] = rand(seed: 3)\nparam p: [n] in simplex = uniform\nminimize cost = dot(c, p) + 0.01 * sum(p * log(p)) over p in mirror(entropy) by gd(lr: 1.0) for 3 steps\n`;

/** A provider that counts the WASM kernel calls of every runner it hands out (JS pairwise runners excluded by construction here). */
function counting(opts: { minSpace: number; merge: boolean }) {
  const calls = { n: 0 };
  const provider = (g: Graph) =>
    wasmFusedRunners(g, opts).map((r) => ({
      ...r,
      run: (read: (id: number) => tf.Tensor) => {
        calls.n++;
        return r.run(read);
      },
    }));
  return { calls, provider };
}

describe('WASM kernels per step', () => {
  it('mirror descent on a small simplex: 5 fused kernels; the 4 over [n] run as WASM, 3 after merging the two independent passes over p and c', () => {
    // n > 32: the reductions end their kernels (fuse.ts INNER_REDUCTION_LIMIT), as at n = 10^6.
    const g = stepGraphs('m.gd', MIRROR(41))[0]!;
    expect(kernelsOf(g).filter((k) => k.fused)).toHaveLength(5);
    const feeds = feedGraph(g);
    const ref = evalGraph(g, feeds);
    for (const [merge, want] of [
      [true, 3],
      [false, 4],
    ] as const) {
      const opts = { minSpace: 2, merge };
      expect(wasmKernelGroups(g, opts)).toHaveLength(want);
      const { calls, provider } = counting(opts);
      const out = execute(g, feeds, provider);
      expect(calls.n).toBe(want);
      const upd = g.outputs.find((o) => o.role === 'update')!;
      expect(compare(out.get(outputKey('update', 'p'))!, ref.get(upd.var.id)!.data).rel).toBeLessThanOrEqual(1e-6);
    }
    // Below the default threshold (64k points) nothing runs as WASM.
    const { calls, provider } = counting({ minSpace: 1 << 16, merge: true });
    execute(g, feeds, provider);
    expect(calls.n).toBe(0);
  });

  it('works in place on tfjs-wasm tensors: no tensor leaks, and the same results after the heap grows (views detach, addresses stay)', () => {
    const n = 70_001; // over the default threshold, not a multiple of 4 (the one-lane tail loop runs)
    const g = stepGraphs('m.gd', MIRROR(n))[0]!;
    expect(wasmKernelGroups(g)).toHaveLength(3);
    const feeds = feedGraph(g);
    const ref = evalGraph(g, feeds);
    const upd = g.outputs.find((o) => o.role === 'update')!;
    setFusedRunners((gg) => wasmFusedRunners(gg));
    const ex = new GraphExecutor(g);
    const hostFeeds = new Map(g.inputs.map((i) => [i.name, tf.tensor(Float32Array.from(feeds[i.name]!), [...i.var.shape])] as const));
    const once = () => {
      const outs = ex.run(hostFeeds);
      const p = Float32Array.from(outs.get(outputKey('update', 'p'))!.dataSync() as Float32Array);
      for (const t of outs.values()) t.dispose();
      return p;
    };
    once(); // uploads and keeps the graph's constants
    const before = tf.memory().numTensors;
    const a = once();
    expect(tf.memory().numTensors).toBe(before);
    const heap = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm;
    const size0 = heap.HEAPU8.buffer.byteLength;
    const big = tf.zeros([Math.ceil(size0 / 4) + (1 << 20)]); // more than the whole heap: it must grow
    const b = once();
    expect((tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength).toBeGreaterThan(size0);
    big.dispose();
    expect(compare(a, ref.get(upd.var.id)!.data).rel).toBeLessThanOrEqual(1e-6);
    expect([...b]).toEqual([...a]);
    ex.dispose();
    for (const t of hostFeeds.values()) t.dispose();
  });
});

describe('the default path (gd run on tfjs-wasm)', () => {
  it('runProgram takes the 3 WASM kernels per step of a 70,001-coordinate mirror descent, and lands where op by op does', async () => {
    const src = MIRROR(70_001).replace('for 3 steps', 'for 4 steps');
    const fr = front('m.gd', src, nodeFiles);
    const run = async (fused = true) =>
      runProgram(fr.checked!, { backend: 'wasm', seed: 0, steps: 4, outDir: null, fused, compileStep: (item) => compileSolve(fr.checked!, item), host: nodeFiles });
    const before = wasmKernelCalls();
    const a = await run();
    expect(a.status).toBe('ok');
    // 3 per step, plus the observe graph's one kernel (the objective's two sums, merged) run once for
    // the final objective.
    const sp = compileSolve(fr.checked!, solveItems(fr.checked!)[0]!);
    expect(wasmKernelGroups(sp.step)).toHaveLength(3);
    expect(wasmKernelGroups(sp.observe)).toHaveLength(1);
    expect(wasmKernelCalls() - before).toBe(3 * 4 + 1);
    // Op by op (gd run --no-fuse) from the same start: the same iterates up to float32 rounding.
    const b = await run(false);
    const { worst, scale } = maxAbsDiff(a.params['p']!.data, b.params['p']!.data);
    // tfjs sums 70,001 terms in float32 (relative error up to ~1e-5 here), the kernels in float64 chunks.
    expect(worst).toBeLessThanOrEqual(1e-4 * scale);
    expect(Math.abs(a.objective!.value - b.objective!.value)).toBeLessThanOrEqual(1e-4 * Math.abs(b.objective!.value));
  }, 60_000);

  it('runProgram with fused: false (gd run --no-fuse) takes no WASM kernel and lands exactly where the provider switched off does', async () => {
    const fr = front('m.gd', MIRROR(70_001), nodeFiles);
    const run = async (fused?: boolean) =>
      runProgram(fr.checked!, { backend: 'wasm', seed: 0, steps: 3, outDir: null, compileStep: (item) => compileSolve(fr.checked!, item), host: nodeFiles, ...(fused === undefined ? {} : { fused }) });
    const before = wasmKernelCalls();
    const a = await run(false);
    expect(a.status).toBe('ok');
    expect(wasmKernelCalls()).toBe(before);
    setFusedRunners(null);
    try {
      const b = await run();
      expect(Array.from(a.params['p']!.data)).toEqual(Array.from(b.params['p']!.data));
      expect(a.objective!.value).toBe(b.objective!.value);
    } finally {
      setFusedRunners((gg) => wasmFusedRunners(gg));
    }
    await run();
    expect(wasmKernelCalls()).toBeGreaterThan(before);
  }, 60_000);
});
