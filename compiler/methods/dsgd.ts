/**
 * Duality-structure gradient descent (Flynn), the core form: with every block's local Lipschitz bound
 * L_i = 1/lr, the improvement bound of block i is Delta_i = <g_i, rho_i(g_i)> / (2 L_i) = lr |g_i|_*^2 / 2
 * (rho_i the block's duality map from the geometry, usually `layerwise(...)`), and each step updates only
 * the block with the largest Delta_i (ties to the first): w_i <- w_i - lr rho_i(g_i). std.dsgd may register
 * a richer rule with per-block L_i expressions under the same name.
 */
import type { Var } from '../ir/ir.js';
import { gd } from './gd.js';
import { required, type MethodRule } from './registry.js';

export const dsgd: MethodRule = {
  // A single target is a single block: plain descent along its duality map.
  lower: gd.lower,
  lowerAll(env, inputs) {
    const b = env.b;
    const lr = required(env, 'lr');
    const dirs = inputs.map(({ g, direction }) => direction(g));
    // <g, rho(g)> = |g|_*^2 for a duality map; the common factor lr/2 does not change the argmax.
    const scores: Var[] = inputs.map(({ g }, i) => b.reshape(b.sum(b.mul(g, dirs[i]!)), [1]));
    const pick = b.op('one_hot', [b.op('argmax', [b.concat(scores, 0)], { axis: 0 })], { depth: inputs.length });
    return inputs.map(({ target }, i) => {
      const chosen = b.reshape(b.slice(pick, [i], [i + 1]), []);
      return { from: target.x, delta: b.mul(b.mul(lr, chosen), dirs[i]!), noise: null, lr };
    });
  },
};
