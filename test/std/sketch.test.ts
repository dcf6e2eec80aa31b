/**
 * std.sketch reproductions (PAPERS.md) through the real pipeline on wasm (float32), all data-level: the sketched
 * basis satisfies A'(R K R')A = I; noise-free linear-kernel outputs decoded from perfect coordinates have
 * validation MSE < 1e-8 when m >= rank and a large error when m < rank; with the cosine kernel, perfect h and
 * candidates containing the truth, decoding accuracy is 1.0. Plus the coupled Newton–Schulz inverse square root,
 * on a full-rank RBF sketch and on a rank-deficient one (eps-regularized: the projector onto the range).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { logged, runSource } from './run-source.js';

const header = `use std.sketch
data X: [100, 6] = randn(seed: 1)
data W: [6, 4] = randn(seed: 2)
data Ytr: [100, 4] = X @ W
data Xv: [50, 6] = randn(seed: 3)
data Yv: [50, 4] = Xv @ W
param w: [1] = zeros
`;
const values = async (body: string, items: string) => {
  const res = await runSource(`${header}${body}minimize J = sum(w^2) over w by gd(lr: 0.1) for 1 steps\n  log every 1: ${items}\n`);
  return res.log[0]!.values as Record<string, number>;
};

describe('std.sketch', () => {
  it("Gaussian and sub-sampling sketches, linear kernel: A'(R K R')A = I (1e-5)", async () => {
    const v = await values(
      `data Rg: [8, 100] = sketch_gaussian(randn([8, 100], seed: 4))
data Ag: [8, 4] = sketch_basis_features(Rg @ Ytr)
data Eg: [4, 4] = Ag.T @ (Rg @ k_linear(Ytr, Ytr) @ Rg.T) @ Ag
data Rs: [6, 100] = sketch_subsample(one_hot([3, 17, 42, 58, 71, 96], 100))
data As: [6, 4] = sketch_basis_features(Rs @ Ytr)
data Es: [4, 4] = As.T @ (Rs @ k_linear(Ytr, Ytr) @ Rs.T) @ As
`,
      'eg = max(abs(Eg - eye(4))), es = max(abs(Es - eye(4))), rs = sum(Rs), scale = max(abs(Rg @ k_linear(Ytr, Ytr) @ Rg.T))',
    );
    expect(v.scale).toBeGreaterThan(10); // K~ is far from the identity: the check is not trivial
    expect(v.eg).toBeLessThan(1e-5);
    expect(v.es).toBeLessThan(1e-5);
    expect(Math.abs(v.rs! - 6 * Math.sqrt(100 / 6))).toBeLessThan(1e-4);
  });

  it('linear kernel, perfect h: validation MSE < 1e-8 with m >= rank (m = 6, 8), large with m = 2 < rank 4', async () => {
    const v = await values(
      `data R6: [6, 100] = sketch_subsample(one_hot([3, 17, 42, 58, 71, 96], 100))
data A6: [6, 4] = sketch_basis_features(R6 @ Ytr)
data Y6: [50, 4] = sketch_preimage_linear(sketch_coords(k_linear(Yv, Ytr), R6, A6), A6, R6, Ytr)
data R8: [8, 100] = sketch_gaussian(randn([8, 100], seed: 4))
data A8: [8, 4] = sketch_basis_features(R8 @ Ytr)
data Y8: [50, 4] = sketch_preimage_linear(sketch_coords(k_linear(Yv, Ytr), R8, A8), A8, R8, Ytr)
data R2: [2, 100] = sketch_subsample(one_hot([17, 71], 100))
data A2: [2, 2] = inv_sqrt_spd(R2 @ k_linear(Ytr, Ytr) @ R2.T)
data Y2: [50, 4] = sketch_preimage_linear(sketch_coords(k_linear(Yv, Ytr), R2, A2), A2, R2, Ytr)
`,
      'm6 = mean((Y6 - Yv)^2), m8 = mean((Y8 - Yv)^2), m2 = mean((Y2 - Yv)^2), e2 = max(abs(A2.T @ R2 @ k_linear(Ytr, Ytr) @ R2.T @ A2 - eye(2))), var = mean(Yv^2)',
    );
    expect(v.m6).toBeLessThan(1e-8 * Math.max(1, v.var!));
    expect(v.m8).toBeLessThan(1e-8 * Math.max(1, v.var!));
    // The coupled Newton–Schulz basis of the 2×2 sketch is valid too (4.1e-5 with the former 16 uncoupled steps).
    expect(v.e2).toBeLessThan(1e-5);
    expect(v.m2).toBeGreaterThan(0.1 * v.var!);
  });

  it('coupled Newton–Schulz basis: full-rank RBF sketch A\'K~A = I; rank-deficient linear sketch (m = 8, rank 4) keeps the non-null part', async () => {
    const v = await values(
      `data R8: [8, 100] = sketch_gaussian(randn([8, 100], seed: 4))
data Kr: [8, 8] = R8 @ k_rbf(Ytr, Ytr, 3) @ R8.T
data Ar: [8, 8] = sketch_basis(Kr, 0)
data Kl: [8, 8] = R8 @ k_linear(Ytr, Ytr) @ R8.T
data Al: [8, 8] = sketch_basis(Kl, 1e-6)
data Pl: [8, 8] = Al.T @ Kl @ Al
data Yl: [50, 4] = sketch_preimage_linear(sketch_coords(k_linear(Yv, Ytr), R8, Al), Al, R8, Ytr)
`,
      'er = max(abs(Ar.T @ Kr @ Ar - eye(8))), pp = max(abs(Pl @ Pl - Pl)), tr = trace(Pl), ml = mean((Yl - Yv)^2), var = mean(Yv^2)',
    );
    expect(v.er).toBeLessThan(1e-5);
    // K~ = R K R' has rank 4 of 8: A'K~A is (nearly) the projector onto its range, of trace 4 — the paper's
    // "keep the non-null eigenpairs" in R^m — and perfect coordinates decode the validation outputs.
    expect(v.pp).toBeLessThan(0.1);
    expect(Math.abs(v.tr! - 4)).toBeLessThan(0.2);
    expect(v.ml).toBeLessThan(1e-7 * v.var!);
  });

  it('cosine kernel, candidates containing the truth, m >= rank, perfect h: decoding accuracy 1.0', async () => {
    const v = await values(
      `data C: [40, 4] = randn(seed: 5)
data Yt: [10, 4] = C[0:10, :] * 3
data R: [8, 100] = sketch_gaussian(randn([8, 100], seed: 6))
data A: [8, 4] = sketch_basis_features(R @ (Ytr.T / sqrt(sum(Ytr^2, axis: 1))).T)
data H: [10, 4] = sketch_coords(k_cosine(Yt, Ytr), R, A)
data Zc: [40, 4] = sketch_coords(k_cosine(C, Ytr), R, A)
data truth: [10, 40] = one_hot([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 40)
`,
      'acc = mean(decode_hits(sketch_scores(H, Zc, 1), truth)), e = max(abs(A.T @ R @ k_cosine(Ytr, Ytr) @ R.T @ A - eye(4)))',
    );
    expect(v.e).toBeLessThan(1e-5);
    expect(v.acc).toBe(1);
  });

  it('examples/sketch-decode.gd: the surrogate trains on minibatches and decodes most validation outputs', async () => {
    const res = await runSource(readFileSync(new URL('../../examples/sketch-decode.gd', import.meta.url), 'utf8'));
    const val = logged(res, 'val_mse');
    expect(val.at(-1)!).toBeLessThan(0.05 * val[0]!);
    expect(logged(res, 'basis_err').at(-1)!).toBeLessThan(1e-5);
    // 64 candidates: chance is 1/64.
    expect(logged(res, 'accuracy').at(-1)!).toBeGreaterThan(0.8);
  }, 60_000);
});
