/**
 * Heavy-ball momentum as torch.optim.SGD(momentum=beta, dampening=0): v = beta v + d, x -= lr v.
 * torch initializes the buffer to the first gradient, which is beta * 0 + d with v starting at 0.
 */
import { required, type MethodRule } from './registry.js';

export const momentum: MethodRule = {
  lower(env, { target, g, direction }) {
    const b = env.b;
    const lr = required(env, 'lr');
    const beta = required(env, 'beta');
    const d = direction(g);
    const v = b.add(b.mul(beta, env.state(target, 'v')), d);
    env.setState(target, 'v', v);
    return { from: target.x, delta: b.mul(lr, v), noise: null, lr };
  },
};
