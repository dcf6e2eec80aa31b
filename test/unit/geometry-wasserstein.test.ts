/** The Wasserstein geometry vs closed forms: m-scaling, the Gaussian-estimator covariance recursion (WGD, PWGD), KDE score, MFLD noise. */
import { describe, expect, it } from 'vitest';
import { euclideanGeometry } from '../../compiler/geometry/euclidean.js';
import { applyPreconditioner } from '../../compiler/geometry/precondition.js';
import type { ParticleEntropy, TargetGeometry } from '../../compiler/geometry/registry.js';
import { wassersteinGeometry } from '../../compiler/geometry/wasserstein.js';
import { primalApply } from '../../compiler/geometry/euclidean.js';
import type { GraphBuilder } from '../../compiler/ir/builder.js';
import type { Var } from '../../compiler/ir/ir.js';
import { buildHarness, runSteps } from '../helpers/step-harness.js';

// ── small dense linear algebra, independent of the compiler ──
type M = number[][];
const mat = (rows: number, cols: number, f: (i: number, j: number) => number): M =>
  Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => f(i, j)));
const mm = (a: M, b: M): M => mat(a.length, b[0]!.length, (i, j) => a[i]!.reduce((s, v, k) => s + v * b[k]![j]!, 0));
const tr = (a: M): M => mat(a[0]!.length, a.length, (i, j) => a[j]![i]!);
const add = (a: M, b: M, s = 1): M => mat(a.length, a[0]!.length, (i, j) => a[i]![j]! + s * b[i]![j]!);
const eye = (n: number): M => mat(n, n, (i, j) => +(i === j));
function inv(a: M): M {
  const n = a.length;
  const w = a.map((r, i) => [...r, ...eye(n)[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(w[r]![c]!) > Math.abs(w[p]![c]!)) p = r;
    [w[c], w[p]] = [w[p]!, w[c]!];
    const d = w[c]![c]!;
    w[c] = w[c]!.map((v) => v / d);
    for (let r = 0; r < n; r++) if (r !== c) w[r] = w[r]!.map((v, k) => v - w[r]![c]! * w[c]![k]!);
  }
  return w.map((r) => r.slice(n));
}
/** Covariance of rows, normalized by m. */
function cov(x: M): M {
  const m = x.length;
  const mu = x[0]!.map((_, j) => x.reduce((s, r) => s + r[j]!, 0) / m);
  const c = x.map((r) => r.map((v, j) => v - mu[j]!));
  return mat(mu.length, mu.length, (i, j) => c.reduce((s, r) => s + r[i]! * r[j]!, 0) / m);
}
function gaussians(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}
const rows = (flat: readonly number[], d: number): M =>
  Array.from({ length: flat.length / d }, (_, i) => flat.slice(i * d, i * d + d));

const m = 40;
const d = 3;
const X0 = gaussians(m * d, 7).map((v, i) => v * (1 + (i % d)) + 0.3);
const B = rows(gaussians(d * d, 11), d);
const SigmaStar = add(mm(B, tr(B)), eye(d)); // SPD target covariance
const Q = inv(SigmaStar);

function particleStep(opts: {
  objective: (b: GraphBuilder, x: Var) => Var;
  entropy: (b: GraphBuilder) => ParticleEntropy | null;
  inner?: (b: GraphBuilder) => TargetGeometry;
  lr: number;
  x0: readonly number[];
  shape: readonly [number, number];
  seed?: number;
}) {
  const h = buildHarness({
    targets: [
      {
        name: 'theta',
        shape: [...opts.shape],
        role: 'particles',
        geometry: (env, t) =>
          wassersteinGeometry(
            env.b,
            t.x,
            opts.inner ? opts.inner(env.b) : euclideanGeometry(env.b),
            opts.entropy(env.b),
            env.noise,
          ),
      },
    ],
    objective: (b, [x]) => opts.objective(b, x!),
    method: 'gd',
    options: { lr: opts.lr },
  });
  return runSteps(h, { theta: opts.x0 }, 1, { seed: opts.seed ?? 0 }).values[1]!['theta']!;
}

/** V(x) = x' Q x / 2 averaged over particles: F = mean_i V(x_i). */
const potential = (b: GraphBuilder, x: Var) => b.mul(0.5, b.mean(b.sum(b.mul(b.matmul(x, b.tensor(Q.flat(), [d, d])), x), 1)));
const gaussianEntropy = (b: GraphBuilder): ParticleEntropy => ({ coef: b.const(1), estimator: 'gaussian', bandwidth: null });

describe('wasserstein geometry', () => {
  it('scales the per-particle gradient by m: F = mean_i |x_i - a|^2 / 2 moves each particle by -lr (x_i - a)', () => {
    const a = [1, -2, 0.5];
    const f = (b: GraphBuilder, x: Var) => b.mul(0.5, b.mean(b.sum(b.unary('square', b.sub(x, b.tensor(a, [d]))), 1)));
    const got = particleStep({ objective: f, entropy: () => null, lr: 0.1, x0: X0, shape: [m, d] });
    got.forEach((v, i) => expect(v).toBeCloseTo(X0[i]! - 0.1 * (X0[i]! - a[i % d]!), 12));
  });

  it("gaussian estimator, WGD on KL(mu | N(0, Sigma*)): covariance after one step is C Sigma C', C = I - tau inv(Sigma*) + tau inv(Sigma)", () => {
    const tau = 0.05;
    const got = rows(particleStep({ objective: potential, entropy: gaussianEntropy, lr: tau, x0: X0, shape: [m, d] }), d);
    const S = cov(rows(X0, d));
    const C = add(add(eye(d), Q, -tau), inv(S), tau);
    const want = mm(mm(C, S), tr(C));
    const S1 = cov(got);
    want.forEach((r, i) => r.forEach((v, j) => expect(S1[i]![j]!).toBeCloseTo(v, 10)));
    // The mean follows the potential alone: the score term has mean zero.
    const mu0 = X0.slice(0, d).map((_, j) => rows(X0, d).reduce((s, r) => s + r[j]!, 0) / m);
    const mu1 = got[0]!.map((_, j) => got.reduce((s, r) => s + r[j]!, 0) / m);
    const want1 = mu0.map((v, i) => v - tau * Q[i]!.reduce((s, q, k) => s + q * mu0[k]!, 0));
    mu1.forEach((v, i) => expect(v).toBeCloseTo(want1[i]!, 12));
  });

  it('PWGD: precondition(P) inside wasserstein gives C = I - tau P inv(Sigma*) + tau P inv(Sigma)', () => {
    const tau = 0.05;
    const P = add(mm(rows(gaussians(d * d, 3), d), tr(rows(gaussians(d * d, 3), d))), eye(d), 0.5);
    const inner = (b: GraphBuilder): TargetGeometry => {
      const Pv = b.tensor(P.flat(), [d, d]);
      return { direction: (g) => applyPreconditioner(b, Pv, g), apply: (f, dl, n) => primalApply(b, f, dl, n), projects: true };
    };
    const got = rows(particleStep({ objective: potential, entropy: gaussianEntropy, inner, lr: tau, x0: X0, shape: [m, d] }), d);
    const S = cov(rows(X0, d));
    const C = add(add(eye(d), mm(P, Q), -tau), mm(P, inv(S)), tau);
    const want = mm(mm(C, S), tr(C));
    const S1 = cov(got);
    want.forEach((r, i) => r.forEach((v, j) => expect(S1[i]![j]!).toBeCloseTo(v, 10)));
  });

  it('kde(h) estimator: the step is -lr lam grad log mu_KDE(x_i), checked against the brute-force score', () => {
    const mk = 6;
    const x0 = gaussians(mk * 2, 5);
    const h = 0.7;
    const lam = 0.3;
    const zero = (b: GraphBuilder, x: Var) => b.mul(0, b.sum(x));
    const entropy = (b: GraphBuilder): ParticleEntropy => ({ coef: b.const(lam), estimator: 'kde', bandwidth: b.const(h) });
    const got = rows(particleStep({ objective: zero, entropy, lr: 1, x0, shape: [mk, 2] }), 2);
    const X = rows(x0, 2);
    X.forEach((xi, i) => {
      const k = X.map((xj) => Math.exp(-((xi[0]! - xj[0]!) ** 2 + (xi[1]! - xj[1]!) ** 2) / (2 * h * h)));
      const z = k.reduce((s, v) => s + v, 0);
      const score = [0, 1].map((c) => X.reduce((s, xj, j) => s + k[j]! * (xj[c]! - xi[c]!), 0) / z / (h * h));
      [0, 1].forEach((c) => expect(got[i]![c]!).toBeCloseTo(xi[c]! - lam * score[c]!, 12));
    });
  });

  it('langevin estimator (MFLD): adds sqrt(2 lr lam) N(0, I)', () => {
    const n = 2000;
    const zero = (b: GraphBuilder, x: Var) => b.mul(0, b.sum(x));
    const entropy = (b: GraphBuilder): ParticleEntropy => ({ coef: b.const(0.5), estimator: 'langevin', bandwidth: null });
    const got = particleStep({ objective: zero, entropy, lr: 0.1, x0: new Array(n * 2).fill(0), shape: [n, 2], seed: 4 });
    const variance = got.reduce((s, v) => s + v * v, 0) / got.length;
    expect(Math.abs(variance / 0.1 - 1)).toBeLessThan(0.08);
  });
});
