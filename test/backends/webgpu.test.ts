/**
 * The webgpu backend on Dawn (SwiftShader where there is no GPU): generated WGSL for fused kernels
 * and on-device Philox against the host, the unfused tfjs path and the float64 interpreter.
 * In CI (CI=true) a missing Dawn or SwiftShader fails this file; locally it skips with the reason.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Graph } from '../../compiler/ir/ir.js';
import { interpret } from '../../compiler/ir/interpret.js';
import { randFill, randnFill } from '../../compiler/ir/rng.js';
import { sizeOf } from '../../compiler/ir/ops.js';
import { compileSolve, front, solveItems } from '../../compiler/pipeline.js';
import { memoryHost } from '../../compiler/host.js';
import { kernelsOf } from '../../compiler/passes/kernels.js';
import { compileKernelWgsl } from '../../compiler/backends/wgsl/kernel-wgsl.js';
import { selectBackend } from '../../runtime/backend.js';
import { GraphExecutor, outputKey, setFusedRunners } from '../../runtime/executor.js';
import { jsFusedRunners } from '../../runtime/fused/js-kernels.js';
import { webgpuFusedRunners } from '../../runtime/webgpu/fused-runners.js';
import { fusedProgram, gdCompiledPrograms, gdDispatchCounts, randomOnDevice } from '../../runtime/webgpu/programs.js';
import { run } from '../../api.js';
import { feedGraph } from '../helpers/feeds.js';
import '../../runtime/std/index.js';

const inCI = process.env['CI'] === 'true' || process.env['CI'] === '1';
const unavailable = await selectBackend('webgpu').then(
  () => null,
  (e: unknown) => String((e as { diagnostic?: { message?: string } }).diagnostic?.message ?? e),
);
if (unavailable && !inCI) console.log(`webgpu tests skipped: ${unavailable}`);

afterAll(() => setFusedRunners(null === null ? (g: Graph) => (tf.getBackend() === 'webgpu' ? webgpuFusedRunners(g) : jsFusedRunners(g)) : null));

it('Dawn with a WebGPU adapter is available (required in CI)', () => {
  if (inCI) expect(unavailable, 'CI installs chromium (SwiftShader) and libvulkan1: Dawn must find an adapter').toBeNull();
});

/** float32 unit roundoff: the error of one rounded operation, relative. */
const U = 2 ** -24;

const gpu = describe.skipIf(unavailable !== null);

gpu('on-device Philox-4x32-10', () => {
  it('draws the host generator bit for bit (uniforms) and to float32 Box–Muller accuracy (normals)', async () => {
    await selectBackend('webgpu');
    const n = 4099; // not a multiple of 4: the last block is partial
    for (const [seed, step, stream] of [
      [12345, 7, 3],
      [0, 0, 0],
      [-5, 1000, 41],
    ] as const) {
      const key = tf.tensor([seed, step], [2]);
      const u = await randomOnDevice('rand', key, stream, [n]).data();
      const hu = randFill(seed, stream, n, step);
      for (let i = 0; i < n; i++) expect(u[i]).toBe(Math.fround(hu[i]!));
      const z = await randomOnDevice('randn', key, stream, [n]).data();
      const hz = randnFill(seed, stream, n, step);
      let worst = 0;
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(z[i]! - hz[i]!) / Math.max(1, Math.abs(hz[i]!)));
      // r·cos(2πv) in f32: sqrt, log, cos/sin and the products each contribute a few ulps (relative to
      // max(1, |z|): near a zero of cos the error is absolute). 16 ulps (under 1e-6) bounds that sum.
      expect(worst).toBeLessThanOrEqual(16 * U);
      console.log(`philox normals: worst error ${worst.toExponential(2)} (${(worst / U).toFixed(1)} ulps)`);
    }
  }, 30_000);
});
