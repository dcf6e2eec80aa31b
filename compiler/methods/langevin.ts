/** Unadjusted Langevin: a gd step plus sqrt(2 lr T) N(0, I) after it (in the geometry's dual point for mirror maps). */
import { required, type MethodRule } from './registry.js';

export const langevin: MethodRule = {
  lower(env, { target, g, direction }) {
    const b = env.b;
    const lr = required(env, 'lr');
    const temperature = required(env, 'temperature');
    const scale = b.unary('sqrt', b.mul(b.mul(lr, temperature), 2));
    return {
      from: target.x,
      delta: b.mul(lr, direction(g)),
      noise: b.mul(env.noise(target.x.shape), scale),
      lr,
    };
  },
};
