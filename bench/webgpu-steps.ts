/**
 * ms/step and programs dispatched per step of examples' first solve on the webgpu backend, fused WGSL
 * vs op by op (docs/webgpu.md). On a machine without a GPU this measures SwiftShader, a CPU emulation:
 * the ratio says what fusion saves in dispatches and memory traffic, not what a GPU would take.
 *   node --import tsx bench/webgpu-steps.ts examples/least-squares.gd examples/wasserstein-ring.gd
 */
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { front, compileSolve, solveItems } from '../compiler/pipeline.js';
import { kernelsOf } from '../compiler/passes/kernels.js';
import { nodeFiles } from '../runtime/node-files.js';
import { selectBackend } from '../runtime/backend.js';
import { GraphExecutor, setFusedRunners } from '../runtime/executor.js';
import { webgpuFusedRunners } from '../runtime/webgpu/fused-runners.js';
import { feedGraph } from '../test/helpers/feeds.js';
import '../runtime/std/index.js';

await selectBackend('webgpu'); // prints a note when it falls back to SwiftShader
const backend = tf.backend() as unknown as { runWebGPUProgram: (...a: unknown[]) => unknown };
const original = backend.runWebGPUProgram;
let programs = 0;
backend.runWebGPUProgram = function (this: unknown, ...a: unknown[]) {
  programs++;
  return original.apply(this, a);
};
console.log('| example | kernels/step | fused WGSL | op by op |\n|---|---|---|---|');
for (const f of process.argv.slice(2)) {
  const fr = front(f, readFileSync(f, 'utf8'), nodeFiles);
  const g = compileSolve(fr.checked!, solveItems(fr.checked!)[0]!).step;
  const host = feedGraph(g);
  const feeds = new Map(g.inputs.map((i) => [i.name, { shape: i.var.shape, data: Float32Array.from(host[i.name]!) }] as const));
  const cells: string[] = [];
  for (const fuse of [true, false]) {
    setFusedRunners((x) => webgpuFusedRunners(x, { fuse, deviceRandom: fuse }));
    const ex = new GraphExecutor(g);
    const step = async () => {
      for (const t of ex.run(feeds).values()) {
        await t.data();
        t.dispose();
      }
    };
    for (let w = 0; w < 2; w++) await step(); // pipelines compiled, constants uploaded
    const ms: number[] = [];
    let n = 0;
    for (let r = 0; r < 5; r++) {
      programs = 0;
      const t0 = performance.now();
      await step();
      ms.push(performance.now() - t0);
      n = programs;
    }
    ms.sort((a, b) => a - b);
    cells.push(`${ms[2]!.toFixed(1)} ms, ${n} programs`);
    ex.dispose();
  }
  console.log(`| ${f} | ${kernelsOf(g).length} | ${cells.join(' | ')} |`);
}
