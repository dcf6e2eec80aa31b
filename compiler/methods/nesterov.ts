/** Nesterov momentum as torch.optim.SGD(momentum=beta, nesterov=True): v = beta v + d, x -= lr (d + beta v). */
import { required, type MethodRule } from './registry.js';

export const nesterov: MethodRule = {
  lower(env, { target, g, direction }) {
    const b = env.b;
    const lr = required(env, 'lr');
    const beta = required(env, 'beta');
    const d = direction(g);
    const v = b.add(b.mul(beta, env.state(target, 'v')), d);
    env.setState(target, 'v', v);
    return {
      from: target.x,
      delta: b.mul(lr, b.add(d, b.mul(beta, v))),
      noise: null,
      lr,
    };
  },
};
