/** buildStep end to end: .gd source → parse → check → step graph, iterated in the float64 interpreter against references. */
import { describe, expect, it } from 'vitest';
import { check } from '../../compiler/check/check.js';
import type { PlanItem } from '../../compiler/check/checked.js';
import { memoryHost } from '../../compiler/host.js';
import { interpret } from '../../compiler/ir/interpret.js';
import { parse } from '../../compiler/parse.js';
import { buildStep, noiseStream, type BuildStepOptions } from '../../compiler/step.js';
import { randnFill } from '../../compiler/ir/rng.js';
import type { StepProgram } from '../../compiler/step-program.js';

function compile(src: string, opts: BuildStepOptions = {}): StepProgram[] {
  const p = parse('t.gd', src);
  expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const c = check(p.program, memoryHost({}), { parseFile: parse });
  expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const solves = c.checked!.plan.filter((x): x is PlanItem & { kind: 'solve' } => x.kind === 'solve');
  return solves.map((s) => buildStep(c.checked!, s, opts));
}

type Values = Record<string, number[]>;

/** Iterates the step graph: feeds params, data, state (from their init), t and rng; returns every state. */
function iterate(sp: StepProgram, init: Values, data: Values, steps: number, seed = 0): Values[] {
  let cur: Values = { ...init };
  for (const s of sp.state) cur[s.name] = new Array(s.shape.reduce((a, d) => a * d, 1)).fill(s.init);
  const out = [cur];
  for (let k = 0; k < steps; k++) {
    const needed = Object.fromEntries(
      sp.step.inputs.map((i) => [i.name, i.name === 't' ? k : i.name === 'rng' ? [seed, k] : (cur[i.name] ?? data[i.name])]),
    );
    const res = interpret(sp.step, needed as Record<string, number[] | number>);
    const next: Values = { ...cur };
    for (const o of sp.step.outputs) if (o.role === 'update') next[o.name] = Array.from(res[o.name]!.data);
    cur = next;
    out.push(cur);
  }
  return out;
}

function observe(sp: StepProgram, values: Values): Record<string, number[]> {
  const inputs = Object.fromEntries(sp.observe.inputs.map((i) => [i.name, values[i.name]!]));
  const res = interpret(sp.observe, inputs);
  return Object.fromEntries(Object.entries(res).map(([k, v]) => [k, Array.from(v.data)]));
}

