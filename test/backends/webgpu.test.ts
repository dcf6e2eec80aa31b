/**
 * The webgpu backend on Dawn (SwiftShader where there is no GPU): generated WGSL for fused kernels
 * and on-device Philox against the host, the unfused tfjs path and the float64 interpreter.
 * In CI (CI=true) a missing Dawn or SwiftShader fails this file; locally it skips with the reason.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { Graph } from '../../compiler/ir/ir.js';
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
import { probeWebgpu, stepOnce } from '../helpers/webgpu.js';
import '../../runtime/std/index.js';

const unavailable = await probeWebgpu();
// (setFusedRunners changes below stay in this file's worker: vitest isolates test files.)

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

const host = memoryHost({});

function stepGraph(src: string): Graph {
  const fr = front('t.gd', src, host);
  expect(fr.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  return compileSolve(fr.checked!, solveItems(fr.checked!)[0]!).step;
}

/** Every tfjs-backend-webgpu program dispatched (generated or tfjs's own), counted around `f`. */
function countPrograms(f: () => void): number {
  const b = tf.backend() as unknown as { runWebGPUProgram: (...a: unknown[]) => unknown };
  const original = b.runWebGPUProgram;
  let n = 0;
  b.runWebGPUProgram = function (this: unknown, ...a: unknown[]) {
    n++;
    return original.apply(this, a);
  };
  try {
    f();
  } finally {
    b.runWebGPUProgram = original;
  }
  return n;
}

