/** Methods vs torch.optim's update rules, computed independently here in float64 with plain loops. */
import { describe, expect, it } from 'vitest';
import type { GraphBuilder } from '../../compiler/ir/builder.js';
import type { Var } from '../../compiler/ir/ir.js';
import { buildHarness, runSteps } from '../helpers/step-harness.js';

const A = [1, 2, 3];
const C = [0.5, -1, 2];
const X0 = [1, 1, -1];

/** f(x) = 0.5 sum a (x - c)^2, grad = a (x - c). */
function quad(b: GraphBuilder, [x]: readonly Var[]): Var {
  const d = b.sub(x!, b.tensor(C, [3]));
  return b.mul(0.5, b.sum(b.mul(b.tensor(A, [3]), b.unary('square', d))));
}
const gradQ = (x: readonly number[]) => x.map((xi, i) => A[i]! * (xi - C[i]!));

function trajectory(method: string, options: Record<string, number>, steps = 3, sense: 'minimize' | 'maximize' = 'minimize') {
  const h = buildHarness({ targets: [{ name: 'x', shape: [3] }], objective: quad, method, options, sense });
  return runSteps(h, { x: X0 }, steps).values.map((v) => v['x']!);
}

function expectClose(got: readonly number[][], want: readonly number[][], tol = 1e-12) {
  expect(got.length).toBe(want.length);
  got.forEach((row, k) =>
    row.forEach((v, i) => expect(Math.abs(v - want[k]![i]!)).toBeLessThan(tol * (1 + Math.abs(want[k]![i]!)))),
  );
}

/** torch.optim.SGD (momentum, dampening 0, nesterov, L2 weight_decay) in plain float64. */
function torchSgd(lr: number, momentum: number, nesterov: boolean, wd: number, steps: number, sign = 1): number[][] {
  let x = [...X0];
  let buf: number[] | null = null;
  const out = [[...x]];
  for (let k = 0; k < steps; k++) {
    let g = gradQ(x).map((gi, i) => sign * gi + wd * x[i]!);
    if (momentum !== 0) {
      buf = buf === null ? [...g] : buf.map((bi, i) => momentum * bi + g[i]!);
      g = nesterov ? g.map((gi, i) => gi + momentum * buf![i]!) : buf;
    }
    x = x.map((xi, i) => xi - lr * g[i]!);
    out.push([...x]);
  }
  return out;
}

/** torch.optim.Adam / AdamW in plain float64. */
function torchAdam(lr: number, b1: number, b2: number, eps: number, wd: number, decoupled: boolean, steps: number): number[][] {
  let x = [...X0];
  let m = [0, 0, 0];
  let v = [0, 0, 0];
  const out = [[...x]];
  for (let k = 1; k <= steps; k++) {
    let g = gradQ(x);
    if (decoupled) x = x.map((xi) => xi * (1 - lr * wd));
    else g = g.map((gi, i) => gi + wd * x[i]!);
    m = m.map((mi, i) => b1 * mi + (1 - b1) * g[i]!);
    v = v.map((vi, i) => b2 * vi + (1 - b2) * g[i]! * g[i]!);
    const bc1 = 1 - Math.pow(b1, k);
    const bc2 = 1 - Math.pow(b2, k);
    x = x.map((xi, i) => xi - (lr * (m[i]! / bc1)) / (Math.sqrt(v[i]! / bc2) + eps));
    out.push([...x]);
  }
  return out;
}

/** torch.optim.RMSprop (centered False) in plain float64. */
function torchRmsprop(lr: number, alpha: number, eps: number, mom: number, steps: number): number[][] {
  let x = [...X0];
  let v = [0, 0, 0];
  let buf = [0, 0, 0];
  const out = [[...x]];
  for (let k = 0; k < steps; k++) {
    const g = gradQ(x);
    v = v.map((vi, i) => alpha * vi + (1 - alpha) * g[i]! * g[i]!);
    const u = g.map((gi, i) => gi / (Math.sqrt(v[i]!) + eps));
    if (mom > 0) buf = buf.map((bi, i) => mom * bi + u[i]!);
    const step = mom > 0 ? buf : u;
    x = x.map((xi, i) => xi - lr * step[i]!);
    out.push([...x]);
  }
  return out;
}

