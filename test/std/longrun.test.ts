/**
 * std.longrun reproductions through the real pipeline on wasm: many independent SGD chains
 * x ← x − eta (f'(x) + s(x) ξ). Stationary variances against the discrete-chain closed forms (constant and
 * state-dependent noise) and the tilted double well's well-occupancy log-ratio; plus the occupancy csv/svg
 * the module writes to the run folder. Monte Carlo tolerances are derived from standard errors in each test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
    { eta: 0.01, noise: '1', want: 0.005025, burn: 700, sample: 1500, every: 100, rho: 0.99 ** 200 },
    // state-dependent noise s(x) = sqrt(1 + x^2): E x+^2 = (1 - eta)^2 E x^2 + eta^2 (1 + E x^2), so V = eta / (2 (1 - eta))
    { eta: 0.1, noise: 'sqrt(1 + x^2)', want: 0.1 / (2 * 0.9), burn: 100, sample: 400, every: 20, rho: 0.9 ** 40 },
  ];
  for (const c of cases) {
    it(`eta ${c.eta}, s = ${c.noise}: variance ${c.want.toPrecision(5)}`, async () => {
      const chains = 32768;
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

describe('std.longrun: tilted double well f = (x^2 - 1)^2/4 + 0.05 x, s = 1, eta 0.2', () => {
  it('log(pi(x<0)/pi(x>0)) of the discrete chain is +0.8527 (Gibbs: 0.8879); occupancy csv and svg in the run folder', async () => {
    const chains = 16384;
    const res = await runSource(
      [
        'use std.longrun',
        `param x: [${chains}] = zeros`,
        'data lo: [4] = [-2, -1, 0, 1]',
        'def f(x) = (x^2 - 1)^2 / 4 + 0.05 * x',
        'data centers: [4] = lo + 0.5',
        // Relaxation between the wells takes ~150 steps at eta 0.2 (Kramers rate ~ 0.006/step): 1000 steps of burn-in.
        'phase burn { minimize e = sum(f(x)) over x by sgd(lr: 0.2, noise: 1) for 1000 steps }',
        'phase sample { minimize e = sum(f(x)) over x by sgd(lr: 0.2, noise: 1) for 3000 steps',
        '  log every 100: neg = mean(x < 0)',
        '  record occupancy = occupancy(x, lo, lo + 1), gibbs = gibbs_bins(f(centers), 0.2, 1), centers = centers every 500 to "occ.csv" }',
      ].join('\n') + '\n',
      { writeRun: true },
    );
    const neg = logged(res, 'neg');
    const p = mean(neg);
    const ratio = Math.log(p / (1 - p));
    // One snapshot: sd(p) = sqrt(p(1-p)/chains) = 0.0036, i.e. 0.017 on the log-ratio; snapshots 100 steps apart
    // share ~half their fluctuation (relaxation ~150 steps), so the 31 snapshots give >= 10 independent ones:
    // SE <= 0.0055. ±0.02 is 3.6 SE — and 4× the chain's 0.035 gap to the Gibbs value, so it tells the two apart.
    expect(Math.abs(ratio - 0.8527), `log-ratio ${ratio}`).toBeLessThan(0.02);
    const dir = join(res.dir, 'run');
    const summary = readFileSync(join(dir, 'occ-mean.csv'), 'utf8').trim().split('\n');
    expect(summary[0]).toBe('center,occupancy,gibbs');
    const occ = summary.slice(1).map((l) => l.split(',').map(Number));
    expect(occ.map((r) => r[0])).toEqual([-1.5, -0.5, 0.5, 1.5]);
    // Bins cover [-2, 2): nearly all mass, and the left half holds pi(x < 0).
    const left = occ[0]![1]! + occ[1]![1]!;
    expect(left + occ[2]![1]! + occ[3]![1]!).toBeGreaterThan(0.995);
    expect(Math.abs(left - p)).toBeLessThan(0.02);
    expect(existsSync(join(dir, 'occ.svg'))).toBe(true);
    expect(readFileSync(join(dir, 'occ.svg'), 'utf8')).toMatch(/^<svg[\s\S]*<rect[\s\S]*<polyline[\s\S]*<\/svg>\n$/);
  });
});
