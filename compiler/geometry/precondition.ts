/**
 * Preconditioned descent: x+ = x - lr * P g with P a matrix or a diagonal, or x+ = x - lr * grad hstar(g)
 * with `precondition(dual: hstar)` (Bonet et al.), grad hstar derived by reverse mode.
 */
import type * as A from '../ast/ast.js';
import { InternalError } from '../diagnostics/internal-error.js';
import type { GraphBuilder } from '../ir/builder.js';
import type { Var } from '../ir/ir.js';
import { broadcastsTo, sameShape, sizeOf } from '../ir/ops.js';
import { primalApply } from './euclidean.js';
import { geometryArg, type GeometryEnv, type GeometryRule } from './registry.js';

/**
 * P g for a preconditioner P. A P whose shape broadcasts to g's is a diagonal (elementwise) preconditioner;
 * otherwise P must be a square [k, k] matrix with k the last dim of g, applied to every last-axis row
 * (for a vector, P g; for particles [m, d], each particle's row — `perRow` makes a square P a matrix
 * even when it happens to broadcast, as for m = d particles), or an [n, n] matrix on the n flattened
 * entries of a higher-rank target.
 */
export function applyPreconditioner(b: GraphBuilder, P: Var, g: Var, perRow = false): Var {
  const k = g.shape[g.shape.length - 1]!;
  const square = P.shape.length === 2 && P.shape[0] === k && P.shape[1] === k;
  // Particles [m, d] with m = d would make a [d, d] matrix look diagonal: for them a square P is a matrix.
  if (!(perRow && square) && broadcastsTo(P.shape, g.shape)) return b.mul(P, g);
  const n = sizeOf(g.shape);
  if (!square && P.shape.length === 2 && P.shape[0] === n && P.shape[1] === n) {
    // A matrix on the flattened entries: P vec(g).
    return b.reshape(b.matmul(P, b.reshape(g, [n, 1])), g.shape);
  }
  if (!square) {
    throw new InternalError(
      `preconditioner [${P.shape.join(',')}] for a target of shape [${g.shape.join(',')}] (the checker's job)`,
    );
  }
  const rows = b.reshape(g, [n / k, k]);
  // (P g_i) for every row i is rows @ P'.
  return b.reshape(b.matmul(rows, P, { transposeB: true }), g.shape);
}

/**
 * grad hstar(g). A scalar hstar (LANGUAGE.md: x+ = x - lr grad hstar(g)) is differentiated by reverse mode
 * with g as a fresh leaf; an hstar that returns a tensor of g's shape is taken to be the map grad h*
 * itself (the checker's reading), so both spellings work.
 */
function dualGradient(env: GeometryEnv, hstar: A.Expr, g: Var): Var {
  const b = env.b;
  const leaf = b.op('stop_gradient', [g]);
  const h = env.call(hstar, leaf);
  if (h.shape.length > 0 && sameShape(h.shape, g.shape)) return h;
  return env.gradient(b.sum(h), leaf);
}

export const precondition: GeometryRule = {
  lower(env, ann, target) {
    const b = env.b;
    const hstar = geometryArg(ann, 'dual');
    const pExpr = hstar ? null : geometryArg(ann, 'P', 0);
    if (!hstar && !pExpr) throw new InternalError('precondition(...) without P or dual: (the checker reports this)');
    // P is lowered once, where the geometry is compiled, so a P that depends on params uses the current point.
    const P = pExpr ? env.expr(pExpr) : null;
    return {
      direction: (g) => (P ? applyPreconditioner(b, P, g, target.role === 'particles') : dualGradient(env, hstar!, g)),
      apply: (from, delta, noise) => primalApply(b, from, delta, noise),
      projects: true,
    };
  },
};
