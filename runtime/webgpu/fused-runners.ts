/** Chooses what of a graph runs as generated WGSL on the webgpu backend: every compilable fused kernel, and every random op (Philox on the device). */
import * as tf from '@tensorflow/tfjs-core';
import type { Graph } from '../../compiler/ir/ir.js';
import { listAttr, numAttr, sizeOf } from '../../compiler/ir/ops.js';
import { kernelsOf } from '../../compiler/passes/kernels.js';
import { compileKernelWgsl } from '../../compiler/backends/wgsl/kernel-wgsl.js';
import type { FusedRunner } from '../executor.js';
import { fusedProgram, linalgOnDevice, randomOnDevice, runFused } from './programs.js';

export interface WebgpuRunnerOptions {
  /** Run fused kernels as generated WGSL (false: op by op through tfjs, the differential tests' unfused path). */
  readonly fuse: boolean;
  /** Draw random ops with the WGSL Philox (false: on the host, uploaded, as on the other backends). */
  readonly deviceRandom: boolean;
}

/**
 * The runners for a graph on webgpu. Small linear algebra (inv, solve, logdet) always runs as WGSL:
 * the host routines of the other backends would need a synchronous read-back. Unlike the CPU's JS kernels, every fused kernel qualifies: on a
 * GPU one dispatch that keeps intermediates in registers beats one dispatch and one buffer per op at
 * any size. Placement follows runtime/fused/js-kernels.ts: as early as the reads allow, skipping a
 * kernel whose reads come from a runner placed later or whose writes are read before it runs.
 */
export function webgpuFusedRunners(g: Graph, opts: WebgpuRunnerOptions = { fuse: true, deviceRandom: true }): FusedRunner[] {
  const index = new Map<number, number>();
  g.eqns.forEach((e, i) => index.set(e.out.id, i));
  const shapeOf = new Map<number, readonly number[]>([...g.inputs.map((i) => [i.var.id, i.var.shape] as const), ...g.eqns.map((e) => [e.out.id, e.out.shape] as const)]);
  const consumers = new Map<number, number[]>();
  g.eqns.forEach((e, i) => e.inputs.forEach((v) => consumers.set(v.id, [...(consumers.get(v.id) ?? []), i])));
  const constIds = new Set(g.eqns.filter((e) => e.op === 'const').map((e) => e.out.id));
  const runners: FusedRunner[] = [];
  const taken = new Set<number>();
  const runnerAt = new Map<number, number>();
  // A read may be an elided broadcast (the executor passes the un-broadcast tensor): restore the declared shape.
  const full = (id: number, t: tf.Tensor) => {
    const s = shapeOf.get(id)!;
    return t.size === sizeOf(s) ? t : tf.broadcastTo(t, [...s]);
  };
  // One storage buffer of the device's per-stage limit is the output.
  const device = (tf.backend() as unknown as { device?: { limits?: { maxStorageBuffersPerShaderStage?: number } } }).device;
  const maxInputs = (device?.limits?.maxStorageBuffersPerShaderStage ?? 8) - 1;
  for (const k of kernelsOf(g)) {
    if (!k.fused) {
      const i = k.eqns[0]!;
      const e = g.eqns[i]!;
      if ((e.op === 'rand' || e.op === 'randn') && opts.deviceRandom) {
        const kind = e.op;
        const stream = numAttr(e.attrs, 'stream');
        const shape = listAttr(e.attrs, 'shape');
        const key = e.inputs[0]!.id;
        runners.push({ members: new Set([i]), at: i, run: (read) => new Map([[e.out.id, randomOnDevice(kind, read(key), stream, shape)]]) });
        taken.add(i);
        runnerAt.set(i, i);
      } else if (e.op === 'inv' || e.op === 'solve' || e.op === 'logdet') {
        const op = e.op;
        const [a, b] = e.inputs.map((v) => v.id);
        runners.push({ members: new Set([i]), at: i, run: (read) => new Map([[e.out.id, linalgOnDevice(op, read(a!), b === undefined ? null : read(b), e.out.shape)]]) });
        taken.add(i);
        runnerAt.set(i, i);
      }
      continue;
    }
    if (!opts.fuse) continue;
    const members = new Set(k.eqns);
    const producers = k.reads.map((id) => (constIds.has(id) ? -1 : (index.get(id) ?? -1)));
    const at = Math.max(-1, ...producers) + 1;
    const readsReady = producers.every((p) => p < 0 || !taken.has(p) || (runnerAt.get(p) ?? Infinity) < at);
    const writesLate = k.writes.every((id) => (consumers.get(id) ?? []).every((c) => members.has(c) || c >= at));
    if (!readsReady || !writesLate) continue;
    const w = compileKernelWgsl(g, k, maxInputs);
    if (!w) continue;
    for (const m of members) {
      taken.add(m);
      runnerAt.set(m, at);
    }
    const progs = w.programs.map((p) => ({ p, prog: fusedProgram(p) }));
    runners.push({
      members,
      at,
      run: (read) => new Map(progs.map(({ p, prog }) => [p.write, runFused(prog, p, p.inputs.map((id) => full(id, read(id))), w.constants)] as const)),
    });
  }
  return runners;
}
