/** Lowering of LANGUAGE.md expressions: parse → check → lower → interpret, against hand-computed values. */
import { describe, expect, it } from 'vitest';
import { check } from '../../compiler/check/check.js';
import type { CheckedProgram, PlanItem } from '../../compiler/check/checked.js';
import { memoryHost } from '../../compiler/host.js';
import { interpret } from '../../compiler/ir/interpret.js';
import { GraphBuilder } from '../../compiler/ir/builder.js';
import { lowerExpr, lowerObjective, siteStream } from '../../compiler/ir/lower.js';
import { randFill, randnFill } from '../../compiler/ir/rng.js';
import { parse } from '../../compiler/parse.js';
import { gradcheckGraph } from '../../compiler/gradcheck.js';
import type * as A from '../../compiler/ast/ast.js';

function checked(src: string): CheckedProgram {
  const p = parse('t.gd', src);
  expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const c = check(p.program, memoryHost({}), { parseFile: parse });
  expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return c.checked!;
}

type Feed = Record<string, number[] | number>;

/** Lowers `let NAME = ...` of the program and evaluates it. */
function evalLet(c: CheckedProgram, name: string, feed: Feed): { shape: number[]; data: number[] } {
  const sym = c.symbols.get(name);
  if (!sym || sym.kind !== 'let') throw new Error(`no let ${name}`);
  const b = new GraphBuilder();
  b.output(name, lowerExpr(c, sym.decl.value, b), 'value');
  const r = interpret(b.build(), feed)[name]!;
  return { shape: [...r.shape], data: [...r.data] };
}

function expectClose(actual: number[], expected: number[], digits = 10): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, digits));
}

const X = [1, 2, -1, 0.5, 3, -2]; // [3, 2]
const w = [0.3, -0.7];
const y = [0.1, 0.2, -0.4];

describe('lowering expressions', () => {
  const src = `
data X: [3, 2] = randn(seed: 1)
data y: [3] = randn(seed: 2)
param w: [2] = zeros
const lam = 0.25
def sq(a) = a * a
let r = X @ w - y
let e_ls = 0.5 * mean(r^2) + lam * norm(w)^2
let e_def = sum(sq(r))
let e_col = X[:, 0]
let e_last = X[-1]
let e_rev = X[::-1, 1]
let e_T = X.T
let e_norms = [norm(w, 1), norm(w, inf), variance(y), dot(w, w), trace(outer(w, w))]
let e_diag = diag(diag(outer(w, w)))
let e_clip = clip(y, -0.2, 0.15)
let e_where = where(y > 0, y, 0 * y)
let e_lit = [[1, 0], [0, 1]] @ w + eye(2) @ w
`;
  const c = checked(src);
  const feed = { X, y, w };
  const r = [0, 1, 2].map((i) => X[2 * i]! * w[0]! + X[2 * i + 1]! * w[1]! - y[i]!);

  it('least squares with a let, a const and norm()^2', () => {
    const expected = (0.5 * r.reduce((s, v) => s + v * v, 0)) / 3 + 0.25 * (w[0]! ** 2 + w[1]! ** 2);
    expectClose(evalLet(c, 'e_ls', feed).data, [expected]);
    expectClose(evalLet(c, 'e_def', feed).data, [r.reduce((s, v) => s + v * v, 0)]);
  });
  it('indexing, negative indices, reversed slices and .T', () => {
    expect(evalLet(c, 'e_col', feed)).toEqual({ shape: [3], data: [1, -1, 3] });
    expect(evalLet(c, 'e_last', feed)).toEqual({ shape: [2], data: [3, -2] });
    expect(evalLet(c, 'e_rev', feed)).toEqual({ shape: [3], data: [-2, 0.5, 2] });
    expect(evalLet(c, 'e_T', feed)).toEqual({ shape: [2, 3], data: [1, -1, 3, 2, 0.5, -2] });
  });
  it('norms, variance, dot, outer/trace, diag both ways, clip, where, literals', () => {
    const my = (0.1 + 0.2 - 0.4) / 3;
    const v = y.reduce((s, t) => s + (t - my) ** 2, 0) / 3;
    expectClose(evalLet(c, 'e_norms', feed).data, [1.0, 0.7, v, 0.58, 0.58]);
    expectClose(evalLet(c, 'e_diag', feed).data, [0.09, 0, 0, 0.49]);
    expectClose(evalLet(c, 'e_clip', feed).data, [0.1, 0.15, -0.2]);
    expectClose(evalLet(c, 'e_where', feed).data, [0.1, 0.2, 0]);
    expectClose(evalLet(c, 'e_lit', feed).data, [0.6, -1.4]);
  });
});

