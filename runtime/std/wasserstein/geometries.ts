/**
 * std.wasserstein's own geometries (Bonet et al. 2024): the negative-entropy mirror scheme (NEM) for
 * particles with the Gaussian estimator, and the closed-form ball and box mirror maps of the paper's
 * Bregman potentials. Platform-neutral lowering code: it only builds IR.
 */
import { InternalError } from '../../../compiler/diagnostics/internal-error.js';
import { gaussianScore } from '../../../compiler/geometry/wasserstein.js';
import { geometryArg, type GeometryRule, type TargetGeometry } from '../../../compiler/geometry/registry.js';
import type { GraphBuilder } from '../../../compiler/ir/builder.js';
import type { Var } from '../../../compiler/ir/ir.js';

/**
 * NEM: mirror descent in Wasserstein space whose Bregman potential is the negative entropy
 * phi(mu) = ∫ log mu dmu, so grad (dphi/dmu)(x) = grad log mu(x), taken from the particles' Gaussian fit
 * (score s(x) = -inv(Sigma)(x - mean)). The dual point of particle i is y_i = s_k(x_i) - delta_i, and the
 * new particles are those whose Gaussian score at them is y_i: x+_i = m+ - Sigma+ (y_i - mean y) with
 * inv(Sigma+) = cov(y) (an affine map has exactly this covariance). The entropy is translation invariant,
 * so the mirror step does not fix the mean: m+ = mean(x) - mean(delta), a Euclidean step of the mean
 * (reconstructed; the paper's Gaussian experiments keep means at 0). For N(0, Sigma*) targets this is the
 * closed-form recursion inv(Sigma+) = C Sigma_k C, C = (1 - tau) inv(Sigma_k) + tau inv(Sigma*).
 * Noise (a Langevin method, or an entropy term left on the default `langevin` estimator) is added to the new
 * particles unscaled; the NEM of the paper is the noiseless scheme with `estimator: gaussian`.
 */
export function nemGeometry(b: GraphBuilder, x: Var): TargetGeometry {
  if (x.shape.length !== 2) throw new InternalError(`nem on a target of shape [${x.shape.join(',')}]: expected particles [m, d]`);
  const m = x.shape[0]!;
  return {
    direction: (g) => g,
    apply: (from, delta, noise) => {
      const y = b.sub(gaussianScore(b, from), delta);
      const meanY = b.mean(y, 0, true);
      const yc = b.sub(y, meanY);
      const precision = b.div(b.matmul(yc, yc, { transposeA: true }), m); // inv(Sigma+)
      const spread = b.transpose(b.op('solve', [precision, b.transpose(yc)])); // rows Sigma+ (y_i - mean y)
      const mean = b.sub(b.mean(from, 0, true), b.mean(delta, 0, true));
      const out = b.sub(mean, spread);
      return noise ? b.add(out, noise) : out;
    },
    projects: false,
  };
}

export const nem: GeometryRule = {
  lower: (env, _ann, target) => nemGeometry(env.b, target.x),
};

/** Heron steps for the matrix square root in `fb`: the start is within O(a^2) of the root, so 4 quadratic steps reach float32 precision. */
export const FB_SQRT_STEPS = 4;

/**
 * FB (forward-backward, Bonet et al.'s Gaussian scheme): a forward (explicit) step on the rest of the objective,
 * x½ = x − delta, then the backward JKO step of lam·∫log mu under the particles' Gaussian fit: x+ solves
 * x+ = x½ + a inv(Sigma+)(x+ − m) with a = lr·lam, i.e. x+ − m = Sigma+ (Sigma+ − a I)^-1 (x½ − m), where
 * Sigma+ = (B + sqrt(B² − 4a² I))/2, B = Sigma½ + 2a I (the fixture's recursion). The square root is taken by
 * Heron's iteration X ← (X + X^-1 A)/2 from X = B, which commutes with A = B² − 4a² I and is O(a²) from the root.
 * The entropy is written in the geometry (`fb(lam: 1)`), not in the objective, because the forward step must not
 * contain it. The mean moves with the forward step (the JKO step of the entropy keeps it).
 */
