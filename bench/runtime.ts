/**
 * Runtime benchmark (issue 4): per-step overhead on a tiny program (steps/second), and ms/step on a
 * medium one (examples/mfld.gd), both through the public API on the wasm backend. The tiny program is
 * also written by hand in tfjs (tf.variableGrads + SGD, as a TS user would) in the same process.
 * Per-step figures come from the difference of a long and a short run, so start-up and compilation cancel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerGradients } from './peers/tfjs-peer.js';
import { run } from '../api.js';
import { memoryHost } from '../compiler/host.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const TINY = `data c: [4] = [1, -2, 0.5, 3]
param w: [4] = zeros
minimize f = 0.5 * sum((w - c)^2) over w by gd(lr: 0.1) for 10 steps
`;

async function gdMsPerStep(file: string, text: string, short: number, long: number): Promise<number> {
  const host = memoryHost({ [file]: text });
  const time = async (steps: number) => {
    const t0 = performance.now();
    const r = await run(file, { text, host, steps, backend: 'wasm' });
    if (!r.ok) throw new Error(r.rendered);
    return performance.now() - t0;
  };
  await time(short); // warm-up: backend init, JIT
  const a = await time(short);
  const b = await time(long);
  return (b - a) / (long - short);
}

async function tfjsTinyMsPerStep(short: number, long: number): Promise<number> {
  const c = tf.tensor1d([1, -2, 0.5, 3]);
  const time = (steps: number) => {
    const w = tf.variable(tf.zeros([4]));
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => tf.mul(0.5, tf.sum(tf.square(tf.sub(w, c)))) as tf.Scalar, [w]);
        w.assign(tf.sub(w, tf.mul(0.1, grads[w.name]!)));
      });
    }
    w.dataSync();
    const dt = performance.now() - t0;
    w.dispose();
    return dt;
  };
  time(short);
  const a = time(short);
  const b = time(long);
  c.dispose();
  return (b - a) / (long - short);
}

export async function runtimeBench(): Promise<Record<string, unknown>[]> {
  const tinyGd = await gdMsPerStep('tiny.gd', TINY, 200, 2200);
  await registerGradients();
  const tinyTf = await tfjsTinyMsPerStep(200, 2200); // same backend: run() selected wasm above
  const mfldFile = join(import.meta.dirname, '../examples/mfld.gd');
  const mfld = await gdMsPerStep('mfld.gd', readFileSync(mfldFile, 'utf8'), 5, 25);
  const rows = [
    { workload: 'runtime-tiny', backend: tf.getBackend(), gd_ms: +tinyGd.toFixed(4), tfjs_ms: +tinyTf.toFixed(4), steps_per_s: Math.round(1000 / tinyGd) },
    { workload: 'runtime-mfld-example', backend: tf.getBackend(), gd_ms: +mfld.toFixed(2) },
  ];
  process.stdout.write('\nruntime: per-step cost through the public API (wasm)\n');
  process.stdout.write(`  tiny (4-dim gd):      gd ${tinyGd.toFixed(4)} ms/step (${rows[0]!.steps_per_s} steps/s)   hand-written tfjs ${tinyTf.toFixed(4)} ms/step   ratio ${(tinyGd / tinyTf).toFixed(2)}\n`);
  process.stdout.write(`  medium (mfld.gd, 1024 particles × 512 points): gd ${mfld.toFixed(2)} ms/step\n`);
  return rows;
}
