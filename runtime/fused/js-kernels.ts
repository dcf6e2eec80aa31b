/** Chooses which fused kernels of a graph the executor runs as one generated JS kernel (compiler/backends/kernel-js.ts) instead of op by op. */
import * as tf from '@tensorflow/tfjs-core';
import type { Graph } from '../../compiler/ir/ir.js';
import { sizeOf } from '../../compiler/ir/ops.js';
import { kernelsOf } from '../../compiler/passes/kernels.js';
import { compileKernelJs } from '../../compiler/backends/kernel-js.js';
import type { FusedRunner } from '../executor.js';
import { RunnerPlacement } from './placement.js';

/**
 * A JS loop does not beat tfjs-wasm on a bandwidth-bound elementwise chain (see docs/benchmarks.md), but
 * it wins when fusion removes a large intermediate: a kernel qualifies when its iteration space holds
 * at least SPACE_OVER_TRAFFIC times the elements it reads and writes (a pairwise region: m² points for
 * a few m-sized values) and at least MIN_SPACE points (below that op-by-op is already fast).
 */
export const SPACE_OVER_TRAFFIC = 8;
export const MIN_SPACE = 1 << 20;

export interface JsFusedOptions {
  readonly spaceOverTraffic: number;
  readonly minSpace: number;
}

/** The runners for a graph's qualifying kernels, placed so that every read exists and no reader runs early. */
export function jsFusedRunners(g: Graph, opts: JsFusedOptions = { spaceOverTraffic: SPACE_OVER_TRAFFIC, minSpace: MIN_SPACE }): FusedRunner[] {
  const shapeOf = new Map<number, readonly number[]>([...g.inputs.map((i) => [i.var.id, i.var.shape] as const), ...g.eqns.map((e) => [e.out.id, e.out.shape] as const)]);
  const placement = new RunnerPlacement(g);
  const runners: FusedRunner[] = [];
  for (const k of kernelsOf(g)) {
    if (!k.fused) continue;
    const traffic = [...k.reads, ...k.writes].reduce((a, id) => a + sizeOf(shapeOf.get(id)!), 0);
    const space = sizeOf(k.space);
    if (space < opts.minSpace || space < opts.spaceOverTraffic * traffic) continue;
    const members = new Set(k.eqns);
    const at = placement.at(members, k.reads, k.writes);
    if (at === null) continue;
    const js = compileKernelJs(g, k);
    if (!js) continue;
    placement.take(members, at);
    runners.push({
      members,
      at,
      run: (read) => {
        const outs = js.run(js.reads.map((id) => read(id).dataSync() as Float32Array));
        return new Map(js.writes.map((id, w) => [id, tf.tensor(outs[w]!, [...js.writeShapes[w]!], 'float32')] as const));
      },
    });
  }
  return runners;
}
