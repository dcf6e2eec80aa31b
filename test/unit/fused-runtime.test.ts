/** The executor runs a qualifying fused kernel (a pairwise region) as one generated JS kernel, with the same step results as op by op. */
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { front, compileSolve, solveItems } from '../../compiler/pipeline.js';
import { memoryHost } from '../../compiler/host.js';
import { selectBackend } from '../../runtime/backend.js';
import { GraphExecutor, outputKey, setFusedRunners } from '../../runtime/executor.js';
import { jsFusedRunners } from '../../runtime/fused/js-kernels.js';
import { randnFill } from '../../compiler/ir/rng.js';
import '../../runtime/std/index.js';

afterAll(() => setFusedRunners(jsFusedRunners));

describe('fused JS kernels in the executor', () => {
  it('interaction energy over 1024 particles: one runner, same objective and update as op by op', async () => {
    await selectBackend('wasm');
    const src = 'use std.wasserstein\nparticles theta: [1024, 2] = 0.25 * randn(seed: 3)\nminimize half_W = 0.5 * ring_energy(theta) over theta by gd(lr: 0.01) for 3 steps\n';
    const fr = front('t.gd', src, memoryHost({}));
    const g = compileSolve(fr.checked!, solveItems(fr.checked!)[0]!).step;
    // The [1024, 1024, 2] pair region qualifies; the small scalar and update kernels do not.
    expect(jsFusedRunners(g)).toHaveLength(1);
    const theta = tf.tensor(Float32Array.from(randnFill(3, 0, 2048), (x) => 0.25 * x), [1024, 2]);
    const feeds = new Map<string, tf.Tensor>([
      ['theta', theta],
      ['t', tf.scalar(0)],
    ]);
    const run = (fused: boolean) => {
      setFusedRunners(fused ? jsFusedRunners : null);
      const ex = new GraphExecutor(g);
      const outs = ex.run(feeds);
      const obj = outs.get(outputKey('objective', 'half_W'))!.dataSync()[0]!;
      const upd = Float32Array.from(outs.get(outputKey('update', 'theta'))!.dataSync());
      for (const t of outs.values()) t.dispose();
      ex.dispose();
      return { obj, upd };
    };
    const before = tf.memory().numTensors;
    const a = run(true);
    expect(tf.memory().numTensors).toBe(before); // the runner's tensors are freed like any other
    const b = run(false);
    expect(Math.abs(a.obj - b.obj)).toBeLessThanOrEqual(1e-4 * Math.abs(b.obj));
    let worst = 0;
    let scale = 0;
    const th = theta.dataSync();
    a.upd.forEach((x, i) => {
      worst = Math.max(worst, Math.abs(x - b.upd[i]!));
      scale = Math.max(scale, Math.abs(b.upd[i]! - th[i]!));
    });
    // The step moved the particles (scale > 0) and both paths moved them the same way.
    expect(scale).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(1e-3 * scale);
    for (const t of feeds.values()) t.dispose();
  }, 120_000);
});
