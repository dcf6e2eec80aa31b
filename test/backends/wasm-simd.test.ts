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
import type { Kernel } from '../../compiler/passes/kernels.js';
import { compileSolve, front, solveItems } from '../../compiler/pipeline.js';
import { emitWasmKernel, planWasmKernel } from '../../compiler/backends/wasm/kernel-wasm.js';
import { selectBackend } from '../../runtime/backend.js';
import { GraphExecutor, outputKey, setFusedRunners, type FusedRunner } from '../../runtime/executor.js';
import { loadWasmKernelCompiler, wasmFusedRunners, wasmKernelGroups } from '../../runtime/wasm-simd/wasm-kernels.js';
import { nodeFiles } from '../../runtime/node-files.js';
import { feedGraph } from '../helpers/feeds.js';
import '../../runtime/std/index.js';

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
