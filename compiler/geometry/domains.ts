/**
 * Projections onto a param's domain, applied after euclidean / precondition / steepest steps (§6).
 * Every ball and box is taken over the whole tensor (all entries form one vector); the simplex is
 * per last-axis row, so a [n, k] simplex param holds n distributions.
 */
import type * as A from '../ast/ast.js';
import type { Domain } from '../check/checked.js';
import { InternalError, unreachable } from '../diagnostics/internal-error.js';
import type { GraphBuilder } from '../ir/builder.js';
import type { Var } from '../ir/ir.js';
import { sizeOf } from '../ir/ops.js';

/**
 * The floor of the `positive` domain: max(x, POSITIVE_FLOOR). Small enough never to matter for values a
 * float32 program cares about, large enough to be a normal float32 (>= 1.2e-38) so log(x) and 1/x stay finite.
 */
export const POSITIVE_FLOOR = 1e-30;

/** Guards divisions by a norm: a zero vector stays zero instead of turning into NaN. */
export const NORM_FLOOR = 1e-30;

/** The Euclidean projection of `x` onto `domain`; `expr` lowers the domain's argument expressions. */
export function projectDomain(b: GraphBuilder, x: Var, domain: Domain, expr: (e: A.Expr) => Var): Var {
  switch (domain.kind) {
    case 'reals':
      return x;
    case 'positive':
      return b.maximum(x, POSITIVE_FLOOR);
    case 'simplex':
      return b.op('proj_simplex', [x]);
    case 'box':
      return b.minimum(b.maximum(x, expr(domain.lo)), expr(domain.hi));
    case 'ball': {
      const center = domain.center ? expr(domain.center) : null;
      const v = center ? b.sub(x, center) : x;
      const p = projectBall(b, v, domain.p, expr(domain.radius));
      return center ? b.add(p, center) : p;
    }
    default:
      return unreachable(domain, 'domain');
  }
}

/** Projection of `v` onto the centered l_p ball of radius r, p in {1, 2, Infinity}. */
export function projectBall(b: GraphBuilder, v: Var, p: number, r: Var): Var {
  if (p === Infinity) return b.minimum(b.maximum(v, b.neg(r)), r);
  if (p === 2) {
    const norm = b.unary('sqrt', b.sum(b.unary('square', v)));
    // min(1, r/|v|): inside the ball the factor is 1 and the point stays where it is.
    return b.mul(v, b.minimum(1, b.div(r, b.maximum(norm, NORM_FLOOR))));
  }
  if (p === 1) return projectL1Ball(b, v, r);
  throw new InternalError(`ball(${p}, ...) has no projection (the checker allows p in 1, 2, inf)`);
}

/**
 * Projection onto {|v|_1 <= r}: inside, v itself; outside, sign(v) * r * proj_simplex(|v| / r)
 * (Duchi et al. 2008), which reuses the sort-based simplex projection over the flattened tensor.
 */
function projectL1Ball(b: GraphBuilder, v: Var, r: Var): Var {
  const flat = b.reshape(v, [sizeOf(v.shape)]);
  const a = b.unary('abs', flat);
  const onSimplex = b.mul(b.op('proj_simplex', [b.div(a, r)]), r);
  const outside = b.mul(b.unary('sign', flat), onSimplex);
  const inside = b.op('le', [b.sum(a), r]);
  return b.reshape(b.where(inside, flat, outside), v.shape);
}
