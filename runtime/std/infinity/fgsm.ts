/**
 * fgsm(eps): one steepest step of length eps, x+ = x + eps·d (ascent for `maximize`), d the geometry's
 * direction — sign(g) in linf, the FGSM of Goodfellow et al.; run for one step it is IFGSM with tau = eps.
 */
import { required, type MethodRule } from '../../../compiler/methods/registry.js';

export const fgsm: MethodRule = {
  options: [{ name: 'eps', default: null }],
  lower(env, { target, g, direction }) {
    const eps = required(env, 'eps');
    return { from: target.x, delta: env.b.mul(eps, direction(g)), noise: null, lr: eps };
  },
};
