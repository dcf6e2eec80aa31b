/**
 * The `sphere` geometry of std.prune: spherical (normalized) gradient descent on the unit sphere of the
 * target's support. Riemannian gradient d = g_S − <g_S, x> x (g_S: g restricted to the entries of x that are
 * not exactly zero), then retraction x+ = (x − delta)/|x − delta|. Pruned entries are exactly zero (the
 * runtime applies masks after every step), so the mask is honored without the geometry seeing it and |x+| = 1
 * on the kept coordinates. An unpruned entry that is exactly zero stays zero too: start from a point with no
 * zero entries (documented in docs/std/prune.md).
 */
import type { GeometryRule } from '../../../compiler/geometry/registry.js';

export const sphere: GeometryRule = {
  lower(env, _ann, target) {
    const b = env.b;
    const x = target.x;
    const support = b.op('ne', [x, b.const(0)]);
    return {
      direction(g) {
        const gs = b.where(support, g, 0);
        // x is unit on its support up to rounding: divide by |x|² so the tangent projection is exact anyway.
        const radial = b.div(b.sum(b.mul(gs, x)), b.sum(b.mul(x, x)));
        return b.sub(gs, b.mul(radial, x));
      },
      apply(from, delta, noise) {
        let y = b.sub(from, delta);
        if (noise) y = b.add(y, b.where(support, noise, 0));
        return b.div(y, b.unary('sqrt', b.sum(b.mul(y, y))));
      },
      projects: false,
    };
  },
};
