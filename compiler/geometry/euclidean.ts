/** The euclidean geometry (the default for params): direction g, step x - lr*u, then the domain projection. */
import type { GraphBuilder } from '../ir/builder.js';
import type { Var } from '../ir/ir.js';
import type { GeometryRule, TargetGeometry } from './registry.js';

/** x+ = from - delta (+ noise); shared by every geometry whose step happens in the primal space. */
export function primalApply(b: GraphBuilder, from: Var, delta: Var, noise: Var | null): Var {
  const moved = b.sub(from, delta);
  return noise ? b.add(moved, noise) : moved;
}

/** The euclidean geometry for one target; other geometries reuse it as their primal step. */
export function euclideanGeometry(b: GraphBuilder): TargetGeometry {
  return {
    direction: (g) => g,
    apply: (from, delta, noise) => primalApply(b, from, delta, noise),
    projects: true,
  };
}

export const euclidean: GeometryRule = {
  lower: (env) => euclideanGeometry(env.b),
};
