/**
 * Mirror descent: grad phi(x+) = grad phi(x) - delta (+ noise). Closed forms for the entropy
 * (exponentiated gradient, in the log domain), burg and quadratic potentials; any other convex
 * `potential(phi)` gets grad phi by reverse mode and its inverse by a few Newton steps.
 */
import type * as A from '../ast/ast.js';
import { printExpr } from '../ast/print-ast.js';
import { InternalError } from '../diagnostics/internal-error.js';
import type { GraphBuilder } from '../ir/builder.js';
import type { Var } from '../ir/ir.js';
import { primalApply } from './euclidean.js';
import { geometryArg, type GeometryEnv, type GeometryRule, type StepTarget, type TargetGeometry } from './registry.js';

/**
 * The floor of log x in the entropic map: a coordinate that would fall below exp(-80) ~ 1.8e-35 is held
 * there instead of underflowing to 0 in float32, so log(x) (and x log x in the objective) stays finite
 * forever; the simplex sum is off by at most k * 1.8e-35.
 */
export const LOG_FLOOR = -80;

/** Largest value the burg map produces: 1/x+ = 1/x + delta is floored at 1/BURG_MAX (see docs). */
export const BURG_MAX = 1e30;

/** Default Newton steps for inverting grad phi of a general potential (option `newton: k`). */
export const DEFAULT_NEWTON_STEPS = 5;

/**
 * Entropic mirror step. On the simplex (per last-axis row) x+ = softmax(log x - delta), recomputed
 * from log x at every step, never as a product of ratios, so hundreds of steps stay exact in float32.
 * Coordinates are floored at exp(LOG_FLOOR) in both cases.
 * On `positive`, x+ = x exp(-delta). Noise (mirror Langevin) enters the dual point scaled by
 * (Hess phi)^(1/2) = diag(1/sqrt(x)).
 */
function entropic(b: GraphBuilder, simplex: boolean, matches: boolean): TargetGeometry {
  return {
    direction: (g) => g,
    apply: (from, delta, noise) => {
      let y = b.sub(b.unary('log', from), delta);
      if (noise) y = b.add(y, b.div(noise, b.unary('sqrt', from)));
      if (!simplex) return b.unary('exp', b.maximum(y, LOG_FLOOR));
      // softmax(y) as e / sum(e) with e = exp(y - max y): one exp per coordinate (exp(y - logsumexp y)
      // takes two), and more accurate (log of the sum rounds to ~1e-6 absolute, which exp turns into a
      // relative error; a division rounds once). e <= 1 and sum(e) >= 1, so neither overflows.
      const axis = y.shape.length - 1;
      const e = b.unary('exp', b.sub(y, b.op('stop_gradient', [b.max(y, axis, true)])));
      return b.maximum(b.div(e, b.sum(e, axis, true)), Math.fround(Math.exp(LOG_FLOOR)));
    },
    // The entropic map stays inside the simplex (per row) and the positive orthant by construction.
    projects: !matches,
  };
}

/**
 * Burg mirror step (phi = -sum log x, grad phi = -1/x): 1/x+ = 1/x + delta. When 1/x + delta <= 0 the
 * mirror step has no solution in the positive orthant (the step is too long against a negative gradient);
 * the denominator is then floored at 1/BURG_MAX, i.e. the coordinate jumps to BURG_MAX. Noise enters
 * the dual point scaled by (Hess phi)^(1/2) = 1/x.
 */
function burg(b: GraphBuilder, positive: boolean): TargetGeometry {
  return {
    direction: (g) => g,
    apply: (from, delta, noise) => {
      let inv = b.add(b.unary('reciprocal', from), delta);
      if (noise) inv = b.sub(inv, b.div(noise, from));
      return b.unary('reciprocal', b.maximum(inv, 1 / BURG_MAX));
    },
    projects: !positive,
  };
}

/**
 * A general convex potential phi: y = grad phi(x) - delta, then x+ solves grad phi(z) = y by Newton from
 * z = x. The Hessian is taken as the diagonal diag(H 1) (one extra reverse pass per Newton step), which
 * is exact for separable potentials phi(x) = sum f(x_i) — every classical mirror map on boxes, balls
 * per coordinate, orthants — and a Jacobi-style approximation otherwise (documented).
 */