describe('methods follow torch.optim (first 3 steps on a quadratic)', () => {
  it('gd / sgd', () => {
    expectClose(trajectory('gd', { lr: 0.1 }), torchSgd(0.1, 0, false, 0, 3));
    expectClose(trajectory('sgd', { lr: 0.05 }), torchSgd(0.05, 0, false, 0, 3));
  });
  it('momentum (buffer starts at the first gradient)', () => {
    expectClose(trajectory('momentum', { lr: 0.1, beta: 0.9 }), torchSgd(0.1, 0.9, false, 0, 3));
  });
  it('nesterov', () => {
    expectClose(trajectory('nesterov', { lr: 0.1, beta: 0.8 }), torchSgd(0.1, 0.8, true, 0, 3));
  });
  it('adam with its defaults (betas 0.9/0.999, eps 1e-8) and an explicit lr', () => {
    expectClose(trajectory('adam', { lr: 0.1 }), torchAdam(0.1, 0.9, 0.999, 1e-8, 0, false, 3));
    expectClose(trajectory('adam', {}), torchAdam(1e-3, 0.9, 0.999, 1e-8, 0, false, 3));
  });
  it('adam with L2 weight decay; adamw with decoupled decay (default 0.01)', () => {
    expectClose(trajectory('adam', { lr: 0.1, weight_decay: 0.2 }), torchAdam(0.1, 0.9, 0.999, 1e-8, 0.2, false, 3));
    expectClose(trajectory('adamw', { lr: 0.1, weight_decay: 0.2 }), torchAdam(0.1, 0.9, 0.999, 1e-8, 0.2, true, 3));
    expectClose(trajectory('adamw', { lr: 0.1 }), torchAdam(0.1, 0.9, 0.999, 1e-8, 0.01, true, 3));
  });
  it('rmsprop (alpha 0.99, eps 1e-8), with and without momentum', () => {
    expectClose(trajectory('rmsprop', { lr: 0.01 }), torchRmsprop(0.01, 0.99, 1e-8, 0, 3));
    expectClose(trajectory('rmsprop', { lr: 0.01, alpha: 0.9, momentum: 0.5 }), torchRmsprop(0.01, 0.9, 1e-8, 0.5, 3));
  });
  it('weight_decay is L2 for sgd and momentum', () => {
    expectClose(trajectory('gd', { lr: 0.1, weight_decay: 0.3 }), torchSgd(0.1, 0, false, 0.3, 3));
    expectClose(trajectory('momentum', { lr: 0.1, beta: 0.9, weight_decay: 0.3 }), torchSgd(0.1, 0.9, false, 0.3, 3));
  });
  it('maximize is ascent', () => {
    expectClose(trajectory('gd', { lr: 0.1 }, 3, 'maximize'), torchSgd(0.1, 0, false, 0, 3, -1));
  });
});

describe('clip: global norm over all targets (torch clip_grad_norm_)', () => {
  it('scales both targets by c / (norm + 1e-6) when that is below 1, and not otherwise', () => {
    // f = 0.5|x - 3|^2 + 0.5|y + 4|^2 at x = 0, y = 0: grads (-3, -3) and (4): total norm sqrt(34).
    const objective = (b: GraphBuilder, [x, y]: readonly Var[]) =>
      b.add(b.mul(0.5, b.sum(b.unary('square', b.sub(x!, 3)))), b.mul(0.5, b.sum(b.unary('square', b.add(y!, 4)))));
    const targets = [
      { name: 'x', shape: [2] },
      { name: 'y', shape: [1] },
    ];
    for (const c of [1, 100]) {
      const h = buildHarness({ targets, objective, method: 'gd', options: { lr: 0.5, clip: c } });
      const r = runSteps(h, { x: [0, 0], y: [0] }, 1).values[1]!;
      const coef = Math.min(1, c / (Math.sqrt(34) + 1e-6));
      expect(r['x']![0]).toBeCloseTo(0.5 * 3 * coef, 12);
      expect(r['x']![1]).toBeCloseTo(0.5 * 3 * coef, 12);
      expect(r['y']![0]).toBeCloseTo(-0.5 * 4 * coef, 12);
    }
  });
});

describe('options as expressions of t: schedules', () => {
  const sched = (f: (t: number) => number, lower: (b: GraphBuilder, t: Var) => Var) => {
    const h = buildHarness({ targets: [{ name: 'x', shape: [3] }], objective: quad, method: 'gd', options: { lr: lower } });
    const got = runSteps(h, { x: X0 }, 6).values.map((v) => v['x']!);
    let x = [...X0];
    const want = [[...x]];
    for (let k = 0; k < 6; k++) {
      const g = gradQ(x);
      x = x.map((xi, i) => xi - f(k) * g[i]!);
      want.push([...x]);
    }
    expectClose(got, want);
  };
  it('cosine(lr0, T), exp_decay(lr0, rate), warmup(lr0, T), 0.5/sqrt(t+1)', async () => {
    const { SCHEDULES } = await import('../../compiler/methods/schedules.js');
    const c = (b: GraphBuilder, v: number) => b.const(v);
    sched(
      (t) => (0.2 * (1 + Math.cos((Math.PI * Math.min(t, 4)) / 4))) / 2,
      (b, t) => SCHEDULES.cosine.lower(b, [c(b, 0.2), c(b, 4)], t),
    );
    sched(
      (t) => 0.2 * Math.pow(0.7, t),
      (b, t) => SCHEDULES.exp_decay.lower(b, [c(b, 0.2), c(b, 0.7)], t),
    );
    sched(
      (t) => 0.2 * Math.min(1, (t + 1) / 3),
      (b, t) => SCHEDULES.warmup.lower(b, [c(b, 0.2), c(b, 3)], t),
    );
    sched(
      (t) => 0.5 / Math.sqrt(t + 1),
      (b, t) => b.div(0.5, b.unary('sqrt', b.add(t, 1))),
    );
  });
});

