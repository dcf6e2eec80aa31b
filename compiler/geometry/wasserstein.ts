/**
 * The Wasserstein geometry for particles (implied for every particles target): particle i moves along
 * the Wasserstein gradient grad (dF/dmu)(theta_i) = m * dF/dtheta_i (objectives average over the m
 * particles), plus the entropy term of `F + lam * entropy(theta)` (§6), then through the geometry it
 * composes with (euclidean, mirror(...) or precondition(...): Bonet et al.'s mirror / preconditioned WGD).
 */
import { InternalError } from '../diagnostics/internal-error.js';
import type { GraphBuilder } from '../ir/builder.js';
import type { Var } from '../ir/ir.js';
import { euclideanGeometry } from './euclidean.js';
import type { GeometryRule, ParticleEntropy, TargetGeometry } from './registry.js';

/**
 * grad log mu at each particle for the Gaussian fit of the particles [m, d]: -inv(Sigma)(x_i - mean),
 * with Sigma the empirical covariance normalized by m (the particles are the measure, so no m - 1).
 */
export function gaussianScore(b: GraphBuilder, x: Var): Var {
  const m = x.shape[0]!;
  const centered = b.sub(x, b.mean(x, 0, true));
  const sigma = b.div(b.matmul(centered, centered, { transposeA: true }), m);
  // Rows of inv(Sigma) X_c' transposed back: (inv(Sigma) (x_i - mean))_i.
  return b.neg(b.transpose(b.op('solve', [sigma, b.transpose(centered)])));
}

/**
 * grad log mu at each particle for the Gaussian KDE mu(x) = mean_j N(x; x_j, h^2 I):
 * (sum_j w_ij x_j - x_i) / h^2 with w_ij = softmax_j(-|x_i - x_j|^2 / (2 h^2)) (the kernel weights,
 * normalized stably). Only the evaluation point is differentiated, the standard KDE score.
 */
export function kdeScore(b: GraphBuilder, x: Var, h: Var): Var {
  const sq = b.sum(b.unary('square', x), 1, true); // [m, 1]
  const gram = b.matmul(x, x, { transposeB: true }); // [m, m]
  const d2 = b.sub(b.add(sq, b.transpose(sq)), b.mul(gram, 2));
  const h2 = b.unary('square', h);
  const logits = b.div(b.neg(d2), b.mul(h2, 2));
  const shifted = b.sub(logits, b.max(logits, 1, true));
  const e = b.unary('exp', shifted);
  const w = b.div(e, b.sum(e, 1, true));
  return b.div(b.sub(b.matmul(w, x), x), h2);
}

/** The Wasserstein geometry around `inner` (the per-particle geometry) with the solve's entropy term. */
export function wassersteinGeometry(
  b: GraphBuilder,
  x: Var,
  inner: TargetGeometry,
  entropy: ParticleEntropy | null,
  noise: (shape: readonly number[]) => Var,
): TargetGeometry {
  if (x.shape.length !== 2) throw new InternalError(`particles of shape [${x.shape.join(',')}]: expected [m, d]`);
  const m = x.shape[0]!;
  const score = (): Var | null => {
    if (!entropy || entropy.estimator === 'langevin') return null;
    const s = entropy.estimator === 'gaussian' ? gaussianScore(b, x) : kdeScore(b, x, entropy.bandwidth!);
    return b.mul(entropy.coef, s);
  };
  return {
    // velocity = grad V + lam grad log mu, then the inner geometry (P velocity for PWGD).
    direction: (g) => {
      const wg = b.mul(g, m);
      const s = score();
      return inner.direction(s ? b.add(wg, s) : wg);
    },
    apply: (from, delta, methodNoise, lr) => {
      let total = methodNoise;
      if (entropy && entropy.estimator === 'langevin') {
        // Mean-field Langevin: the entropy at temperature lam is the noise sqrt(2 lr lam) xi.
        const scale = b.unary('sqrt', b.mul(b.mul(lr, entropy.coef), 2));
        const n = b.mul(noise(x.shape), scale);
        total = total ? b.add(total, n) : n;
      }
      return inner.apply(from, delta, total, lr);
    },
    projects: inner.projects,
  };
}

/** `wasserstein` written explicitly on particles is the implied geometry around euclidean. */
export const wasserstein: GeometryRule = {
  lower: (env, _ann, target, extra) =>
    wassersteinGeometry(env.b, target.x, extra.inner ?? euclideanGeometry(env.b), extra.entropy ?? null, env.noise),
};
