/**
 * std.mfld reproductions through the real pipeline on wasm: N-particle mean-field Langevin dynamics
 * x_i ← x_i − eta grad (dF/dmu)(x_i) + sqrt(2 lambda eta) ξ_i written as particles + lambda·entropy(theta).
 * Stationary variance for F = ∫ a x²/2 dmu and the stationary mean bc/(a + b) of the mean-field linear model,
 * for many particles (particles + entropy) and for N = 2 (replicated as independent chains).
 * Monte Carlo tolerances are 5 standard errors, derived in each test.
 */
import { describe, expect, it } from 'vitest';
import { logged, runSource } from './run-source.js';

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe('std.mfld', () => {
  it('F = ∫ x²/2 dmu, lambda 0.5, eta 0.1: stationary variance lambda/(a(1 − eta a/2)) = 0.526316', async () => {
    const m = 32768;
    const res = await runSource(
      [
        'use std.mfld',
        `particles theta: [${m}, 1] = zeros`,
        'phase burn { minimize F = mean(0.5 * theta^2) + 0.5 * entropy(theta) over theta by gd(lr: 0.1) for 100 steps }',
        'phase sample { minimize F = mean(0.5 * theta^2) + 0.5 * entropy(theta) over theta by gd(lr: 0.1) for 400 steps',
        '  log every 20: v = second_moment(theta) }',
      ].join('\n') + '\n',
    );
    const v = logged(res, 'v');
    expect(v).toHaveLength(21);
    // x+ = 0.9 x + sqrt(0.1) ξ: x² of m iid normals has relative SE sqrt(2/m); snapshots 20 steps apart are
    // correlated by 0.9^40 = 0.015, i.e. essentially independent.
    const want = 0.5 / (1 - 0.05);
    expect(want).toBeCloseTo(0.526316, 6);
    const se = want * Math.sqrt(2 / (m * v.length));
    expect(Math.abs(mean(v) - want), `variance ${mean(v)}`).toBeLessThan(5 * se);
    // The continuous-time value lambda/a = 0.5 is 0.026 away: far outside, so the O(eta) bias is resolved.
    expect(Math.abs(mean(v) - 0.5)).toBeGreaterThan(20 * se);
  });

  it('mean-field linear model (a 1, b 4, c 1, lambda 0.1, eta 0.05), 1000 particles: stationary mean 0.8', async () => {
    const res = await runSource(
      [
        'use std.mfld',
        'particles theta: [1000, 1] = zeros',
        'let F0 = 2 * (mean(theta) - 1)^2 + 0.5 * mean(theta^2)',
        'phase burn { minimize F = F0 + 0.1 * entropy(theta) over theta by gd(lr: 0.05) for 400 steps }',
        'phase sample { minimize F = F0 + 0.1 * entropy(theta) over theta by gd(lr: 0.05) for 2000 steps log every 20: xbar = mean(theta) }',
      ].join('\n') + '\n',
    );
    const xbar = logged(res, 'xbar');
    // The mean follows x̄+ = 0.75 x̄ + 0.2 + (0.1/sqrt(N)) ξ̄: Var(x̄) = 0.01/N/(1 − 0.75²) = 2.29e-5 at N = 1000,
    // and snapshots 20 steps apart are uncorrelated (0.75^20 = 0.003): SE = sqrt(2.29e-5/101) = 4.8e-4.
    const se = Math.sqrt(0.01 / 1000 / (1 - 0.5625) / xbar.length);
    expect(Math.abs(mean(xbar) - 0.8), `mean ${mean(xbar)}`).toBeLessThan(5 * se);
  });

  it('the same model with N = 2 particles (4096 independent replicas): stationary mean 0.8 for every N', async () => {
    const R = 4096;
    // Replica r holds N = 2 particles; N·F(mu_r) summed over replicas has gradient b(x̄_r − c) + a x_ri per particle,
    // the MFLD velocity, and langevin(temperature: lambda) adds the same sqrt(2 lambda eta) ξ.
    const res = await runSource(
      [
        'use std.mfld',
        `param X: [${R}, 2] = zeros`,
        'let G = sum(4 * (mean(X, axis: 1) - 1)^2 + 0.5 * sum(X^2, axis: 1))',
        'phase burn { minimize G1 = G over X by langevin(lr: 0.05, temperature: 0.1) for 400 steps }',
        'phase sample { minimize G2 = G over X by langevin(lr: 0.05, temperature: 0.1) for 400 steps log every 20: xbar = mean(X) }',
      ].join('\n') + '\n',
    );
    const xbar = logged(res, 'xbar');
    // Var(x̄_r) = 0.01/2/0.4375 = 0.0114; averaged over R replicas and 21 uncorrelated snapshots.
    const se = Math.sqrt(0.01 / 2 / 0.4375 / R / xbar.length);
    expect(Math.abs(mean(xbar) - 0.8), `mean ${mean(xbar)}`).toBeLessThan(5 * se);
  });
});
