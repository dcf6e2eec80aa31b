/**
 * std.longrun reproduction through the real pipeline on wasm: the tilted double well's well-occupancy
 * log-ratio of many independent SGD chains against the discrete chain's value, and the occupancy csv/svg the
 * module writes to the run folder. The Monte Carlo tolerance is derived from the standard error in the test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logged, runSource } from './run-source.js';

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;

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
        'phase sample { minimize e = sum(f(x)) over x by sgd(lr: 0.2, noise: 1) for 2000 steps',
        '  log every 100: neg = mean(x < 0)',
        '  record occupancy = occupancy(x, lo, lo + 1), gibbs = gibbs_bins(f(centers), 0.2, 1), centers = centers every 500 to "occ.csv" }',
      ].join('\n') + '\n',
      { writeRun: true },
    );
    const neg = logged(res, 'neg');
    const p = mean(neg);
    const ratio = Math.log(p / (1 - p));
    // One snapshot: sd(p) = sqrt(p(1-p)/chains) = 0.0036, i.e. 0.017 on the log-ratio; the well-switching
    // relaxation is ~150 steps, so the 21 snapshots over 2000 steps hold ~13 independent ones: SE ≈ 0.0047.
    // ±0.02 is 4.2 SE — and well inside the chain's 0.035 gap to the Gibbs value, so it tells the two apart.
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