gpu('fused WGSL kernels', () => {
  const src = (lr: number) => `data a: [16] = randn(seed: 1)\nparam w: [16] = zeros\nminimize loss = 0.5 * sum((w - a)^2) + sum(exp(0.1 * w)) over w by gd(lr: ${lr}) for 3 steps\n`;

  it('learning rates are uniforms: same shader text and key for two lr values, no new pipeline, closed-form updates', async () => {
    await selectBackend('webgpu');
    setFusedRunners((g) => webgpuFusedRunners(g));
    // (0.2 and 0.3: an lr equal to another constant of the program would share its node, a different graph.)
    const [g1, g2] = [stepGraph(src(0.2)), stepGraph(src(0.3))];
    const k1 = kernelsOf(g1);
    const k2 = kernelsOf(g2);
    expect(k1.length).toBe(k2.length);
    k1.forEach((k, n) => {
      const a = compileKernelWgsl(g1, k);
      const b = compileKernelWgsl(g2, k2[n]!);
      expect(a && b).toBeTruthy();
      a!.programs.forEach((p, i) => {
        expect(p.code).toBe(b!.programs[i]!.code);
        expect(fusedProgram(p).key).toBe(fusedProgram(b!.programs[i]!).key);
        expect(p.code).not.toMatch(/0\.[123]\b/);
      });
      // ... while the constants they send differ.
      expect([...a!.constants.values()]).toContain(0.2);
      expect([...b!.constants.values()]).toContain(0.3);
    });
    const a = Float64Array.from(randnFill(1, 0, 16));
    const feeds = (g: Graph) => Object.fromEntries(g.inputs.map((i) => [i.name, i.name === 'a' ? a : new Float64Array(sizeOf(i.var.shape))]));
    const r1 = await stepOnce(g1, feeds(g1));
    const compiled = gdCompiledPrograms();
    expect(compiled).toBeGreaterThan(0);
    const r2 = await stepOnce(g2, feeds(g2));
    expect(gdCompiledPrograms()).toBe(compiled);
    // From w = 0: grad = (w - a) + 0.1 exp(0.1 w) = 0.1 - a, so w' = lr (a - 0.1).
    for (const [lr, r] of [
      [0.2, r1],
      [0.3, r2],
    ] as const) {
      const w = r[outputKey('update', 'w')]!;
      for (let i = 0; i < 16; i++) expect(Math.abs(w[i]! - lr * (a[i]! - 0.1))).toBeLessThanOrEqual(4 * U * Math.max(1, Math.abs(lr * a[i]!)));
    }
  }, 60_000);

  it('sin and cos in generated kernels are accurate to a few ulps (the Vulkan builtins may err by 2^-11)', async () => {
    await selectBackend('webgpu');
    setFusedRunners((g) => webgpuFusedRunners(g));
    const g = stepGraph('param x: [4096] = zeros\nminimize f = sum(sin(x) + cos(x)) over x by gd(lr: 1) for 1 steps\n');
    expect(kernelsOf(g).every((k) => k.fused)).toBe(true);
    const x = Float64Array.from({ length: 4096 }, (_, i) => Math.fround((i / 4096 - 0.5) * 200));
    const r = await stepOnce(g, Object.fromEntries(g.inputs.map((i) => [i.name, i.name === 'x' ? x : new Float64Array(sizeOf(i.var.shape))])));
    const w = r[outputKey('update', 'x')]!;
    // x' = x - (cos x - sin x): the reduction by 2π and the polynomials err by a few ulps of 1; x's own rounding by u·|x|.
    for (let i = 0; i < 4096; i++) expect(Math.abs(w[i]! - (x[i]! - (Math.cos(x[i]!) - Math.sin(x[i]!))))).toBeLessThanOrEqual(8 * U * Math.max(1, Math.abs(x[i]!)));
  }, 60_000);

  it('reads int32 and bool tensors a kernel is fed as numbers (the shader declares f32 buffers)', async () => {
    await selectBackend('webgpu');
    setFusedRunners((g) => webgpuFusedRunners(g));
    const g = stepGraph('data m: [8] = [1, 0, 1, 1, 0, 0, 1, 0]\nparam x: [8] = zeros\nminimize f = 0.5 * sum(m * x^2) - sum(m * x) over x by gd(lr: 0.5) for 1 steps\n');
    const x = [1, 2, 3, 4, 5, 6, 7, 8];
    const m = [1, 0, 1, 1, 0, 0, 1, 0];
    for (const dtype of ['int32', 'bool'] as const) {
      const feeds = new Map(g.inputs.map((i) => [i.name, i.name === 'm' ? tf.tensor(m, [8], dtype) : tf.tensor(i.name === 'x' ? x : new Array(sizeOf(i.var.shape)).fill(0), [...i.var.shape])] as const));
      const ex = new GraphExecutor(g);
      const outs = ex.run(feeds);
      const w = await outs.get(outputKey('update', 'x'))!.data();
      // grad = m (x - 1): x' = x - 0.5 m (x - 1)
      expect(Array.from(w)).toEqual(x.map((v, i) => v - 0.5 * m[i]! * (v - 1)));
      tf.dispose([...outs.values(), ...feeds.values()]);
      ex.dispose();
    }
  }, 60_000);

  it('a pairwise region with its reduction is generated whole: no program writes an [m, m] value', () => {
    const m = 512;
    const g = stepGraph(`use std.wasserstein\nparticles theta: [${m}, 2] = 0.25 * randn(seed: 3)\nminimize half_W = 0.5 * ring_energy(theta) over theta by gd(lr: 0.01) for 3 steps\n`);
    const pairwise = kernelsOf(g).filter((k) => k.fused && k.space.length >= 2 && k.space[0] === m && k.space[1] === m);
    expect(pairwise.length).toBeGreaterThan(0);
    for (const k of pairwise) {
      const w = compileKernelWgsl(g, k);
      expect(w).not.toBeNull();
      for (const p of w!.programs) expect(sizeOf(p.shape)).toBeLessThan(m * m);
      // The reductions over the pairs run in the program (a loop or a workgroup tree), not in memory.
      expect(w!.programs.some((p) => /for \(var/.test(p.code))).toBe(true);
    }
  });

  it('dispatches one program per value a fused kernel writes, and nothing else, per step', async () => {
    await selectBackend('webgpu');
    setFusedRunners((g) => webgpuFusedRunners(g));
    for (const text of [src(0.1), 'param x: [32] = zeros\nminimize f = 0.5 * sum(x^2) over x by langevin(lr: 0.05, temperature: 0.5) for 4 steps\n']) {
      const g = stepGraph(text);
      const ks = kernelsOf(g);
      const feeds = Object.fromEntries(g.inputs.map((i) => [i.name, i.role === 'rng' ? Float64Array.of(1, 0) : new Float64Array(sizeOf(i.var.shape)).fill(0.5)]));
      const f = new Map(g.inputs.map((i) => [i.name, { shape: i.var.shape, data: Float32Array.from(feeds[i.name]!) }] as const));
      const ex = new GraphExecutor(g);
      tf.dispose([...ex.run(f).values()]); // first call uploads the constants
      const before = gdDispatchCounts();
      const n = countPrograms(() => tf.dispose([...ex.run(f).values()]));
      ex.dispose();
      const after = gdDispatchCounts();
      const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
      // Every kernel of these programs is fused except the Langevin noise (randn: one Philox program).
      expect(ks.every((k) => k.fused || g.eqns[k.eqns[0]!]!.op === 'randn')).toBe(true);
      const expected = ks.reduce((s, k) => s + (k.fused ? k.writes.length : 1), 0);
      expect(n).toBe(expected);
      // Where every fused kernel writes one value (the Langevin step), that is one program per kernel.
      if (ks.every((k) => !k.fused || k.writes.length === 1)) expect(n).toBe(ks.length);
      expect(delta('fused')).toBe(ks.filter((k) => k.fused).reduce((s, k) => s + k.writes.length, 0));
      expect(delta('philox_randn')).toBe(ks.filter((k) => !k.fused).length);
    }
  }, 60_000);

  it('Langevin noise drawn on the device: the webgpu run equals the cpu run with the same seed', async () => {
    const text = 'param x: [64] = zeros\nminimize f = 0.5 * sum(x^2) over x by langevin(lr: 0.05, temperature: 0.5) for 4 steps\n';
    setFusedRunners((g) => (tf.getBackend() === 'webgpu' ? webgpuFusedRunners(g) : jsFusedRunners(g)));
    const before = gdDispatchCounts().get('philox_randn') ?? 0;
    const w = await run('l.gd', { text, backend: 'webgpu', seed: 11, host });
    expect(w.status).toBe('ok');
    expect((gdDispatchCounts().get('philox_randn') ?? 0) - before).toBe(4);
    const c = await run('l.gd', { text, backend: 'cpu', seed: 11, host });
    const xw = w.params['x']!.data;
    const xc = c.params['x']!.data;
    let moved = 0;
    for (let i = 0; i < 64; i++) {
      moved = Math.max(moved, Math.abs(xc[i]!));
      // Each step adds sqrt(2·0.05·0.5)·z with z within 16 ulps·max(1,|z|) of the host's, plus a few rounded ops.
      expect(Math.abs(xw[i]! - xc[i]!)).toBeLessThanOrEqual(4 * (16 + 4) * U * Math.max(1, Math.abs(xc[i]!)));
    }
    expect(moved).toBeGreaterThan(0.1); // the noise did move the chain
    await selectBackend('webgpu');
  }, 60_000);

  it('unfused (gd run --no-fuse) still runs small linear algebra as WGSL: the host routines would need a synchronous read-back', async () => {
    // Q = inv(2I) = I/2, so each step is x <- x - 0.5 * Q x = 0.75 x: after 3 steps 0.421875 (exact in float32).
    const text = 'data S: [3, 3] = 2 * eye(3)\ndata Q: [3, 3] = inv(S)\nparam x: [3] = ones\nminimize f = 0.5 * sum((Q @ x) * x) over x by gd(lr: 0.5) for 3 steps\n';
    const before = gdDispatchCounts().get('linalg3x3') ?? 0;
    const r = await run('q.gd', { text, backend: 'webgpu', fused: false, host });
    expect(r.diagnostics.map((d) => d.message)).toEqual([]);
    expect(r.status).toBe('ok');
    expect(Array.from(r.params['x']!.data)).toEqual([0.421875, 0.421875, 0.421875]);
    expect(gdDispatchCounts().get('linalg3x3') ?? 0).toBeGreaterThan(before);
  }, 60_000);
});

