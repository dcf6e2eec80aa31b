/**
 * std.longrun reproductions through the real pipeline on wasm: many independent SGD chains
 * x ← x − eta (f'(x) + s(x) ξ) on f = x²/2; stationary variances against the discrete-chain closed forms
 * (constant and state-dependent noise). Monte Carlo tolerances are derived from standard errors in each test.
 */
import { describe, expect, it } from 'vitest';
import { logged, runSource } from './run-source.js';

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** Chains on f = x^2/2 from 0: a burn-in phase, then a sampling phase logging mean(x^2) every `every` steps. */
const quadratic = (chains: number, eta: number, noise: string, burn: number, sample: number, every: number) =>
  [
    'use std.longrun',
    `param x: [${chains}] = zeros`,
    `phase burn { minimize f = sum(0.5 * x^2) over x by sgd(lr: ${eta}, noise: ${noise}) for ${burn} steps }`,
    `phase sample { minimize f = sum(0.5 * x^2) over x by sgd(lr: ${eta}, noise: ${noise}) for ${sample} steps log every ${every}: v = mean(x^2), m = mean(x) }`,
  ].join('\n') + '\n';

describe('std.longrun: stationary variance of SGD on f = x^2/2', () => {
  // The sample variance of N iid normals has relative standard error sqrt(2/N); snapshots `every` steps apart
  // are correlated by (1 - eta)^(2 every) (0.015 for eta 0.1 / 20 steps, 0.13 for eta 0.01 / 100 steps), so the
  // effective count is about chains × snapshots; the tolerance is 5 standard errors (inflated by the correlation).
  const cases = [
    { eta: 0.1, noise: '1', want: 0.052632, burn: 100, sample: 400, every: 20, rho: 0.9 ** 40 },
    { eta: 0.01, noise: '1', want: 0.005025, burn: 500, sample: 1000, every: 100, rho: 0.99 ** 200 },
    // state-dependent noise s(x) = sqrt(1 + x^2): E x+^2 = (1 - eta)^2 E x^2 + eta^2 (1 + E x^2), so V = eta / (2 (1 - eta))
    { eta: 0.1, noise: 'sqrt(1 + x^2)', want: 0.1 / (2 * 0.9), burn: 100, sample: 400, every: 20, rho: 0.9 ** 40 },
  ];
  for (const c of cases) {
    it(`eta ${c.eta}, s = ${c.noise}: variance ${c.want.toPrecision(5)}`, async () => {
      const chains = c.eta < 0.05 ? 16384 : 32768;
      const res = await runSource(quadratic(chains, c.eta, c.noise, c.burn, c.sample, c.every));
      const v = logged(res, 'v');
      expect(v).toHaveLength(c.sample / c.every + 1);
      const se = c.want * Math.sqrt(2 / (chains * v.length)) * Math.sqrt((1 + c.rho) / (1 - c.rho));
      // State-dependent noise has heavier tails (x^2 has a larger variance than 2 V^2): allow twice the bound there.
      const tol = 5 * se * (c.noise === '1' ? 1 : 2);
      expect(Math.abs(mean(v) - c.want), `mean variance ${mean(v)} vs ${c.want} (tolerance ${tol})`).toBeLessThan(tol);
      expect(Math.abs(mean(logged(res, 'm')))).toBeLessThan(5 * Math.sqrt(c.want / chains));
    });
  }
});

