/**
 * std.mirror and the mirror maps of std.wasserstein through the real pipeline on wasm: entropic mirror descent
 * on a linear cost (x_k = softmax(−k tau c), finite for hundreds of steps), the std.mirror potentials
 * recognized as their closed forms, and the box and ball mirror maps against their float64 closed forms
 * (for a linear cost the dual point moves linearly: y_k = grad phi(x_0) − k tau c).
 */
import { describe, expect, it } from 'vitest';
import { logged, runSource } from './run-source.js';

const softmax = (v: readonly number[]) => {
  const m = Math.max(...v);
  const e = v.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

describe('std.mirror', () => {
  for (const geometry of ['mirror(entropy)', 'mirror(potential(neg_entropy))']) {
    it(`${geometry}: linear cost c = (0.3, 0.1, 0.5) from uniform, tau 1 — x_5 = softmax(−5c), finite after 300 steps`, async () => {
      const src = (steps: number) =>
        [
          'use std.mirror',
          'data c: [3] = [0.3, 0.1, 0.5]',
          'param x: [3] in simplex = uniform',
          `minimize cost = dot(c, x) over x in ${geometry} by gd(lr: 1) for ${steps} steps log every ${steps}: cost`,
        ].join('\n') + '\n';
      const five = await runSource(src(5));
      const want = softmax([-1.5, -0.5, -2.5]);
      expect(want.map((v) => +v.toFixed(6))).toEqual([0.244728, 0.665241, 0.090031]);
      Array.from(five.params['x']!.data).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-6));
      const long = await runSource(src(300));
      const x = Array.from(long.params['x']!.data);
      x.forEach((v) => expect(Number.isFinite(v)).toBe(true));
      // softmax(−300 c): the second coordinate holds all but e^-60 of the mass.
      expect(x[1]!).toBeCloseTo(1, 6);
      expect(logged(long, 'cost')[1]!).toBeCloseTo(0.1, 6);
    });
  }

  it('kl_div and itakura_saito are the Bregman divergences of neg_entropy and burg_entropy', async () => {
    const res = await runSource(
      [
        'use std.mirror',
        'data p: [3] = [0.2, 0.5, 0.3]',
        'data q: [3] = [0.4, 0.4, 0.2]',
        'param z: [1] = zeros',
        'minimize o = sum(z^2) over z by gd(lr: 0.1) for 1 steps',
        '  log every 1: kl = kl_div(p, q), is = itakura_saito(p, q), b = neg_entropy(p) - neg_entropy(q) - dot(log(q) + 1, p - q)',
      ].join('\n') + '\n',
    );
    const p = [0.2, 0.5, 0.3];
    const q = [0.4, 0.4, 0.2];
    const kl = p.reduce((s, v, i) => s + v * Math.log(v / q[i]!), 0);
    const is = p.reduce((s, v, i) => s + v / q[i]! - Math.log(v / q[i]!) - 1, 0);
    expect(logged(res, 'kl')[0]!).toBeCloseTo(kl, 6);
    expect(logged(res, 'b')[0]!).toBeCloseTo(kl, 6);
    expect(logged(res, 'is')[0]!).toBeCloseTo(is, 6);
  });
});

describe('std.wasserstein mirror maps (closed forms)', () => {
  const c = [0.8, -1.5, 0.05, 3];
  const run = (geometry: string, use: string, steps: number) =>
    runSource(
      [
        use,
        `data c: [4] = [${c.join(', ')}]`,
        'param x: [4] = zeros',
        `minimize cost = dot(c, x) over x in ${geometry} by gd(lr: 0.1) for ${steps} steps`,
      ].join('\n') + '\n',
    );

  it('box_mirror: x_k = y/(1 + sqrt(1 + y^2)), y = −k tau c; potential(box_potential) (Newton) agrees', async () => {
    for (const steps of [1, 20]) {
      const want = c.map((ci) => -steps * 0.1 * ci).map((y) => y / (1 + Math.sqrt(1 + y * y)));
      const box = await run('box_mirror', 'use std.wasserstein', steps);
      Array.from(box.params['x']!.data).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-6));
      const newton = await run('mirror(potential(box_potential), newton: 8)', 'use std.mirror', steps);
      Array.from(newton.params['x']!.data).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-5));
    }
  });

  it('ball_mirror(gamma: 0.5, R: 4): x_k = R y/(sqrt(R|y|^2 + gamma^2) + gamma), inside the ball', async () => {
    const [gamma, R] = [0.5, 4];
    for (const steps of [1, 50]) {
      const y = c.map((ci) => -steps * 0.1 * ci);
      const ny = y.reduce((s, v) => s + v * v, 0);
      const want = y.map((v) => (R * v) / (Math.sqrt(R * ny + gamma * gamma) + gamma));
      const res = await run(`ball_mirror(gamma: ${gamma}, R: ${R})`, 'use std.wasserstein', steps);
      const x = Array.from(res.params['x']!.data);
      x.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-6));
      expect(x.reduce((s, v) => s + v * v, 0)).toBeLessThan(R);
    }
  });
});

describe('mirror Langevin (std.wasserstein box_mirror)', () => {
  it('V = −2 Σ log(1 − x²) on (−1, 1): the chains sample exp(−V) ∝ (1 − x²)², E x² = 1/7', async () => {
    const chains = 16384;
    const res = await runSource(
      [
        'use std.wasserstein',
        `param x: [${chains}] = zeros`,
        'phase burn { minimize V = sum(-2 * log(1 - x^2)) over x in box_mirror by langevin(lr: 0.01, temperature: 1) for 300 steps }',
        'phase sample { minimize V = sum(-2 * log(1 - x^2)) over x in box_mirror by langevin(lr: 0.01, temperature: 1) for 300 steps',
        '  log every 30: v = mean(x^2), m = mean(x), inside = max(abs(x)) }',
      ].join('\n') + '\n',
    );
    const v = logged(res, 'v');
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    // ∫x²(1 − x²)² / ∫(1 − x²)² = (16/105)/(16/15) = 1/7. Under (1 − x²)², sd(x²) = 0.16, so one snapshot has
    // SE 0.16/sqrt(16384) = 1.25e-3 and 11 snapshots (dual-coordinate relaxation ~25 steps < 30) give 3.8e-4;
    // the tolerance 2.5e-3 is 5 SE plus 6e-4 for the chain's O(tau) bias (measured 0.1435 at tau 0.01).
    expect(Math.abs(mean - 1 / 7), `E x² = ${mean}`).toBeLessThan(2.5e-3);
    for (const m of logged(res, 'm')) expect(Math.abs(m)).toBeLessThan(5 * Math.sqrt(1 / 7 / chains));
    for (const a of logged(res, 'inside')) expect(a).toBeLessThan(1);
  });
});
