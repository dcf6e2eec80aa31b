/**
 * Adam and AdamW as torch.optim: m = b1 m + (1 - b1) d, v = b2 v + (1 - b2) d^2, with bias corrections
 * 1 - b^(t+1) (t is 0-based) and eps added after the square root: x -= lr mhat / (sqrt(vhat) + eps).
 * AdamW decays the point first, x *= 1 - lr wd (decoupled); Adam's weight_decay is L2 (added to g).
 */
import type { Var } from '../ir/ir.js';
import { required, type MethodEnv, type MethodInput, type MethodRule, type MethodStep } from './registry.js';

function adamStep(env: MethodEnv, { target, g, direction }: MethodInput, from: Var, lr: Var): MethodStep {
  const b = env.b;
  const b1 = required(env, 'beta1');
  const b2 = required(env, 'beta2');
  const eps = required(env, 'eps');
  const d = direction(g);
  const m = b.add(b.mul(b1, env.state(target, 'm')), b.mul(b.sub(1, b1), d));
  const v = b.add(b.mul(b2, env.state(target, 'v')), b.mul(b.sub(1, b2), b.unary('square', d)));
  env.setState(target, 'm', m);
  env.setState(target, 'v', v);
  const step = b.add(env.t, 1);
  const c1 = b.sub(1, b.pow(b1, step));
  const c2 = b.sub(1, b.pow(b2, step));
  const mhat = b.div(m, c1);
  const vhat = b.div(v, c2);
  const u = b.div(mhat, b.add(b.unary('sqrt', vhat), eps));
  return { from, delta: b.mul(lr, u), noise: null, lr };
}

export const adam: MethodRule = {
  lower(env, input) {
    return adamStep(env, input, input.target.x, required(env, 'lr'));
  },
};

export const adamw: MethodRule = {
  decoupledWeightDecay: true,
  lower(env, input) {
    const b = env.b;
    const lr = required(env, 'lr');
    const wd = env.option('weight_decay');
    const x = input.target.x;
    const from = wd ? b.mul(x, b.sub(1, b.mul(lr, wd))) : x;
    return adamStep(env, input, from, lr);
  },
};
