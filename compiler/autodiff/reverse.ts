/** Reverse-mode autodiff as an IR→IR transformation: the backward pass is appended to the same graph. */
import { InternalError } from '../diagnostics/internal-error.js';
import { extendGraph, type GraphBuilder } from '../ir/builder.js';
import type { Graph, Var } from '../ir/ir.js';
import { sameShape } from '../ir/ops.js';
import { vjpRule } from './vjp-rules.js';

/**
 * Appends to `b` the equations computing d(of)/d(w) for each w in `wrt`, from the equations `b`
 * holds now, and returns the gradient vars (same shapes as `wrt`). `of` must be a scalar.
 * Only equations on a path from some w to `of` get a backward rule; cotangents are summed where a
 * var fans out; a w that `of` does not depend on gets zeros.
 */
export function gradInto(b: GraphBuilder, of: Var, wrt: readonly Var[]): Var[] {
  if (of.shape.length !== 0) throw new InternalError(`grad of a non-scalar [${of.shape.join(',')}]`);
  const eqns = [...b.equations()];
  // Forward: vars that depend on some w.
  const depends = new Set<number>(wrt.map((w) => w.id));
  for (const e of eqns) if (e.inputs.some((v) => depends.has(v.id))) depends.add(e.out.id);
  // Backward: vars that `of` depends on.
  const ancestors = new Set<number>([of.id]);
  for (let i = eqns.length - 1; i >= 0; i--) {
    const e = eqns[i]!;
    if (ancestors.has(e.out.id)) for (const v of e.inputs) ancestors.add(v.id);
  }
  const relevant = (v: Var): boolean => depends.has(v.id) && ancestors.has(v.id);

  const cts = new Map<number, Var>();
  const accumulate = (v: Var, ct: Var): void => {
    if (!sameShape(v.shape, ct.shape)) {
      throw new InternalError(`cotangent shape [${ct.shape.join(',')}] for var of shape [${v.shape.join(',')}]`);
    }
    const prev = cts.get(v.id);
    cts.set(v.id, prev ? b.add(prev, ct) : ct);
  };
  const prevLoc = b.at(undefined);
  if (relevant(of)) cts.set(of.id, b.const(1));
  for (let i = eqns.length - 1; i >= 0; i--) {
    const eqn = eqns[i]!;
    const ct = cts.get(eqn.out.id);
    if (!ct || !relevant(eqn.out)) continue;
    const needs = eqn.inputs.map(relevant);
    if (!needs.some(Boolean)) continue;
    b.at(eqn.loc);
    const inCts = vjpRule(eqn.op)({ b, eqn, ct, needs });
    eqn.inputs.forEach((v, k) => {
      const c = inCts[k];
      if (needs[k] && c) accumulate(v, c);
    });
  }
  b.at(prevLoc);
  return wrt.map((w) => cts.get(w.id) ?? b.zeros(w.shape));
}

/** The graph with the backward pass appended, and the gradient vars (outputs are left unchanged). */
export function grad(g: Graph, of: Var, wrt: readonly Var[]): { graph: Graph; grads: Var[] } {
  const b = extendGraph(g);
  const grads = gradInto(b, of, wrt);
  return { graph: b.build(), grads };
}
