/**
 * dsgd_bounds(L1: ..., L2: ..., ...): Flynn's duality-structure gradient descent with per-block Lipschitz
 * bounds. For every block i: Delta_i = <g_i, rho_i(g_i)> / (2 L_i) = |g_i|_{i,*}^2 / (2 L_i) (rho_i the
 * block's duality map from `layerwise(...)`); only the block with the largest Delta_i steps,
 * w_i <- w_i - scale rho_i(g_i) / L_i, which guarantees f(w+) <= f(w) - Delta_i when scale = 1 and L_i
 * bounds the block's smoothness along the step. The core `dsgd(lr)` is this rule with every L_i = 1/lr.
 */
import type { Var } from '../../../compiler/ir/ir.js';
import type { MethodEnv, MethodRule } from '../../../compiler/methods/registry.js';
import { InternalError } from '../../../compiler/diagnostics/internal-error.js';

/** How many per-block bound options (L1 ... L8) the method accepts: the blocks of one solve. */
export const MAX_BLOCKS = 8;

/** L_i: the block's option `L<i+1>`, else 1/lr (the checker has required one of them for every block: GD3024). */
function blockBound(env: MethodEnv, i: number): Var {
  const L = env.option(`L${i + 1}`);
  if (L) return L;
  const lr = env.option('lr');
  if (lr) return env.b.div(1, lr);
  throw new InternalError(`dsgd_bounds: block ${i + 1} has neither L${i + 1} nor lr (the checker reports GD3024)`);
}

export const dsgdBounds: MethodRule = {
  options: [
    ...Array.from({ length: MAX_BLOCKS }, (_, i) => ({ name: `L${i + 1}`, default: null })),
    { name: 'lr', default: null },
    { name: 'scale', default: 1 },
  ],
  lower(env, input) {
    return dsgdBounds.lowerAll!(env, [input])[0]!;
  },
  lowerAll(env, inputs) {
    const b = env.b;
    const scale = env.option('scale') ?? b.const(1);
    const dirs = inputs.map(({ g, direction }) => direction(g));
    const Ls = inputs.map((_, i) => blockBound(env, i));
    // The improvement bound of each block; argmax picks the first of equal bounds.
    const gains: Var[] = inputs.map(({ g }, i) => b.reshape(b.div(b.sum(b.mul(g, dirs[i]!)), b.mul(Ls[i]!, 2)), [1]));
    const pick = b.op('one_hot', [b.op('argmax', [b.concat(gains, 0)], { axis: 0 })], { depth: inputs.length });
    return inputs.map(({ target }, i) => {
      const chosen = b.reshape(b.slice(pick, [i], [i + 1]), []);
      const lr = b.div(scale, Ls[i]!);
      return { from: target.x, delta: b.mul(b.mul(lr, chosen), dirs[i]!), noise: null, lr };
    });
  },
};
