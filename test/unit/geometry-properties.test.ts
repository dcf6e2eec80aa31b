/** Property tests (fast-check): steepest directions are optimal on the unit l_p ball; projections are idempotent and feasible. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { num } from '../helpers/step-harness.js';
import type { Domain } from '../../compiler/check/checked.js';
import { projectDomain } from '../../compiler/geometry/domains.js';
import { dualNorm, steepestDirection } from '../../compiler/geometry/steepest.js';
import { GraphBuilder } from '../../compiler/ir/builder.js';
import type { Var } from '../../compiler/ir/ir.js';
import { interpret } from '../../compiler/ir/interpret.js';

const vec = fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 8 });
const pNorm = (v: readonly number[], p: number) =>
  p === Infinity ? Math.max(...v.map(Math.abs)) : v.reduce((s, x) => s + Math.abs(x) ** p, 0) ** (1 / p);

function steepest(g: readonly number[], p: number) {
  const b = new GraphBuilder();
  const gv = b.input('g', [g.length], 'param');
  b.output('v', steepestDirection(b, gv, p), 'value');
  b.output('n', dualNorm(b, gv, p), 'value');
  const out = interpret(b.build(), { g });
  return { v: Array.from(out['v']!.data), n: out['n']!.data[0]! };
}

function project(x: readonly number[], domain: Domain): number[] {
  const b = new GraphBuilder();
  const xv = b.input('x', [x.length], 'param');
  b.output(
    'y',
    projectDomain(b, xv, domain, (e) => b.const((e as { value: number }).value)),
    'value',
  );
  return Array.from(interpret(b.build(), { x }).y!.data);
}

describe('steepest directions (property)', () => {
  for (const p of [1, 1.5, 2, 3, Infinity]) {
    it(`p = ${p}: |v|_p <= 1, <g, v> = |g|_q, and no feasible u does better`, () => {
      fc.assert(
        fc.property(vec, vec, (g, u0) => {
          const { v, n } = steepest(g, p);
          const value = v.reduce((s, vi, i) => s + vi * g[i]!, 0);
          expect(pNorm(v, p)).toBeLessThanOrEqual(1 + 1e-9);
          expect(Math.abs(value - n)).toBeLessThanOrEqual(1e-9 * (1 + n));
          // Any u scaled into the unit ball is no better than v.
          const u = g.map((_, i) => u0[i % u0.length]!);
          const nu = pNorm(u, p);
          // (nu > 1e-100: squaring denormal probes makes the test's own norm inexact.)
          if (nu > 1e-100) expect(u.reduce((s, ui, i) => s + (ui / nu) * g[i]!, 0)).toBeLessThanOrEqual(value + 1e-9 * (1 + n));
        }),
        { numRuns: 60, seed: 20261128 },
      );
    });
  }
});

describe('domain projections (property)', () => {
  const domains: [string, Domain, (y: number[]) => boolean][] = [
    ['simplex', { kind: 'simplex' }, (y) => y.every((v) => v >= 0) && Math.abs(y.reduce((a, b) => a + b, 0) - 1) < 1e-9],
    ['ball(1, 2)', { kind: 'ball', p: 1, radius: num(2), center: null }, (y) => pNorm(y, 1) <= 2 + 1e-9],
    ['ball(2, 2)', { kind: 'ball', p: 2, radius: num(2), center: null }, (y) => pNorm(y, 2) <= 2 + 1e-9],
    ['ball(inf, 0.5)', { kind: 'ball', p: Infinity, radius: num(0.5), center: null }, (y) => pNorm(y, Infinity) <= 0.5],
    ['box(-1, 0.5)', { kind: 'box', lo: num(-1), hi: num(0.5) }, (y) => y.every((v) => v >= -1 && v <= 0.5)],
  ];
  for (const [label, domain, feasible] of domains) {
    it(`${label}: the result is feasible, projecting twice changes nothing, and it is no farther than any feasible probe`, () => {
      fc.assert(
        fc.property(vec, (x) => {
          const y = project(x, domain);
          expect(feasible(y)).toBe(true);
          project(y, domain).forEach((v, i) => expect(Math.abs(v - y[i]!)).toBeLessThan(1e-9));
          // The projection beats a few feasible points: the projections of scaled copies of x.
          const d2 = (a: readonly number[]) => a.reduce((s, v, i) => s + (v - x[i]!) ** 2, 0);
          for (const scale of [0, 0.5, 2]) {
            const probe = project(
              x.map((v) => v * scale),
              domain,
            );
            expect(d2(y)).toBeLessThanOrEqual(d2(probe) + 1e-9);
          }
        }),
        { numRuns: 60, seed: 20261128 },
      );
    });
  }
});
