/**
 * std.prune reproduction (PAPERS.md) through the real pipeline on wasm: d = 1000, k = 5, v = ±1/sqrt(5) on a
 * random support, y = <v, x>² − 1, n = 2000. The even Hermite statistic recovers the support; spherical GD
 * (lr 0.5, 200 steps) on −E[y He2(<w, x>)] inside the prune mask reaches |<w, v>| ≥ 0.95, and the same
 * without pruning stays ≤ 0.35. Also: the sphere geometry keeps |w| = 1 and pruned entries at exactly 0.
 */
import { describe, expect, it } from 'vitest';
import { logged, runSource } from './run-source.js';

const d = 1000;
// A random support and signs from a seeded LCG (independent of the runtime's rng).
let s = 12345;
const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
const support = new Set<number>();
while (support.size < 5) support.add(Math.floor(next() * d));
const v = Array.from({ length: d }, (_, i) => (support.has(i) ? (next() < 0.5 ? -1 : 1) / Math.sqrt(5) : 0));
const files = { 'v.json': JSON.stringify(v) };

const program = (pruned: boolean) => `use std.prune
data X: [2000, ${d}] = randn(seed: 1)
data v: [${d}] = load("v.json")
data y: [2000] = (X @ v)^2 - 1
data w0: [${d}] = randn(seed: 2)
param w: [${d}] = w0
${pruned ? 'init w from abs(hermite2_stat(X, y))\nprune w keep 5 by magnitude\n' : ''}init w from unit(w0 * (w != 0))
minimize corr = corr2_loss(w, X, y) over w in sphere by gd(lr: 0.5) for 200 steps
  log every 50: overlap = abs(dot(w, v)), norm_w = norm(w), nnz = sum(w != 0), hit = sum((w != 0) * (v != 0))
`;

describe('std.prune', () => {
  it('the top-5 Hermite statistic recovers the support; spherical GD in the mask reaches |<w, v>| >= 0.95', async () => {
    const res = await runSource(program(true), { files });
    expect(logged(res, 'nnz')).toEqual([5, 5, 5, 5, 5]);
    expect(logged(res, 'hit')).toEqual([5, 5, 5, 5, 5]);
    for (const n of logged(res, 'norm_w')) expect(Math.abs(n - 1)).toBeLessThan(1e-6);
    const overlap = logged(res, 'overlap');
    expect(overlap.at(-1)!).toBeGreaterThanOrEqual(0.95);
  }, 60_000);

  it('without pruning the same spherical GD stays at |<w, v>| <= 0.35', async () => {
    const res = await runSource(program(false), { files });
    expect(logged(res, 'nnz')[0]).toBe(d);
    for (const n of logged(res, 'norm_w')) expect(Math.abs(n - 1)).toBeLessThan(1e-5);
    const overlap = logged(res, 'overlap');
    expect(Math.max(...overlap)).toBeLessThanOrEqual(0.35);
  }, 60_000);

  it('sphere: one step equals the Riemannian step computed here (tangent projection, retraction)', async () => {
    const res = await runSource(
      `use std.prune
data c: [4] = [1, -2, 0.5, 3]
param w: [4] = [0.5, 0.5, 0.5, 0.5]
minimize L = dot(c, w) + sum(w^3) over w in sphere by gd(lr: 0.3) for 1 steps
  log every 1: w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3]
`,
    );
    const x = [0.5, 0.5, 0.5, 0.5];
    const g = [1, -2, 0.5, 3].map((c, i) => c + 3 * x[i]! ** 2);
    const gx = g.reduce((a, gi, i) => a + gi * x[i]!, 0);
    const y = x.map((xi, i) => xi - 0.3 * (g[i]! - gx * xi));
    const ny = Math.hypot(...y);
    const want = y.map((yi) => yi / ny);
    const got = ['w0', 'w1', 'w2', 'w3'].map((k) => logged(res, k).at(-1)!);
    for (let i = 0; i < 4; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-6);
  });
});
