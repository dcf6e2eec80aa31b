/**
 * `npm run bench -- wasm-math`: the compute floor of the mirror step on this machine. Times the compiler's
 * generated WASM SIMD kernels for exp, log and their chain over 1,000,000 float32 (the same templates a
 * fused kernel uses, on a memory of their own) beside the copy bandwidth, and prints what one log and one
 * exp per coordinate — the least transcendental work of an entropic mirror step, log p for the gradient
 * and exp for the update — cost against mirror-simplex-1m's bandwidth limit.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Binaryen } from '../compiler/backends/wasm/kernel-wasm.js';
import { emitWasmKernel, planWasmKernel } from '../compiler/backends/wasm/kernel-wasm.js';
import { GraphBuilder } from '../compiler/ir/builder.js';
import type { Var } from '../compiler/ir/ir.js';
import type { Kernel } from '../compiler/passes/kernels.js';
import { measuredCopyBandwidth } from './compute.js';
import { median } from './timing.js';

const N = 1_000_000;
/** Bytes per coordinate of the mirror step's bandwidth limit (bench/compute.ts). */
const LIMIT_BYTES = 20;

const CASES: readonly (readonly [string, (b: GraphBuilder, x: Var) => Var])[] = [
  ['neg (a pass over memory)', (b, x) => b.unary('neg', x)],
  ['exp', (b, x) => b.unary('exp', x)],
  ['log', (b, x) => b.unary('log', x)],
  ['exp(log x)', (b, x) => b.unary('exp', b.unary('log', x))],
];

/** Median ms of one kernel call over N elements of (0, 1], after warm-up calls (so V8 has tiered the module up). */
function timeKernel(bn: Binaryen, f: (b: GraphBuilder, x: Var) => Var): number {
  const b = new GraphBuilder();
  const x = b.input('x', [N], 'param');
  const y = f(b, x);
  b.output('y', y, 'value');
  const g = b.build();
  const k: Kernel = { eqns: g.eqns.map((_, i) => i), fused: true, space: [N], reads: [x.id], writes: [y.id] };
  const plan = planWasmKernel(g, [k]);
  if (!plan) throw new Error('wasm-math: kernel not compilable');
  const memory = new WebAssembly.Memory({ initial: Math.ceil((8 * N + 64) / 65536) });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(emitWasmKernel(bn, g, plan) as Uint8Array<ArrayBuffer>), { env: { memory } });
  const xs = new Float32Array(memory.buffer, 0, N);
  for (let i = 0; i < N; i++) xs[i] = (i + 1) / N;
  const fn = inst.exports['k'] as (a: number, b: number) => void;
  for (let i = 0; i < 20; i++) fn(0, 4 * N);
  const ts: number[] = [];
  for (let r = 0; r < 50; r++) {
    const t0 = performance.now();
    fn(0, 4 * N);
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

export async function wasmMathBench(): Promise<Record<string, unknown>[]> {
  // As in bench/gd-side.ts: a foreign tsx namespace keeps tsx's loader off binaryen's 15 MB module.
  const bn = (await import(pathToFileURL(createRequire(import.meta.url).resolve('binaryen')).href + '?tsx-namespace=native')).default as Binaryen;
  const rows = CASES.map(([name, f]) => ({ workload: 'wasm-math', kernel: name, ms_per_1m: timeKernel(bn, f) }));
  const limit = (LIMIT_BYTES * N) / measuredCopyBandwidth();
  const floor = rows.find((r) => r.kernel === 'exp')!.ms_per_1m + rows.find((r) => r.kernel === 'log')!.ms_per_1m;
  process.stdout.write(`\nwasm-math: generated f32x4 kernels over 1,000,000 float32, one thread (${(measuredCopyBandwidth() / 1e6).toFixed(1)} GB/s copy bandwidth)\n`);
  for (const r of rows) process.stdout.write(`${r.kernel.padEnd(26)}${r.ms_per_1m.toFixed(3).padStart(8)} ms\n`);
  process.stdout.write(
    `mirror step compute floor (one log + one exp per coordinate): ${floor.toFixed(2)} ms = ${(floor / limit).toFixed(1)}x the bandwidth limit (${limit.toFixed(2)} ms)\n`,
  );
  return [...rows, { workload: 'wasm-math', kernel: 'mirror floor (log + exp)', ms_per_1m: floor, limit_ms: limit }];
}
