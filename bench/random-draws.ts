/**
 * `node --import tsx bench/random-draws.ts`: ms to draw n normals (and uniforms) into a tfjs-wasm
 * tensor, the host path (rng.ts randnFill in JS, then tf.tensor uploads) vs the WASM Philox module
 * (runtime/wasm-simd/wasm-random.ts, in place); median of repeated draws. docs/wasm-kernels.md quotes it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { GraphBuilder } from '../compiler/ir/builder.js';
import { randFill, randnFill } from '../compiler/ir/rng.js';
import { selectBackend } from '../runtime/backend.js';
import { wasmRandomRunners } from '../runtime/wasm-simd/wasm-random.js';
import { timeSteps } from './timing.js';

await selectBackend('wasm');
const key = tf.keep(tf.tensor([7, 12], [2]));
const rows: string[] = [];
for (const kind of ['randn', 'rand'] as const) {
  for (const n of [32_768, 1_000_000]) {
    const b = new GraphBuilder();
    b.output('z', b.op(kind, [b.input('rng', [2], 'rng')], { shape: [n], stream: 3 }), 'value');
    const runner = wasmRandomRunners(b.build())[0]!;
    const fill = kind === 'randn' ? randnFill : randFill;
    const reps = n > 100_000 ? 15 : 100;
    const host = await timeSteps(() => tf.tensor(Float32Array.from(fill(7, 3, n, 12)), [n], 'float32').dispose(), 3, reps);
    const wasm = await timeSteps(() => {
      for (const t of runner.run(() => key).values()) t.dispose();
    }, 3, reps);
    rows.push(`${kind.padEnd(6)} ${String(n).padStart(9)} ${host.ms.toFixed(3).padStart(10)} ${wasm.ms.toFixed(3).padStart(10)} ${(host.ms / wasm.ms).toFixed(1).padStart(8)}`);
  }
}
process.stdout.write(`kind           n    host ms    wasm ms  speedup\n${rows.join('\n')}\n`);
