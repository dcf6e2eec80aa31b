/** Domain projections vs independent references, and layerwise duality maps vs closed forms. */
import { describe, expect, it } from 'vitest';
import type * as A from '../../compiler/ast/ast.js';
import type { Domain } from '../../compiler/check/checked.js';
import { projectDomain, POSITIVE_FLOOR } from '../../compiler/geometry/domains.js';
import { dualityMap, layerDualNorm, type LayerNorm } from '../../compiler/geometry/layerwise.js';
import '../../compiler/geometry/builtin.js';
import { geometryRule } from '../../compiler/geometry/registry.js';
import { GraphBuilder } from '../../compiler/ir/builder.js';
import type { Var } from '../../compiler/ir/ir.js';
import { interpret } from '../../compiler/ir/interpret.js';
import { buildHarness, geometryAnn, name, num, runSteps } from '../helpers/step-harness.js';

function rand(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 4 - 2;
}

const tensorLit = (v: readonly number[]): A.Expr => ({
  kind: 'Tensor',
  elements: v.map(num),
  span: { file: 't', start: 0, end: 0 },
});

function project(x: readonly number[], shape: readonly number[], domain: Domain): number[] {
  const b = new GraphBuilder();
  const xv = b.input('x', shape, 'param');
  const lit = (e: A.Expr): Var =>
    e.kind === 'Number'
      ? b.const(e.value)
      : b.tensor(
          (e as A.TensorLit).elements.map((n) => (n as A.NumberLit).value),
          [(e as A.TensorLit).elements.length],
        );
  b.output('y', projectDomain(b, xv, domain, lit), 'value');
  return Array.from(interpret(b.build(), { x }).y!.data);
}

/** Sort-based simplex projection (Held et al.; Duchi et al. 2008), written independently. */
function simplexRef(v: readonly number[], z = 1): number[] {
  const u = [...v].sort((a, b) => b - a);
  let css = 0;
  let theta = 0;
  for (let k = 0; k < u.length; k++) {
    css += u[k]!;
    const t = (css - z) / (k + 1);
    if (u[k]! - t > 0) theta = t;
  }
  return v.map((x) => Math.max(x - theta, 0));
}

/** l1-ball projection by bisection on the soft-threshold level. */
function l1BallRef(v: readonly number[], r: number): number[] {
  if (v.reduce((s, x) => s + Math.abs(x), 0) <= r) return [...v];
  let lo = 0;
  let hi = Math.max(...v.map(Math.abs));
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    const s = v.reduce((acc, x) => acc + Math.max(Math.abs(x) - mid, 0), 0);
    if (s > r) lo = mid;
    else hi = mid;
  }
  return v.map((x) => Math.sign(x) * Math.max(Math.abs(x) - hi, 0));
}

describe('domain projections', () => {
  const r = rand(42);
  it('simplex: each last-axis row equals the sort-based reference (random vectors)', () => {
    for (let trial = 0; trial < 20; trial++) {
      const x = Array.from({ length: 12 }, r);
      const got = project(x, [3, 4], { kind: 'simplex' });
      for (let row = 0; row < 3; row++) {
        const want = simplexRef(x.slice(row * 4, row * 4 + 4));
        want.forEach((w, i) => expect(got[row * 4 + i]).toBeCloseTo(w, 12));
      }
    }
  });
  it('ball(1, r): inside unchanged, outside equals the bisection reference', () => {
    for (let trial = 0; trial < 20; trial++) {
      const x = Array.from({ length: 6 }, r);
      const radius = trial % 2 === 0 ? 1.5 : 100;
      const got = project(x, [6], { kind: 'ball', p: 1, radius: num(radius), center: null });
      l1BallRef(x, radius).forEach((w, i) => expect(got[i]).toBeCloseTo(w, 9));
    }
  });
  it('ball(2, r, center): rescales x - center onto the sphere when outside', () => {
    const c = [1, 1, 1];
    const x = [4, 5, 1];
    const got = project(x, [3], { kind: 'ball', p: 2, radius: num(2.5), center: tensorLit(c) });
    const n = Math.hypot(3, 4, 0);
    got.forEach((v, i) => expect(v).toBeCloseTo(c[i]! + ((x[i]! - c[i]!) * 2.5) / n, 12));
    expect(project([1.5, 1, 1], [3], { kind: 'ball', p: 2, radius: num(2.5), center: tensorLit(c) })).toEqual([1.5, 1, 1]);
  });
  it('ball(inf, r, center): clips around the center; box(lo, hi) clips; positive floors at a tiny value', () => {
    expect(project([0.5, -3, 2.05], [3], { kind: 'ball', p: Infinity, radius: num(0.1), center: tensorLit([0, -1, 2]) })).toEqual(
      [0.1, -1.1, 2.05],
    );
    expect(project([-2, 0.5, 7], [3], { kind: 'box', lo: num(-1), hi: num(1) })).toEqual([-1, 0.5, 1]);
    expect(project([-2, 0, 3], [3], { kind: 'positive' })).toEqual([POSITIVE_FLOOR, POSITIVE_FLOOR, 3]);
  });
});