describe('ML builtins', () => {
  const src = `
data L: [2, 3] = randn(seed: 1)
data Y: [2, 3] = randn(seed: 2)
data k: [2] = zeros
let e_sm = softmax(L)
let e_lsm = log_softmax(L, axis: 0)
let e_lse = logsumexp(L, axis: 1)
let e_ce = cross_entropy(L, Y)
let e_ce_idx = cross_entropy(L, k)
let e_mse = mse(L, Y)
`;
  const c = checked(src);
  const L = [1, 2, 3, -1, 0, 1000];
  const Yv = [0, 0, 1, 0.5, 0.5, 0];
  const feed = { L, Y: Yv, k: [2, 0] };
  const lse = (xs: number[]): number => {
    const m = Math.max(...xs);
    return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
  };
  it('softmax, log_softmax along an axis, stable logsumexp', () => {
    const l0 = lse([1, 2, 3]);
    expectClose(evalLet(c, 'e_sm', feed).data.slice(0, 3), [1, 2, 3].map((x) => Math.exp(x - l0)));
    expectClose(evalLet(c, 'e_lse', feed).data, [l0, 1000]);
    expectClose(evalLet(c, 'e_lsm', feed).data.slice(0, 1), [1 - lse([1, -1])]);
  });
  it('cross_entropy with one-hot/probability labels and with class indices; mse', () => {
    const row0 = -(3 - lse([1, 2, 3]));
    const row1 = -(0.5 * (-1 - lse([-1, 0, 1000])) + 0.5 * (0 - lse([-1, 0, 1000])));
    expectClose(evalLet(c, 'e_ce', feed).data, [(row0 + row1) / 2], 8);
    const idx1 = -(-1 - lse([-1, 0, 1000]));
    expectClose(evalLet(c, 'e_ce_idx', feed).data, [(row0 + idx1) / 2], 8);
    expectClose(evalLet(c, 'e_mse', feed).data, [L.reduce((s, v, i) => s + (v - Yv[i]!) ** 2, 0) / 6], 6);
  });
});

describe('particles: sqdist, rbf, cov, pairwise, entropy', () => {
  const src = `
data A: [2, 2] = randn(seed: 3)
particles theta: [3, 2] = randn(seed: 1)
let e_sq = sqdist(theta, theta)
let e_rbf = rbf(theta, A, 2)
let e_cov = cov(theta)
let e_pw = pairwise(theta, (x, z) => exp(-sum((x - z)^2)) + dot(x, A @ z))
minimize F = mean(theta^2) + 0.5 * pairwise(theta, (a, b) => norm(a - b)) + 1e-3 * entropy(theta) over theta by gd(lr: 0.1) for 1 steps
`;
  const c = checked(src);
  const th = [0.5, -1, 2, 0.25, -0.3, 0.8];
  const Av = [1, 0.5, -0.5, 2];
  const feed = { theta: th, A: Av };
  const row = (i: number): number[] => [th[2 * i]!, th[2 * i + 1]!];
  const d2 = (p: number[], q: number[]): number => (p[0]! - q[0]!) ** 2 + (p[1]! - q[1]!) ** 2;
  it('sqdist and rbf match the definitions', () => {
    const expected: number[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expected.push(d2(row(i), row(j)));
    expectClose(evalLet(c, 'e_sq', feed).data, expected, 9);
    const rb: number[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) rb.push(Math.exp(-d2(row(i), [Av[2 * j]!, Av[2 * j + 1]!]) / 8));
    expectClose(evalLet(c, 'e_rbf', feed).data, rb, 9);
  });
  it('cov divides by m', () => {
    const mean = [0, 1].map((k) => (th[k]! + th[2 + k]! + th[4 + k]!) / 3);
    const cv = [0, 1].flatMap((p) => [0, 1].map((q) => [0, 1, 2].reduce((s, i) => s + (row(i)[p]! - mean[p]!) * (row(i)[q]! - mean[q]!), 0) / 3));
    expectClose(evalLet(c, 'e_cov', feed).data, cv);
  });
  it('pairwise is the mean over all pairs, with matmul and data inside the body', () => {
    let s = 0;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const x = row(i);
        const z = row(j);
        const Az = [Av[0]! * z[0]! + Av[1]! * z[1]!, Av[2]! * z[0]! + Av[3]! * z[1]!];
        s += Math.exp(-d2(x, z)) + x[0]! * Az[0]! + x[1]! * Az[1]!;
      }
    }
    expectClose(evalLet(c, 'e_pw', feed).data, [s / 9]);
  });
  it('entropy is excluded from the value, its coefficient is returned, and the gradient checks', () => {
    const solve = c.plan.find((p): p is PlanItem & { kind: 'solve' } => p.kind === 'solve')!;
    const low = lowerObjective(c, solve.stmt);
    expect(low.entropy?.particles).toBe('theta');
    expect(low.entropy?.estimator).toBe('langevin');
    const b = new GraphBuilder(low.graph);
    b.output('coef', low.entropy!.coef, 'value');
    const out = interpret(b.build(), feed);
    expect(out['coef']!.data[0]).toBeCloseTo(1e-3, 12);
    let pw = 0;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) pw += Math.sqrt(d2(row(i), row(j)));
    const expected = th.reduce((s, v) => s + v * v, 0) / 6 + (0.5 * pw) / 9;
    expect(out['F']!.data[0]).toBeCloseTo(expected, 10);
    const [res] = gradcheckGraph(low.graph, 'F', ['theta'], feed);
    expect(res!.maxRelError).toBeLessThan(1e-6);
    expect(low.targets.map((t) => t.name)).toEqual(['theta']);
  });
});

