/**
 * RMSprop as torch.optim.RMSprop (centered=False): v = alpha v + (1 - alpha) d^2, x -= lr d / (sqrt(v) + eps);
 * with `momentum: mu > 0`, torch's buffer b = mu b + d / (sqrt(v) + eps), x -= lr b.
 */
import { required, type MethodRule } from './registry.js';

export const rmsprop: MethodRule = {
  lower(env, { target, g, direction }) {
    const b = env.b;
    const lr = required(env, 'lr');
    const alpha = required(env, 'alpha');
    const eps = required(env, 'eps');
    const d = direction(g);
    const v = b.add(b.mul(alpha, env.state(target, 'v')), b.mul(b.sub(1, alpha), b.unary('square', d)));
    env.setState(target, 'v', v);
    let u = b.div(d, b.add(b.unary('sqrt', v), eps));
    const mu = env.option('momentum');
    if (mu) {
      u = b.add(b.mul(mu, env.state(target, 'buf')), u);
      env.setState(target, 'buf', u);
    }
    return { from: target.x, delta: b.mul(lr, u), noise: null, lr };
  },
};
