/**
 * std.latent reproductions (PAPERS.md) through the real pipeline on wasm: latent search on a quadratic
 * surrogate converges to inv(H + lambda I) H zc from every start (1e-5 float32); the Gaussian KL closed form
 * (1.75 for mu = (0.5, −1, 0), sigma² = (1, 0.25, 4)); cost ranks and rank weights; the VAE example's search
 * finds designs better than its starts and than the best training design.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { solveSpd } from './linalg.js';
import { logged, runSource } from './run-source.js';

const H = [
  [2, 0.5, 0],
  [0.5, 1, 0.2],
  [0, 0.2, 0.5],
];
const zc = [1, -2, 0.5];
const lam = 0.1;

describe('std.latent', () => {
  it('quadratic surrogate: every start converges to inv(H + lambda I) H zc (1e-5, float32)', async () => {
    const res = await runSource(
      `use std.latent
data H: [3, 3] = ${JSON.stringify(H)}
data zc: [3] = ${JSON.stringify(zc)}
param z: [4, 3] = randn(seed: 1) * 3
minimize J = latent_objective(quad_cost(z, zc, H), z, ${lam}) over z by gd(lr: 0.3) for 600 steps
  log every 600: ${Array.from({ length: 12 }, (_, i) => `z${i} = z[${Math.floor(i / 3)}, ${i % 3}]`).join(', ')}
`,
    );
    const Hzc = H.map((r) => r.reduce((s, v, j) => s + v * zc[j]!, 0));
    const want = solveSpd(
      H.map((r, i) => r.map((v, j) => v + (i === j ? lam : 0))),
      Hzc,
    );
    for (let i = 0; i < 12; i++) {
      const got = logged(res, `z${i}`);
      expect(Math.abs(got[0]! - want[i % 3]!)).toBeGreaterThan(1e-2); // the starts are elsewhere
      expect(Math.abs(got.at(-1)! - want[i % 3]!)).toBeLessThan(1e-5);
    }
  });

  it('Gaussian KL closed form 1.75; cost ranks and rank weights 1/(k n + rank) normalized', async () => {
    const res = await runSource(
      `use std.latent
param z: [1] = zeros
minimize J = sum(z^2) over z by gd(lr: 0.1) for 1 steps
  log every 1: kl = gauss_kl([0.5, -1, 0], log([1, 0.25, 4])), klr = sum(gauss_kl_rows([[0.5, -1, 0], [0, 0, 0]], log([[1, 0.25, 4], [1, 1, 1]]))),
    r = cost_rank([3, 1, 2, 1]), rw = rank_weights([3, 1, 2, 1], 0.5)
`,
    );
    const kl = logged(res, 'kl')[0]!;
    // 0.5 (Σ sigma² + Σ mu² − 3 − Σ log sigma²) = 0.5 (5.25 + 1.25 − 3 − 0)
    expect(Math.abs(kl - 1.75)).toBeLessThan(1e-6);
    expect(Math.abs(logged(res, 'klr')[0]! - 1.75)).toBeLessThan(1e-6);
    const last = res.log.at(-1)!.values;
    expect(last.r).toEqual([3, 0, 2, 0]);
    const raw = [3, 0, 2, 0].map((r) => 1 / (0.5 * 4 + r));
    const m = raw.reduce((a, b) => a + b, 0) / 4;
    (last.rw as number[]).forEach((v, i) => expect(Math.abs(v - raw[i]! / m)).toBeLessThan(1e-6));
  });

  it('examples/latent-vae-search.gd: the trained cost head fits, and latent search lowers the true cost of the decoded designs', async () => {
    const text = readFileSync(new URL('../../examples/latent-vae-search.gd', import.meta.url), 'utf8');
    const res = await runSource(text);
    const mse = logged(res, 'cost_mse');
    expect(mse.at(-1)!).toBeLessThan(0.05 * mse[0]!);
    // The search lowers the true cost of the decoded designs (mean over the 8 starts) well below that of the
    // decoded starts and of the start designs themselves.
    const found = logged(res, 'found');
    expect(found.at(-1)!).toBeLessThan(0.5 * found[0]!);
    expect(found.at(-1)!).toBeLessThan(0.5 * logged(res, 'start_mean').at(-1)!);
  }, 60_000);
});
