/** Deterministic input feeds for a step graph, shared by the tests that run examples' graphs through several executors. */
import type { Graph } from '../../compiler/ir/ir.js';
import { randFill, randnFill } from '../../compiler/ir/rng.js';
import { sizeOf } from '../../compiler/ir/ops.js';

/**
 * One Float64Array per graph input, by name: rng keys (1, 0), scalars 0, masks all ones, data (and,
 * with `normalParticles`, particles) standard normal; params and state positive and summing to about 1,
 * so simplex/positive-domain logs are defined.
 */
export function feedGraph(g: Graph, opts: { readonly normalParticles?: boolean } = {}): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  g.inputs.forEach((i, k) => {
    const n = sizeOf(i.var.shape);
    if (i.role === 'rng') out[i.name] = Float64Array.of(1, 0);
    else if (i.role === 'scalar') out[i.name] = Float64Array.of(0);
    else if (i.role === 'mask') out[i.name] = new Float64Array(n).fill(1);
    else if (i.role === 'data' || (opts.normalParticles && i.role === 'particles')) out[i.name] = randnFill(3, k, n);
    else out[i.name] = randFill(7, k, n).map((u) => (0.05 + u) / n);
  });
  return out;
}