describe('grad, t and randomness inside expressions', () => {
  const src = `
param w: [3] = zeros
let e_g = grad(0.5 * sum(w^2) + sum(sin(w)), w)
let e_r = randn([2, 3])
minimize L = sum(w^2) over w by gd(lr: 0.1) for 1 steps log every 1: e_t = 2 * t + 1
`;
  const c = checked(src);
  it('grad(expr, w) is the reverse-mode gradient', () => {
    const wv = [0.2, -1, 3];
    expectClose(evalLet(c, 'e_g', { w: wv }).data, wv.map((x) => x + Math.cos(x)));
  });
  it('t is a scalar input and randn reads the step rng key with the site stream', () => {
    const solve = c.plan.find((p): p is PlanItem & { kind: 'solve' } => p.kind === 'solve')!;
    const log = solve.stmt.controls.find((k) => k.kind === 'Log')!;
    const item = (log as { items: readonly A.OutputItem[] }).items[0]!;
    const b = new GraphBuilder();
    b.output('e_t', lowerExpr(c, item.expr, b), 'log');
    const g = b.build();
    expect(g.inputs.map((i) => [i.name, i.role])).toEqual([['t', 'scalar']]);
    expect([...interpret(g, { t: 4 })['e_t']!.data]).toEqual([9]);
    const sym = c.symbols.get('e_r')!;
    const call = (sym as { decl: A.LetDecl }).decl.value;
    const r = evalLet(c, 'e_r', { rng: [5, 7] });
    expect(r.shape).toEqual([2, 3]);
    expect(r.data).toEqual([...randnFill(5, siteStream(call.span), 6, 7)]);
  });
});

describe('coverage', () => {
  it('every builtin the checker accepts has a lowering (load is an initializer, schedules live in methods/)', async () => {
    const { BUILTIN_NAMES } = await import('../../compiler/check/builtins.js');
    const { BUILTIN_LOWERINGS } = await import('../../compiler/ir/lower.js');
    const { isSchedule } = await import('../../compiler/methods/schedules.js');
    const missing = BUILTIN_NAMES.filter((n) => n !== 'load' && !isSchedule(n) && !(n in BUILTIN_LOWERINGS));
    expect(missing).toEqual([]);
  });
});

describe('initializer expressions', () => {
  it('randn(seed: k) takes the declared shape and the constant key [k, 0]', () => {
    const c = checked('data Z: [3, 2] = randn(seed: 7) * 0.1\ndata U: [4] = rand(seed: 2)\n');
    for (const [name, scale, fill] of [['Z', 0.1, randnFill], ['U', 1, randFill]] as const) {
      const sym = c.symbols.get(name)!;
      const init = (sym as { decl: A.DataDecl }).decl.init;
      const call = init.kind === 'Binary' ? init.left : init;
      const b = new GraphBuilder();
      b.output(name, lowerExpr(c, init, b), 'value');
      const g = b.build();
      expect(g.inputs).toEqual([]);
      const got = interpret(g, {})[name]!;
      const n = got.data.length;
      expect([...got.data]).toEqual([...fill(name === 'Z' ? 7 : 2, siteStream(call.span), n)].map((v) => v * scale));
    }
  });
});

describe('batched data shapes', () => {
  it('run-time shapes replace declared ones and every derived shape (means included) follows', () => {
    const c = checked(`
data X: [20, 2] = randn(seed: 1) batch 5
data y: [20] = randn(seed: 2) batch 5
param w: [2] = zeros
minimize loss = mean((X @ w - y)^2) + mean(X) over w by sgd(lr: 0.1) for 3 steps
`);
    const solve = c.plan.find((p): p is PlanItem & { kind: 'solve' } => p.kind === 'solve')!;
    const low = lowerObjective(c, solve.stmt, { shapes: { X: [5, 2], y: [5] } });
    expect(low.graph.inputs.map((i) => [i.name, [...i.var.shape]])).toEqual([
      ['w', [2]],
      ['X', [5, 2]],
      ['y', [5]],
    ]);
    const Xb = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const yb = [1, 0, -1, 2, 0.5];
    const wv = [0.5, -0.25];
    const r = [0, 1, 2, 3, 4].map((i) => Xb[2 * i]! * 0.5 - Xb[2 * i + 1]! * 0.25 - yb[i]!);
    const expected = r.reduce((s, v) => s + v * v, 0) / 5 + 55 / 10;
    expect(interpret(low.graph, { X: Xb, y: yb, w: wv })['loss']!.data[0]).toBeCloseTo(expected, 12);
  });
});
