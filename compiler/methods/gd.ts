/**
 * gd / sgd: x+ = x - lr * d with d the geometry's direction of g; `sgd(lr, noise: s)` models the
 * stochastic-gradient noise of the long-run analysis, x+ = x - lr * (g + s * N(0, I)) — the noise joins
 * the gradient before the geometry, and s may be any expression, including one of x.
 */
import { required, type MethodRule } from './registry.js';

export const gd: MethodRule = {
  lower(env, { target, g, direction }) {
    const b = env.b;
    const lr = required(env, 'lr');
    const s = env.option('noise');
    const noisy = s ? b.add(g, b.mul(s, env.noise(g.shape))) : g;
    return {
      from: target.x,
      delta: b.mul(lr, direction(noisy)),
      noise: null,
      lr,
    };
  },
};
