/**
 * `node --import tsx bench/wasm-vectors.ts FILE.gd`: each WASM kernel of FILE's step emitted with 1, 2, 4
 * and 8 f32x4 vectors per main-loop iteration (kernel-wasm.ts's vectorsPerStep), timed in turns in one
 * process over the same buffers: median ms per call, and the module's size. The numbers behind the
 * default (docs/wasm-kernels.md, "The generated code").
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Binaryen } from '../compiler/backends/wasm/kernel-wasm.js';
import { emitWasmKernel } from '../compiler/backends/wasm/kernel-wasm.js';
import type { Shape } from '../compiler/ir/ir.js';
import { sizeOf } from '../compiler/ir/ops.js';
import { compileSolve, front, solveItems } from '../compiler/pipeline.js';
import { nodeFiles } from '../runtime/node-files.js';
import { wasmKernelGroups } from '../runtime/wasm-simd/wasm-kernels.js';
import { median } from './timing.js';

const VECTORS = [1, 2, 4, 8] as const;
const ROUNDS = 40;

// As in bench/wasm-math.ts: a foreign tsx namespace keeps tsx's loader off binaryen's 15 MB module.
const bn = (await import(pathToFileURL(createRequire(import.meta.url).resolve('binaryen')).href + '?tsx-namespace=native')).default as Binaryen;
const file = process.argv[2];
if (!file) throw new Error('usage: bench/wasm-vectors.ts FILE.gd');
const fr = front(file, readFileSync(file, 'utf8'), nodeFiles);
if (!fr.checked) throw new Error(`${file} does not check`);
const g = compileSolve(fr.checked, solveItems(fr.checked)[0]!).step;
const shapeOf = new Map<number, Shape>([...g.inputs.map((i) => [i.var.id, i.var.shape] as const), ...g.eqns.map((e) => [e.out.id, e.out.shape] as const)]);
process.stdout.write(`${file}: ms per kernel call (median of ${3 * ROUNDS}, in turns) by f32x4 vectors per iteration\n`);
for (const { plan } of wasmKernelGroups(g)) {
  const ids = [...plan.reads, ...plan.writes];
  const addrs: number[] = [];
  let top = 64;
  for (const id of ids) {
    addrs.push(top);
    top += 4 * sizeOf(shapeOf.get(id)!) + 64;
  }
  const memory = new WebAssembly.Memory({ initial: Math.ceil(top / 65536) + 1 });
  // Positive normal inputs in (0, 1e-3]: the fast paths of exp and log, as a simplex point's coordinates take.
  plan.reads.forEach((id, k) => new Float32Array(memory.buffer, addrs[k]!, sizeOf(shapeOf.get(id)!)).forEach((_, i, v) => (v[i] = (1 + ((i * 7919) % 1000)) / 1e6)));
  const sizes: number[] = [];
  const fns = VECTORS.map((vectorsPerStep) => {
    const bin = emitWasmKernel(bn, g, plan, { vectorsPerStep: vectorsPerStep as 1 | 2 | 4 });
    sizes.push(bin.length);
    return new WebAssembly.Instance(new WebAssembly.Module(bin as Uint8Array<ArrayBuffer>), { env: { memory } }).exports['k'] as (...a: number[]) => void;
  });
  for (const f of fns) for (let i = 0; i < 30; i++) f(...addrs);
  const ts: number[][] = VECTORS.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    fns.forEach((f, k) => {
      for (let j = 0; j < 3; j++) {
        const t0 = performance.now();
        f(...addrs);
        ts[k]!.push(performance.now() - t0);
      }
    });
  }
  process.stdout.write(`[${plan.rows}, ${plan.cols}] ${plan.eqns.map((i) => g.eqns[i]!.op).join(' ')}\n`);
  process.stdout.write(VECTORS.map((v, k) => `  ${v}: ${median(ts[k]!).toFixed(3)} ms (${sizes[k]} B)`).join('') + '\n');
}