describe('noise', () => {
  const n = 4000;
  const zero = (b: GraphBuilder, [x]: readonly Var[]) => b.mul(0, b.sum(x!));
  const stats = (v: readonly number[]) => {
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
    return { mean, variance };
  };
  it('langevin adds sqrt(2 lr T) N(0, I) after the step', () => {
    const h = buildHarness({
      targets: [{ name: 'x', shape: [n] }],
      objective: zero,
      method: 'langevin',
      options: { lr: 0.1, temperature: 0.5 },
    });
    const x1 = runSteps(h, { x: new Array(n).fill(1) }, 1, { seed: 3 }).values[1]!['x']!;
    const s = stats(x1);
    expect(Math.abs(s.mean - 1)).toBeLessThan(4 * Math.sqrt(0.1 / n));
    expect(Math.abs(s.variance / 0.1 - 1)).toBeLessThan(0.1); // 2 lr T = 0.1
  });
  it('sgd(lr, noise: s) is x - lr (g + s N(0, I)), the noise different at each step', () => {
    const h = buildHarness({
      targets: [{ name: 'x', shape: [n] }],
      objective: zero,
      method: 'sgd',
      options: { lr: 0.1, noise: 2 },
    });
    const r = runSteps(h, { x: new Array(n).fill(0) }, 2, { seed: 1 }).values;
    const d1 = r[1]!['x']!;
    const d2 = r[2]!['x']!.map((v, i) => v - d1[i]!);
    for (const d of [d1, d2]) expect(Math.abs(stats(d).variance / 0.04 - 1)).toBeLessThan(0.1); // (lr s)^2
    const corr = d1.reduce((a, v, i) => a + v * d2[i]!, 0) / n / 0.04;
    expect(Math.abs(corr)).toBeLessThan(0.1);
  });
});

describe('prune masks', () => {
  it('keep masked entries at zero', () => {
    const h = buildHarness({
      targets: [{ name: 'x', shape: [3] }],
      objective: quad,
      method: 'gd',
      options: { lr: 0.1 },
      masks: { x: true },
    });
    const r = runSteps(h, { x: [1, 0, -1] }, 3, { extra: { 'x.mask': [1, 0, 1] } }).values[3]!['x']!;
    const want = torchSgd(0.1, 0, false, 0, 3)[3]!;
    expect(r[1]).toBe(0);
    expect(r[0]).toBeCloseTo(want[0]!, 12);
    expect(r[2]).toBeCloseTo(want[2]!, 12);
  });
});

describe('registry', () => {
  it('a std module can register a method with its own options and state, and buildHarness/appendUpdate use it', async () => {
    const { registerMethod, hasMethod, required } = await import('../../compiler/methods/registry.js');
    // A toy "sign momentum": v = beta v + d, x -= lr sign(v); its defaults live on the rule (no checker entry).
    registerMethod('test_signum', {
      options: [
        { name: 'lr', default: null },
        { name: 'beta', default: 0.5 },
      ],
      lower(env, { target, g, direction }) {
        const b = env.b;
        const lr = required(env, 'lr');
        const v = b.add(b.mul(required(env, 'beta'), env.state(target, 'v')), direction(g));
        env.setState(target, 'v', v);
        return { from: target.x, delta: b.mul(lr, b.unary('sign', v)), noise: null, lr };
      },
    });
    expect(hasMethod('test_signum')).toBe(true);
    const got = trajectory('test_signum', { lr: 0.1 }, 2);
    // step 1: v = g(x0) = (0.5, 4, -9) -> signs (1, 1, -1); step 2: v = 0.5 v + g(x1).
    let x = [...X0];
    let v = [0, 0, 0];
    const want = [[...x]];
    for (let k = 0; k < 2; k++) {
      v = v.map((vi, i) => 0.5 * vi + gradQ(x)[i]!);
      x = x.map((xi, i) => xi - 0.1 * Math.sign(v[i]!));
      want.push([...x]);
    }
    expectClose(got, want);
  });
});