function potential(env: GeometryEnv, phi: A.Expr, steps: number): TargetGeometry {
  const b = env.b;
  const gradPhi = (z: Var): Var => env.gradient(b.sum(env.call(phi, z)), z);
  const hessDiag = (z: Var, gz: Var): Var => env.gradient(b.sum(gz), z);
  return {
    direction: (g) => g,
    apply: (from, delta, noise) => {
      const g0 = gradPhi(from);
      let y = b.sub(g0, delta);
      if (noise) y = b.add(y, b.mul(noise, b.unary('sqrt', b.unary('abs', hessDiag(from, g0)))));
      let z = from;
      for (let k = 0; k < steps; k++) {
        // Each iterate is a fresh leaf for reverse mode: the Newton chain itself is not differentiated.
        const zk = b.op('stop_gradient', [z]);
        const gz = gradPhi(zk);
        z = b.sub(zk, b.div(b.sub(gz, y), hessDiag(zk, gz)));
      }
      return z;
    },
    projects: true,
  };
}

/**
 * Potentials with a closed-form mirror step, recognized from the def's printed body with its parameter
 * renamed to X (so `def phi(p) = sum(p * log(p))` is the entropy whatever the parameter is called).
 * Additive constants and linear terms (x log x - x) do not change the mirror step.
 */
const KNOWN_POTENTIALS: Readonly<Record<string, 'entropy' | 'burg' | 'quadratic'>> = {
  'sum((X * log(X)))': 'entropy',
  'sum((log(X) * X))': 'entropy',
  'sum(((X * log(X)) - X))': 'entropy',
  '(-sum(log(X)))': 'burg',
  'sum((-log(X)))': 'burg',
  '(0.5 * sum((X ^ 2)))': 'quadratic',
  '(sum((X ^ 2)) / 2)': 'quadratic',
  '(0.5 * sum(square(X)))': 'quadratic',
  '(sum(square(X)) / 2)': 'quadratic',
};

/** The closed form `potential(phi)` reduces to, or null when phi must go through autodiff and Newton. */
export function knownPotential(env: GeometryEnv, phi: A.Expr): 'entropy' | 'burg' | 'quadratic' | null {
  const def = env.definition(phi);
  if (!def || def.params.length !== 1) return null;
  const param = def.params[0]!;
  const text = printExpr(def.body);
  // Renaming is textual: give up when the parameter's name also names a function in the body.
  if (new RegExp(`\\b${param}\\(`).test(text)) return null;
  return KNOWN_POTENTIALS[text.replace(new RegExp(`\\b${param}\\b`, 'g'), 'X')] ?? null;
}

/** The name of the mirror map: `mirror(entropy)`, `mirror(potential(phi))`. */
function mapOf(ann: A.GeometryAnn | null): {
  name: string;
  arg: A.Expr | null;
} {
  const e = geometryArg(ann, 'map', 0);
  if (!e) return { name: 'entropy', arg: null };
  if (e.kind === 'Name') return { name: e.name, arg: null };
  if (e.kind === 'Call') return { name: e.callee.name, arg: e.args[0]?.value ?? null };
  throw new InternalError(`mirror(...) argument of kind ${e.kind}`);
}

/** The mirror geometry compiled for one target. */
export function mirrorGeometry(env: GeometryEnv, ann: A.GeometryAnn | null, target: StepTarget): TargetGeometry {
  const b = env.b;
  const written = mapOf(ann);
  const closed = written.name === 'potential' && written.arg ? knownPotential(env, written.arg) : null;
  const map = closed ? { name: closed, arg: null } : written;
  switch (map.name) {
    case 'entropy':
      return entropic(b, target.domain.kind === 'simplex', target.domain.kind === 'simplex' || target.domain.kind === 'positive');
    case 'burg':
      return burg(b, target.domain.kind === 'positive');
    case 'quadratic':
      return {
        direction: (g) => g,
        apply: (f, d, n) => primalApply(b, f, d, n),
        projects: true,
      };
    case 'potential': {
      if (!map.arg) throw new InternalError('potential(phi) without phi');
      const nArg = geometryArg(ann, 'newton');
      const steps = nArg ? (env.constant(nArg) ?? DEFAULT_NEWTON_STEPS) : DEFAULT_NEWTON_STEPS;
      return potential(env, map.arg, steps);
    }
    default:
      throw new InternalError(`unknown mirror map '${map.name}' (the checker's job)`);
  }
}

export const mirror: GeometryRule = {
  lower: (env, ann, target) => mirrorGeometry(env, ann, target),
};
