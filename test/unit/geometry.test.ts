/** Geometries vs closed forms: steepest directions, IFGSM, entropic / burg / potential mirror steps, preconditioning. */
import { describe, expect, it } from 'vitest';
import '../../compiler/geometry/builtin.js';
import { geometryRule } from '../../compiler/geometry/registry.js';
import { dualNorm, steepestDirection } from '../../compiler/geometry/steepest.js';
import { GraphBuilder } from '../../compiler/ir/builder.js';
import type { Var } from '../../compiler/ir/ir.js';
import { interpret } from '../../compiler/ir/interpret.js';
import { buildHarness, geometryAnn, name, num, runSteps } from '../helpers/step-harness.js';

const G = [1, -2, 0.5];

function direction(p: number, g = G) {
  const b = new GraphBuilder();
  const gv = b.input('g', [g.length], 'param');
  b.output('v', steepestDirection(b, gv, p), 'value');
  b.output('dual', dualNorm(b, gv, p), 'value');
  const out = interpret(b.build(), { g });
  const v = Array.from(out['v']!.data);
  return { v, value: v.reduce((a, vi, i) => a + vi * g[i]!, 0), dual: out['dual']!.data[0]! };
}

describe('steepest directions argmax_{|v|_p <= 1} <g, v>', () => {
  it('linf: sign g, value |g|_1 = 3.5', () => {
    const d = direction(Infinity);
    expect(d.v).toEqual([1, -1, 1]);
    expect(d.value).toBeCloseTo(3.5, 14);
    expect(d.dual).toBeCloseTo(3.5, 14);
  });
  it('l2: g / |g|_2 with |g|_2 = 2.291288', () => {
    const d = direction(2);
    const n = Math.hypot(...G);
    expect(n).toBeCloseTo(2.291288, 6);
    d.v.forEach((vi, i) => expect(vi).toBeCloseTo(G[i]! / n, 14));
    expect(d.value).toBeCloseTo(n, 14);
  });
  it('l1: the largest coordinate with its sign, value |g|_inf = 2; ties go to the first', () => {
    const d = direction(1);
    expect(d.v.map((v) => v + 0)).toEqual([0, -1, 0]);
    expect(d.value).toBe(2);
    expect(direction(1, [3, -3, 1]).v.map((v) => v + 0)).toEqual([1, 0, 0]); // + 0 folds -0
  });
  it('general p = 3: |v|_3 = 1 and <g, v> = |g|_{3/2} (the dual norm attained)', () => {
    const d = direction(3);
    const norm3 = Math.cbrt(d.v.reduce((a, vi) => a + Math.abs(vi) ** 3, 0));
    const q = 1.5;
    const dualQ = G.reduce((a, gi) => a + Math.abs(gi) ** q, 0) ** (1 / q);
    expect(norm3).toBeCloseTo(1, 12);
    expect(d.value).toBeCloseTo(dualQ, 12);
    expect(d.dual).toBeCloseTo(dualQ, 12);
  });
  it('a zero gradient gives a zero direction, not NaN', () => {
    for (const p of [Infinity, 2, 1, 3]) expect(direction(p, [0, 0, 0]).v.map(Math.abs)).toEqual([0, 0, 0]);
  });
});

describe('IFGSM: linf ascent with projection onto ball(inf, eps)', () => {
  const w = [0.5, -2, 1e-3, 3];
  const wl1 = 5.501;
  for (const float32 of [false, true]) {
    it(`E_k - E_0 = min(k tau, eps) |w|_1 ${float32 ? '(float32, 1e-6)' : '(float64)'}`, () => {
      const h = buildHarness({
        targets: [
          {
            name: 'delta',
            shape: [4],
            domain: { kind: 'ball', p: Infinity, radius: num(0.1), center: null },
            geometry: (env, t) => geometryRule('linf').lower(env, geometryAnn('linf'), t, {}),
          },
        ],
        objective: (b, [x]) => b.sum(b.mul(b.tensor(w, [4]), x!)),
        method: 'gd',
        options: { lr: 0.03 },
        sense: 'maximize',
      });
      const r = runSteps(h, { delta: [0, 0, 0, 0] }, 5, { float32 });
      const want = [0, 0.16503, 0.33006, 0.49509, 0.5501, 0.5501];
      r.values.forEach((v, k) => {
        const e = v['delta']!.reduce((a, d, i) => a + d * w[i]!, 0);
        expect(Math.abs(e - want[k]!)).toBeLessThan(1e-6);
        expect(Math.abs(e - Math.min(k * 0.03, 0.1) * wl1)).toBeLessThan(1e-6);
      });
    });
  }
});