const softmax = (z: readonly number[]) => {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

describe('buildStep end to end', () => {
  it("least squares with gd: w+ = w - lr X'(Xw - y)/n; observe gives loss and the gradient norm", () => {
    const [sp] = compile(`
data X: [4, 2] = randn(seed: 1)
data y: [4] = randn(seed: 2)
param w: [2] = zeros
minimize loss = 0.5 * mean((X @ w - y)^2) over w by gd(lr: 0.1) for 10 steps
  log every 5: loss, gn = norm(grad(loss, w))
`);
    const X = [1, 2, -1, 0.5, 0.3, -2, 2, 1];
    const y = [1, -1, 0.5, 2];
    const run = iterate(sp!, { w: [0.2, -0.1] }, { X, y }, 3);
    let w = [0.2, -0.1];
    for (let k = 1; k <= 3; k++) {
      const r = [0, 1, 2, 3].map((i) => X[2 * i]! * w[0]! + X[2 * i + 1]! * w[1]! - y[i]!);
      const g = [0, 1].map((j) => [0, 1, 2, 3].reduce((s, i) => s + X[2 * i + j]! * r[i]!, 0) / 4);
      w = w.map((wj, j) => wj - 0.1 * g[j]!);
      run[k]!['w']!.forEach((v, j) => expect(v).toBeCloseTo(w[j]!, 13));
    }
    const obs = observe(sp!, { ...run[3]!, X, y });
    const r = [0, 1, 2, 3].map((i) => X[2 * i]! * w[0]! + X[2 * i + 1]! * w[1]! - y[i]!);
    const g = [0, 1].map((j) => [0, 1, 2, 3].reduce((s, i) => s + X[2 * i + j]! * r[i]!, 0) / 4);
    expect(obs['loss']![0]).toBeCloseTo((0.5 * r.reduce((s, v) => s + v * v, 0)) / 4, 13);
    expect(obs['gn']![0]).toBeCloseTo(Math.hypot(...g), 13);
    expect(sp!.logItems.map((l) => l.name)).toEqual(['loss', 'gn']);
  });

  it('simplex mirror (exponentiated gradient) from the language: softmax(-k c)', () => {
    const [sp] = compile(`
data c: [3] = [0.3, 0.1, 0.5]
param p: [3] in simplex = uniform
minimize cost = dot(c, p) over p in mirror(entropy) by gd(lr: 1.0) for 5 steps
`);
    const c = [0.3, 0.1, 0.5];
    const run = iterate(sp!, { p: [1 / 3, 1 / 3, 1 / 3] }, { c }, 5);
    run.forEach((v, k) => softmax(c.map((ci) => -k * ci)).forEach((want, i) => expect(v['p']![i]).toBeCloseTo(want, 13)));
  });

  it('IFGSM from the language: maximize over delta in linf within ball(inf, 0.1)', () => {
    const [sp] = compile(`
data w: [4] = [0.5, -2, 0.001, 3]
data x0: [4] = zeros
param delta: [4] in ball(inf, 0.1) = zeros
maximize attack = dot(w, x0 + delta) over delta in linf by gd(lr: 0.03) for 5 steps
`);
    const w = [0.5, -2, 0.001, 3];
    const run = iterate(sp!, { delta: [0, 0, 0, 0] }, { w, x0: [0, 0, 0, 0] }, 5);
    run.forEach((v, k) => {
      const e = v['delta']!.reduce((s, d, i) => s + d * w[i]!, 0);
      expect(e).toBeCloseTo(Math.min(0.03 * k, 0.1) * 5.501, 12);
    });
  });

  it('schedules and expressions of t in options; positional lr; momentum state slots', () => {
    const [cos, expr, mom] = compile(`
param x: [2] = zeros
minimize f = 0.5 * sum(x^2) over x by gd(lr: cosine(0.2, 4)) for 6 steps
minimize g = 0.5 * sum(x^2) over x by gd(0.5 / sqrt(t + 1)) for 6 steps
minimize h = 0.5 * sum(x^2) over x by momentum(0.1, beta: 0.5) for 6 steps
`);
    const check = (sp: StepProgram, lr: (t: number) => number) => {
      const run = iterate(sp, { x: [1, -2] }, {}, 6);
      let x = [1, -2];
      for (let k = 0; k < 6; k++) {
        x = x.map((v) => v - lr(k) * v);
        run[k + 1]!['x']!.forEach((v, i) => expect(v).toBeCloseTo(x[i]!, 13));
      }
    };
    check(cos!, (t) => (0.2 * (1 + Math.cos((Math.PI * Math.min(t, 4)) / 4))) / 2);
    check(expr!, (t) => 0.5 / Math.sqrt(t + 1));
    expect(mom!.state.map((s) => s.name)).toEqual(['x.v']);
    const run = iterate(mom!, { x: [1, -2] }, {}, 2);
    // v1 = g0 = x0, x1 = x0 - 0.1 x0 = 0.9 x0; v2 = 0.5 x0 + 0.9 x0 = 1.4 x0; x2 = 0.9 x0 - 0.14 x0.
    expect(run[2]!['x']![0]).toBeCloseTo(0.76, 13);
    expect(run[2]!['x.v']![0]).toBeCloseTo(1.4, 13);
  });

  it("particles with a Gaussian entropy estimator: covariance follows C Sigma C' (WGD on KL)", () => {
    const [sp] = compile(`
data Q: [2, 2] = [[2, 0.5], [0.5, 1]]
particles theta: [5, 2] = randn(seed: 1)
minimize F = 0.5 * mean(sum((theta @ Q) * theta, axis: 1)) + entropy(theta, estimator: gaussian)
  over theta by gd(lr: 0.1) for 1 steps
`);
    const Q = [2, 0.5, 0.5, 1];
    const th = [0.3, -1, 1.2, 0.4, -0.5, 0.9, 2, -0.3, -1, 0.1];
    const after = iterate(sp!, { theta: th }, { Q }, 1)[1]!['theta']!;
    const cov = (x: readonly number[]) => {
      const mu = [0, 1].map((j) => [0, 1, 2, 3, 4].reduce((s, i) => s + x[2 * i + j]!, 0) / 5);
      return [0, 1].map((a) =>
        [0, 1].map((b) => [0, 1, 2, 3, 4].reduce((s, i) => s + (x[2 * i + a]! - mu[a]!) * (x[2 * i + b]! - mu[b]!), 0) / 5),
      );
    };
    const S = cov(th);
    const det = S[0]![0]! * S[1]![1]! - S[0]![1]! ** 2;
    const Sinv = [
      [S[1]![1]! / det, -S[0]![1]! / det],
      [-S[1]![0]! / det, S[0]![0]! / det],
    ];
    const C = [0, 1].map((i) => [0, 1].map((j) => +(i === j) - 0.1 * Q[2 * i + j]! + 0.1 * Sinv[i]![j]!));
    const CS = [0, 1].map((i) => [0, 1].map((j) => C[i]![0]! * S[0]![j]! + C[i]![1]! * S[1]![j]!));
    const want = [0, 1].map((i) => [0, 1].map((j) => CS[i]![0]! * C[j]![0]! + CS[i]![1]! * C[j]![1]!));
    const got = cov(after);
    [0, 1].forEach((i) => [0, 1].forEach((j) => expect(got[i]![j]).toBeCloseTo(want[i]![j]!, 12)));
  });

  it('MFLD: langevin entropy adds noise; the objective (without the entropy) is observable by name', () => {
    const [sp] = compile(`
particles theta: [400, 1] = randn(seed: 1)
minimize F = 0.5 * mean(theta^2) + 0.5 * entropy(theta) over theta by gd(lr: 0.1) for 1 steps
  log every 1: F
`);
    const th = new Array(400).fill(1);
    const after = iterate(sp!, { theta: th }, {}, 1, 3)[1]!['theta']!;
    // theta+ = 0.9 theta + sqrt(2 * 0.1 * 0.5) xi
    const dev = after.map((v) => (v - 0.9) / Math.sqrt(0.1));
    const mean = dev.reduce((a, b) => a + b, 0) / dev.length;
    const variance = dev.reduce((a, b) => a + (b - mean) ** 2, 0) / dev.length;
    expect(Math.abs(mean)).toBeLessThan(0.2);
    expect(Math.abs(variance - 1)).toBeLessThan(0.2);
    expect(observe(sp!, { theta: th })['F']![0]).toBeCloseTo(0.5, 13);
  });

  it('until: the condition graph reads the objective by name', () => {
    const [sp] = compile(`
param x: [2] = zeros
minimize f = 0.5 * sum(x^2) over x by gd(lr: 0.5) until f < 0.01 max 100 steps
`);
    expect(sp!.until).not.toBeNull();
    const cond = (x: number[]) => interpret(sp!.until!, { x }).until!.data[0];
    expect(cond([1, 1])).toBe(0);
    expect(cond([0.05, 0.05])).toBe(1);
  });

  it('prune masks: an input <param>.mask only for the params listed, pruned entries stay 0', () => {
    const [sp] = compile(
      `
param W: [3] = zeros
minimize f = 0.5 * sum((W - 1)^2) over W by gd(lr: 0.5) for 3 steps
`,
      { masks: ['W'] },
    );
    expect(sp!.step.inputs.find((i) => i.name === 'W.mask')?.role).toBe('mask');
    const run = iterate(sp!, { W: [0, 0, 0] }, { 'W.mask': [1, 0, 1] }, 2);
    expect(run[2]!['W']).toEqual([0.75, 0, 0.75]);
  });

  it('layerwise(frobenius, linf) over two params, potential(phi) and precondition(dual: hstar) via defs', () => {
    const [lw, pot, dual] = compile(`
def phi(x) = sum(x * log(x)) - sum(x)
def hstar(g) = g * [1, 4]
param u: [2] = zeros
param v: [2] = zeros
param z: [2] in positive = ones
minimize f = dot([1, -2], u) + dot([0.5, 0.25], v) over u, v in layerwise(frobenius, linf) by gd(lr: 0.1) for 1 steps
minimize g = dot([0.5, -1], z) over z in mirror(potential(phi)) by gd(lr: 0.1) for 1 steps
minimize h = 0.5 * sum((u - 1)^2) over u in precondition(dual: hstar) by gd(lr: 0.1) for 1 steps
`);
    const a = iterate(lw!, { u: [0, 0], v: [0, 0] }, {}, 1)[1]!;
    expect(a['u']![0]).toBeCloseTo(-0.1, 14);
    expect(a['u']![1]).toBeCloseTo(0.2, 14);
    expect(a['v']).toEqual([-0.1 * 0.75, -0.1 * 0.75]);
    const b = iterate(pot!, { z: [1, 2] }, {}, 1)[1]!['z']!;
    expect(b[0]).toBeCloseTo(1 * Math.exp(-0.05), 12);
    expect(b[1]).toBeCloseTo(2 * Math.exp(0.1), 12);
    const c = iterate(dual!, { u: [0, 0] }, {}, 1)[1]!['u']!;
    expect(c[0]).toBeCloseTo(0.1, 14); // g = -1; a vector-valued hstar is grad h* itself: (1, 4) g
    expect(c[1]).toBeCloseTo(0.4, 14);
  });

  it('dsgd over layerwise blocks: only the block with the largest |g|_*^2 moves, along its duality map', () => {
    const [first, second] = compile(`
param u: [2] = zeros
param v: [2] = zeros
minimize f = dot([1, -2], u) + dot([0.5, 0.25], v) over u, v in layerwise(frobenius, linf) by dsgd(lr: 0.1) for 1 steps
minimize g = dot([1, -2], u) + dot([3, 1], v) over u, v in layerwise(frobenius, linf) by dsgd(lr: 0.1) for 1 steps
`);
    // f: |g_u|_2^2 = 5 > |g_v|_1^2 = 0.5625, so u steps; g: |g_v|_1^2 = 16 > 5, so v steps by 0.1 * 4 * sign.
    const a = iterate(first!, { u: [0, 0], v: [0, 0] }, {}, 1)[1]!;
    expect(a['u']![0]).toBeCloseTo(-0.1, 14);
    expect(a['u']![1]).toBeCloseTo(0.2, 14);
    expect(a['v']!.map((x) => x + 0)).toEqual([0, 0]);
    const b = iterate(second!, { u: [0, 0], v: [0, 0] }, {}, 1)[1]!;
    expect(b['u']!.map((x) => x + 0)).toEqual([0, 0]);
    b['v']!.forEach((x) => expect(x).toBeCloseTo(-0.4, 14));
  });

  it('per-example params: the step sees batch rows, state slots keep the whole shape and are lazy by default', () => {
    const src = (state: string) => `
data B: [8, 3] = randn(seed: 1) batch 4
param z: [8, 2] per B = zeros
data W: [2, 3] = randn(seed: 2)
minimize f = mean((z @ W - B)^2) over z by adam(lr: 0.05${state}) for 3 steps
`;
    const shapes = { dataShapes: { B: [4, 3], z: [4, 2] } };
    const [lazy] = compile(src(''), shapes);
    const [dense] = compile(src(', state: dense'), shapes);
    expect(lazy!.step.inputs.find((i) => i.name === 'z')!.var.shape).toEqual([4, 2]);
    expect(lazy!.step.inputs.find((i) => i.name === 'z.m')!.var.shape).toEqual([4, 2]);
    expect(lazy!.state).toEqual([
      { name: 'z.m', shape: [8, 2], init: 0, rows: 'lazy' },
      { name: 'z.v', shape: [8, 2], init: 0, rows: 'lazy' },
    ]);
    expect(dense!.state.map((s) => s.rows)).toEqual(['dense', 'dense']);
  });

  it('potential(phi) with a known closed form is recognized: entropy on the simplex needs no Newton and no projection', () => {
    const [known, general] = compile(`
def negent(q) = sum(q * log(q))
def soft(q) = sum(q * log(q)) + 0.001 * sum(q^4)
data c: [3] = [0.3, 0.1, 0.5]
param p: [3] in simplex = uniform
minimize a = dot(c, p) over p in mirror(potential(negent)) by gd(lr: 1.0) for 5 steps
minimize b = dot(c, p) over p in mirror(potential(soft)) by gd(lr: 1.0) for 5 steps
`);
    const c = [0.3, 0.1, 0.5];
    const run = iterate(known!, { p: [1 / 3, 1 / 3, 1 / 3] }, { c }, 5);
    softmax(c.map((ci) => -5 * ci)).forEach((want, i) => expect(run[5]!['p']![i]).toBeCloseTo(want, 13));
    expect(known!.step.eqns.some((e) => e.op === 'proj_simplex')).toBe(false);
    // The general potential goes through autodiff + Newton, then the simplex projection.
    expect(general!.step.eqns.some((e) => e.op === 'proj_simplex')).toBe(true);
    expect(general!.step.eqns.length).toBeGreaterThan(known!.step.eqns.length);
  });

  it("sgd(lr, noise: s(x)): x+ = x - lr (g + s(x) xi) with xi the step's own N(0, I) stream, s read at the current x", () => {
    const [sp] = compile(`
param x: [5] = zeros
minimize f = 0.5 * sum(x^2) over x by sgd(0.1, noise: 0.5 * abs(x) + 1) for 2 steps
`);
    const x0 = [1, -2, 0.5, 0, 3];
    const x1 = iterate(sp!, { x: x0 }, {}, 1, 9)[1]!['x']!;
    const xi = randnFill(9, noiseStream('/f/0'), 5, 0);
    x0.forEach((x, i) => expect(x1[i]).toBeCloseTo(x - 0.1 * (x + (0.5 * Math.abs(x) + 1) * xi[i]!), 13));
  });

  it('steepest spellings: linf scaled, l2 normalized, lp(3), l2 with scaled: true', () => {
    const sps = compile(`
data a: [3] = [1, -2, 0.5]
param x: [3] = zeros
minimize f1 = dot(a, x) over x in linf scaled by gd(lr: 0.1) for 1 steps
minimize f2 = dot(a, x) over x in l2 normalized by gd(lr: 0.1) for 1 steps
minimize f3 = dot(a, x) over x in lp(3) by gd(lr: 0.1) for 1 steps
minimize f4 = dot(a, x) over x in l2(scaled: true) by gd(lr: 0.1) for 1 steps
`);
    const a = [1, -2, 0.5];
    const step = (i: number) => iterate(sps[i]!, { x: [0, 0, 0] }, { a }, 1)[1]!['x']!;
    step(0).forEach((v, i) => expect(v).toBeCloseTo(-0.1 * 3.5 * Math.sign(a[i]!), 14));
    const n2 = Math.hypot(...a);
    step(1).forEach((v, i) => expect(v).toBeCloseTo((-0.1 * a[i]!) / n2, 14));
    const q = 1.5;
    const nq = a.reduce((s, v) => s + Math.abs(v) ** q, 0) ** (1 / q);
    step(2).forEach((v, i) => expect(v).toBeCloseTo((-0.1 * Math.sign(a[i]!) * Math.abs(a[i]!) ** (q - 1)) / nq ** (q - 1), 14));
    step(3).forEach((v, i) => expect(v).toBeCloseTo(-0.1 * a[i]!, 14));
  });
});