export function fbGeometry(b: GraphBuilder, x: Var, lam: Var): TargetGeometry {
  if (x.shape.length !== 2) throw new InternalError(`fb on a target of shape [${x.shape.join(',')}]: expected particles [m, d]`);
  const [m, d] = [x.shape[0]!, x.shape[1]!];
  const eye = b.tensor(
    Array.from({ length: d * d }, (_, i) => +(Math.floor(i / d) === i % d)),
    [d, d],
  );
  return {
    direction: (g) => g,
    apply: (from, delta, noise, lr) => {
      const half = b.sub(from, delta);
      const mean = b.mean(half, 0, true);
      const c = b.sub(half, mean);
      const sigma = b.div(b.matmul(c, c, { transposeA: true }), m);
      const a = b.mul(lr, lam);
      const B = b.add(sigma, b.mul(eye, b.mul(a, 2)));
      const A = b.sub(b.matmul(B, B), b.mul(eye, b.mul(b.unary('square', a), 4)));
      let root = B;
      for (let k = 0; k < FB_SQRT_STEPS; k++) root = b.mul(b.add(root, b.op('solve', [root, A])), 0.5);
      const next = b.mul(b.add(B, root), 0.5); // Sigma+
      // rows of Sigma+ (Sigma+ − a I)^-1 c_i: solve on the transposed rows, then Sigma+ times them.
      const shifted = b.sub(next, b.mul(eye, a));
      const moved = b.matmul(next, b.op('solve', [shifted, b.transpose(c)]));
      const out = b.add(mean, b.transpose(moved));
      return noise ? b.add(out, noise) : out;
    },
    projects: false,
  };
}

export const fb: GeometryRule = {
  lower(env, ann, target) {
    const lamE = geometryArg(ann, 'lam');
    return fbGeometry(env.b, target.x, lamE ? env.expr(lamE) : env.b.const(1));
  },
};

/** The squared l2 norm over the last axis, kept (rows of particles, or the whole vector of a param). */
function rowSq(b: GraphBuilder, x: Var): Var {
  return b.sum(b.unary('square', x), x.shape.length - 1, true);
}

/**
 * Ball mirror map, phi(x) = -gamma log(R - |x|^2) on the ball |x|^2 < R (per particle row):
 * grad phi(x) = 2 gamma x / (R - |x|^2), grad phi*(y) = R y / (sqrt(R |y|^2 + gamma^2) + gamma).
 * Mirror-Langevin noise enters the dual point as (Hess phi)^(1/2) xi with Hess phi = a I + c x x',
 * a = 2 gamma/(R - |x|^2), c = 4 gamma/(R - |x|^2)^2, whose square root is sqrt(a) I + k x x' with
 * k = (sqrt(a + c |x|^2) - sqrt(a)) / |x|^2 (a rank-one update, exact).
 */
export function ballMirror(b: GraphBuilder, gamma: Var, R: Var): TargetGeometry {
  return {
    direction: (g) => g,
    apply: (from, delta, noise) => {
      const sq = rowSq(b, from);
      const gap = b.sub(R, sq);
      let y = b.sub(b.div(b.mul(b.mul(gamma, 2), from), gap), delta);
      if (noise) {
        const a = b.div(b.mul(gamma, 2), gap);
        const c = b.div(b.mul(gamma, 4), b.unary('square', gap));
        const ra = b.unary('sqrt', a);
        const k = b.div(b.sub(b.unary('sqrt', b.add(a, b.mul(c, sq))), ra), b.maximum(sq, 1e-30));
        const proj = b.sum(b.mul(from, noise), from.shape.length - 1, true);
        y = b.add(y, b.add(b.mul(ra, noise), b.mul(b.mul(k, proj), from)));
      }
      const ny = rowSq(b, y);
      return b.div(b.mul(R, y), b.add(b.unary('sqrt', b.add(b.mul(R, ny), b.unary('square', gamma))), gamma));
    },
    projects: true,
  };
}

/**
 * Box mirror map on (-1, 1)^d, phi(x) = -sum log(1 - x) - sum log(1 + x): grad phi(x) = 2x/(1 - x^2),
 * grad phi*(y) = (-1 + sqrt(1 + y^2))/y, computed as y/(1 + sqrt(1 + y^2)) (the same value, finite at
 * y = 0). Separable, so the Langevin noise scale (Hess phi)^(1/2) = sqrt(1/(1-x)^2 + 1/(1+x)^2) is exact.
 */
export function boxMirror(b: GraphBuilder): TargetGeometry {
  return {
    direction: (g) => g,
    apply: (from, delta, noise) => {
      const one = (s: number) => b.add(b.mul(from, s), 1); // 1 + s x
      let y = b.sub(b.div(b.mul(from, 2), b.mul(one(-1), one(1))), delta);
      if (noise) {
        const h = b.add(b.unary('reciprocal', b.unary('square', one(-1))), b.unary('reciprocal', b.unary('square', one(1))));
        y = b.add(y, b.mul(noise, b.unary('sqrt', h)));
      }
      return b.div(y, b.add(b.unary('sqrt', b.add(b.unary('square', y), 1)), 1));
    },
    projects: true,
  };
}

export const ballMirrorRule: GeometryRule = {
  lower(env, ann) {
    const gammaE = geometryArg(ann, 'gamma');
    const rE = geometryArg(ann, 'R');
    const gamma = gammaE ? env.expr(gammaE) : env.b.const(1);
    const R = rE ? env.expr(rE) : env.b.const(1);
    return ballMirror(env.b, gamma, R);
  },
};

export const boxMirrorRule: GeometryRule = {
  lower: (env) => boxMirror(env.b),
};