const softmax = (z: readonly number[]) => {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

describe('mirror(entropy) on the simplex: exponentiated gradient in the log domain', () => {
  const c = [0.3, 0.1, 0.5];
  const entropic = (objective: Parameters<typeof buildHarness>[0]['objective']) =>
    buildHarness({
      targets: [
        {
          name: 'p',
          shape: [3],
          domain: { kind: 'simplex' },
          geometry: (env, t) => geometryRule('mirror').lower(env, geometryAnn('mirror', [name('entropy')]), t, {}),
        },
      ],
      objective,
      method: 'gd',
      options: { lr: 1 },
    });
  const linear = (b: GraphBuilder, [p]: readonly Var[]) => b.sum(b.mul(b.tensor(c, [3]), p!));
  it('from uniform with linear cost, x_k = softmax(-k lr c); after 5 steps (0.244728, 0.665241, 0.090031)', () => {
    const r = runSteps(entropic(linear), { p: [1 / 3, 1 / 3, 1 / 3] }, 5);
    r.values.forEach((v, k) => {
      const want = softmax(c.map((ci) => -k * ci));
      v['p']!.forEach((pi, i) => expect(pi).toBeCloseTo(want[i]!, 14));
    });
    const p5 = r.values[5]!['p']!;
    [0.244728, 0.665241, 0.090031].forEach((want, i) => expect(Math.abs(p5[i]! - want)).toBeLessThan(1e-6));
  });
  it('stays finite and on the simplex for 1000 float32 steps, even with an entropy term p log p in the cost', () => {
    const withEntropy = (b: GraphBuilder, [p]: readonly Var[]) =>
      b.add(linear(b, [p!]), b.mul(0.01, b.sum(b.mul(p!, b.unary('log', p!)))));
    for (const h of [entropic(linear), entropic(withEntropy)]) {
      const r = runSteps(h, { p: [1 / 3, 1 / 3, 1 / 3] }, 1000, { float32: true });
      for (const v of r.values) {
        expect(v['p']!.every(Number.isFinite)).toBe(true);
        expect(Math.abs(v['p']!.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
      }
      expect(r.values[1000]!['p']![1]).toBeGreaterThan(0.99);
    }
  });
});

describe('other mirror maps', () => {
  const g = [0.5, -1, 2];
  const x0 = [0.5, 2, 1];
  const lin = (b: GraphBuilder, [x]: readonly Var[]) => b.sum(b.mul(b.tensor(g, [3]), x!));
  const mirrorStep = (
    map: Parameters<typeof geometryAnn>[1],
    fns: Record<string, (b: GraphBuilder, x: Var) => Var> = {},
    lr = 0.1,
  ) => {
    const h = buildHarness({
      targets: [
        {
          name: 'x',
          shape: [3],
          domain: { kind: 'positive' },
          geometry: (env, t) =>
            geometryRule('mirror').lower(
              { ...env, call: (fn, arg) => fns[(fn as { name: string }).name]!(env.b, arg) },
              geometryAnn('mirror', map),
              t,
              {},
            ),
        },
      ],
      objective: lin,
      method: 'gd',
      options: { lr },
    });
    return runSteps(h, { x: x0 }, 1).values[1]!['x']!;
  };
  it('entropy on positive: x exp(-lr g)', () => {
    mirrorStep([name('entropy')]).forEach((v, i) => expect(v).toBeCloseTo(x0[i]! * Math.exp(-0.1 * g[i]!), 14));
  });
  it('burg: 1/x+ = 1/x + lr g; a step past the pole is floored at 1/x+ = 1e-30', () => {
    mirrorStep([name('burg')]).forEach((v, i) => expect(v).toBeCloseTo(1 / (1 / x0[i]! + 0.1 * g[i]!), 14));
    const far = mirrorStep([name('burg')], {}, 1); // 1/2 + 1 * (-1) < 0 for the second coordinate
    expect(far[1]! / 1e30).toBeCloseTo(1, 12);
  });
  it('quadratic is the euclidean step', () => {
    mirrorStep([name('quadratic')]).forEach((v, i) => expect(v).toBeCloseTo(x0[i]! - 0.1 * g[i]!, 14));
  });
  it('potential(phi) with phi = sum(x log x - x): derived gradient log x, Newton inverse = the entropic step', () => {
    const phi = (b: GraphBuilder, x: Var) => b.sub(b.mul(x, b.unary('log', x)), x);
    const call = {
      kind: 'Call',
      callee: { kind: 'Ident', name: 'potential', span: num(0).span },
      args: [{ kind: 'Arg', name: null, value: name('phi'), span: num(0).span }],
      span: num(0).span,
    } as const;
    mirrorStep([call], { phi }).forEach((v, i) => expect(v).toBeCloseTo(x0[i]! * Math.exp(-0.1 * g[i]!), 12));
  });
});

describe('precondition', () => {
  const x0 = [1, -1];
  // f = 0.5 |x - (2, 1)|^2, g = x - (2, 1) = (-1, -2) at x0.
  const f = (b: GraphBuilder, [x]: readonly Var[]) => b.mul(0.5, b.sum(b.unary('square', b.sub(x!, b.tensor([2, 1], [2])))));
  const run = (
    ann: ReturnType<typeof geometryAnn>,
    expr: (b: GraphBuilder) => Var,
    fns: Record<string, (b: GraphBuilder, x: Var) => Var> = {},
  ) => {
    const h = buildHarness({
      targets: [
        {
          name: 'x',
          shape: [2],
          geometry: (env, t) =>
            geometryRule('precondition').lower(
              { ...env, expr: () => expr(env.b), call: (fn, arg) => fns[(fn as { name: string }).name]!(env.b, arg) },
              ann,
              t,
              {},
            ),
        },
      ],
      objective: f,
      method: 'gd',
      options: { lr: 0.5 },
    });
    return runSteps(h, { x: x0 }, 1).values[1]!['x']!;
  };
  it('matrix P: x - lr P g', () => {
    const P = [2, 1, 0, 3]; // non-symmetric on purpose: P g, not P' g
    const got = run(geometryAnn('precondition', [name('P')]), (b) => b.tensor(P, [2, 2]));
    expect(got[0]).toBeCloseTo(1 - 0.5 * (2 * -1 + 1 * -2), 14);
    expect(got[1]).toBeCloseTo(-1 - 0.5 * (3 * -2), 14);
  });
  it('vector P: a diagonal preconditioner', () => {
    const got = run(geometryAnn('precondition', [name('P')]), (b) => b.tensor([4, 0.5], [2]));
    expect(got).toEqual([1 - 0.5 * 4 * -1, -1 - 0.5 * 0.5 * -2]);
  });
  it('dual: hstar = 0.5 g A g with A symmetric gives direction A g (grad derived by reverse mode)', () => {
    const A = [2, 1, 1, 3];
    const hstar = (b: GraphBuilder, g: Var) =>
      b.mul(0.5, b.sum(b.mul(g, b.reshape(b.matmul(b.tensor(A, [2, 2]), b.reshape(g, [2, 1])), [2]))));
    const got = run(
      geometryAnn('precondition', [['dual', name('hstar')]]),
      () => {
        throw new Error('unused');
      },
      { hstar },
    );
    expect(got[0]).toBeCloseTo(1 - 0.5 * (2 * -1 + 1 * -2), 12);
    expect(got[1]).toBeCloseTo(-1 - 0.5 * (1 * -1 + 3 * -2), 12);
  });
});

describe('precondition shapes', () => {
  const apply = async (P: number[], pShape: number[], g: number[], gShape: number[], perRow = false) => {
    const { applyPreconditioner } = await import('../../compiler/geometry/precondition.js');
    const b = new GraphBuilder();
    const gv = b.input('g', gShape, 'param');
    b.output('d', applyPreconditioner(b, b.tensor(P, pShape), gv, perRow), 'value');
    return Array.from(interpret(b.build(), { g }).d!.data);
  };
  it('[d, d] on particle rows (even when m = d), [n, n] on flattened entries, same-shape as diagonal', async () => {
    const P = [1, 2, 3, 4];
    const g = [1, 10, 100, 1000];
    // rows: (P g_i) for rows (1, 10) and (100, 1000)
    expect(await apply(P, [2, 2], g, [2, 2], true)).toEqual([21, 43, 2100, 4300]);
    // a param of the same shape: diagonal
    expect(await apply(P, [2, 2], g, [2, 2])).toEqual([1, 20, 300, 4000]);
    // [4, 4] on the flattened [2, 2] entries
    const P4 = Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 2 : i === 1 ? 1 : 0)); // 2 I + e_0 e_1'
    expect(await apply(P4, [4, 4], g, [2, 2])).toEqual([12, 20, 200, 2000]);
  });
});
