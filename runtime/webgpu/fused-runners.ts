/** Chooses what of a graph runs as generated WGSL on the webgpu backend: every compilable fused kernel, and every random op (Philox on the device). */
import * as tf from '@tensorflow/tfjs-core';
import type { Graph } from '../../compiler/ir/ir.js';
import { listAttr, numAttr, sizeOf } from '../../compiler/ir/ops.js';
import { kernelsOf } from '../../compiler/passes/kernels.js';
import { compileKernelWgsl } from '../../compiler/backends/wgsl/kernel-wgsl.js';
import type { FusedRunner } from '../executor.js';
import { RunnerPlacement } from '../fused/placement.js';
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
 * any size. Placement is runtime/fused/placement.ts's, as for the CPU runners.
 */
export function webgpuFusedRunners(g: Graph, opts: WebgpuRunnerOptions = { fuse: true, deviceRandom: true }): FusedRunner[] {
  const shapeOf = new Map<number, readonly number[]>([...g.inputs.map((i) => [i.var.id, i.var.shape] as const), ...g.eqns.map((e) => [e.out.id, e.out.shape] as const)]);
  const placement = new RunnerPlacement(g);
  const runners: FusedRunner[] = [];
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
        placement.take([i], i);
      } else if (e.op === 'inv' || e.op === 'solve' || e.op === 'logdet') {
        const op = e.op;
        const [a, b] = e.inputs.map((v) => v.id);
        runners.push({ members: new Set([i]), at: i, run: (read) => new Map([[e.out.id, linalgOnDevice(op, read(a!), b === undefined ? null : read(b), e.out.shape)]]) });
        placement.take([i], i);
      }
      continue;
    }
    if (!opts.fuse) continue;
    const members = new Set(k.eqns);
    const at = placement.at(members, k.reads, k.writes);
    if (at === null) continue;
    const w = compileKernelWgsl(g, k, maxInputs);
    if (!w) continue;
    placement.take(members, at);
    const progs = w.programs.map((p) => ({ p, prog: fusedProgram(p) }));
    runners.push({
      members,
      at,
      run: (read) => new Map(progs.map(({ p, prog }) => [p.write, runFused(prog, p, p.inputs.map((id) => full(id, read(id))), w.constants)] as const)),
    });
  }
  return runners;
}
