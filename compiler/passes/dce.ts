/** Dead-code elimination: drops equations no output depends on (inputs stay: the runtime binds them by name). */
import type { Graph } from '../ir/ir.js';

/** The graph without equations unreachable from its outputs; `g` itself when none is dead. */
export function dce(g: Graph): Graph {
  const live = new Set<number>(g.outputs.map((o) => o.var.id));
  const keep: boolean[] = new Array<boolean>(g.eqns.length).fill(false);
  for (let i = g.eqns.length - 1; i >= 0; i--) {
    const e = g.eqns[i]!;
    if (!live.has(e.out.id)) continue;
    keep[i] = true;
    for (const v of e.inputs) live.add(v.id);
  }
  if (keep.every(Boolean)) return g;
  return { inputs: g.inputs, eqns: g.eqns.filter((_, i) => keep[i]), outputs: g.outputs };
}