// ── layerwise ──
const G = [1.2, -0.4, 0.3, 2.1, -0.7, 0.5]; // 3 x 2

function mapOf(norm: LayerNorm, g: readonly number[], shape: readonly number[]) {
  const b = new GraphBuilder();
  const gv = b.input('g', shape, 'param');
  b.output('rho', dualityMap(b, norm, gv), 'value');
  b.output('dual', layerDualNorm(b, norm, gv), 'value');
  const out = interpret(b.build(), { g });
  return { rho: Array.from(out['rho']!.data), dual: out['dual']!.data[0]! };
}

describe('layerwise duality maps', () => {
  it("spectral: |G|_nuclear U V' by Newton–Schulz equals G (G'G)^(-1/2) trace((G'G)^(1/2)) (2x2 closed form)", () => {
    // M = G'G (2x2); sqrt(M) = (M + sqrt(det M) I) / sqrt(tr M + 2 sqrt(det M)).
    const g = [
      [G[0]!, G[1]!],
      [G[2]!, G[3]!],
      [G[4]!, G[5]!],
    ];
    const M = [0, 1].map((i) => [0, 1].map((j) => g.reduce((s, r) => s + r[i]! * r[j]!, 0)));
    const det = M[0]![0]! * M[1]![1]! - M[0]![1]! * M[1]![0]!;
    const sd = Math.sqrt(det);
    const t = Math.sqrt(M[0]![0]! + M[1]![1]! + 2 * sd);
    const R = [
      [(M[0]![0]! + sd) / t, M[0]![1]! / t],
      [M[1]![0]! / t, (M[1]![1]! + sd) / t],
    ];
    const detR = R[0]![0]! * R[1]![1]! - R[0]![1]! * R[1]![0]!;
    const Rinv = [
      [R[1]![1]! / detR, -R[0]![1]! / detR],
      [-R[1]![0]! / detR, R[0]![0]! / detR],
    ];
    const polar = g.map((row) => [0, 1].map((j) => row[0]! * Rinv[0]![j]! + row[1]! * Rinv[1]![j]!));
    const nuclear = R[0]![0]! + R[1]![1]!;
    const got = mapOf('spectral', G, [3, 2]);
    expect(got.dual).toBeCloseTo(nuclear, 10);
    polar.flat().forEach((p, i) => expect(got.rho[i]).toBeCloseTo(nuclear * p, 9));
  });
  it('linf: |g|_1 sign g; frobenius and l2: identity', () => {
    const l1 = G.reduce((s, v) => s + Math.abs(v), 0);
    const got = mapOf('linf', G, [3, 2]);
    got.rho.forEach((v, i) => expect(v).toBeCloseTo(l1 * Math.sign(G[i]!), 14));
    expect(got.dual).toBeCloseTo(l1, 14);
    expect(mapOf('frobenius', G, [3, 2]).rho).toEqual(G);
    expect(mapOf('l2', G, [6]).dual).toBeCloseTo(Math.hypot(...G), 14);
  });
  it('layerwise(frobenius, linf) over two targets runs with gd: each target steps along its own map', () => {
    const a = [1, -2];
    const c = [0.5, 0.25, -1];
    const h = buildHarness({
      targets: [
        {
          name: 'u',
          shape: [2],
          geometry: (env, t) =>
            geometryRule('layerwise').lower(env, geometryAnn('layerwise', [name('frobenius'), name('linf')]), t, { layer: 0 }),
        },
        {
          name: 'v',
          shape: [3],
          geometry: (env, t) =>
            geometryRule('layerwise').lower(env, geometryAnn('layerwise', [name('frobenius'), name('linf')]), t, { layer: 1 }),
        },
      ],
      // f = <a, u> + <c, v>: gradients a and c.
      objective: (b, [u, v]) => b.add(b.sum(b.mul(b.tensor(a, [2]), u!)), b.sum(b.mul(b.tensor(c, [3]), v!))),
      method: 'gd',
      options: { lr: 0.1 },
    });
    const r = runSteps(h, { u: [0, 0], v: [0, 0, 0] }, 1).values[1]!;
    r['u']!.forEach((x, i) => expect(x).toBeCloseTo(-0.1 * a[i]!, 14));
    r['v']!.forEach((x, i) => expect(x).toBeCloseTo(-0.1 * 1.75 * Math.sign(c[i]!), 14));
  });
});
