/**
 * Steepest descent in an l_p norm (`lp(p)`, `linf`, `l1`, `l2`): the normalized direction
 * v = argmax_{|v|_p <= 1} <g, v> over the whole tensor, or with `scaled: true` the unnormalized
 * steepest direction |g|_q v (q the dual exponent), as in Weigand, Roith and Burger's adversarial flows.
 */
import type * as A from '../ast/ast.js';
import { InternalError } from '../diagnostics/internal-error.js';
import type { GraphBuilder } from '../ir/builder.js';
import type { Var } from '../ir/ir.js';
import { sizeOf } from '../ir/ops.js';
import { NORM_FLOOR } from './domains.js';
import { primalApply } from './euclidean.js';
import { geometryArg, hasFlag, type GeometryEnv, type GeometryRule } from './registry.js';

/**
 * The normalized steepest direction for gradient g in the l_p norm (p >= 1, Infinity allowed):
 * p = inf: sign(g) (sign(0) = 0, as numpy, torch and tfjs); p = 2: g/|g|_2;
 * p = 1: the coordinate of largest |g| with its sign, ties to the first;
 * else sign(g)|g|^(q-1)/|g|_q^(q-1) with 1/p + 1/q = 1. A zero gradient gives a zero direction.
 */
export function steepestDirection(b: GraphBuilder, g: Var, p: number): Var {
  if (!(p >= 1)) throw new InternalError(`lp(${p}) needs p >= 1 (the checker's job)`);
  if (p === Infinity) return b.unary('sign', g);
  if (p === 2) return b.div(g, b.maximum(l2Norm(b, g), NORM_FLOOR));
  if (p === 1) {
    const n = sizeOf(g.shape);
    const flat = b.reshape(g, [n]);
    const pick = b.op('one_hot', [b.op('argmax', [b.unary('abs', flat)], { axis: 0 })], { depth: n });
    return b.reshape(b.mul(pick, b.unary('sign', flat)), g.shape);
  }
  const q = p / (p - 1);
  const a = b.unary('abs', g);
  const num = b.mul(b.unary('sign', g), b.pow(a, q - 1));
  // |g|_q^(q-1) = (sum |g|^q)^((q-1)/q)
  const den = b.pow(b.sum(b.pow(a, q)), (q - 1) / q);
  return b.div(num, b.maximum(den, NORM_FLOOR));
}

/** The dual norm |g|_q of the l_p norm (q = p/(p-1)): the value <g, v> of the steepest direction. */
export function dualNorm(b: GraphBuilder, g: Var, p: number): Var {
  if (p === Infinity) return b.sum(b.unary('abs', g));
  if (p === 1) return b.max(b.unary('abs', g));
  if (p === 2) return l2Norm(b, g);
  const q = p / (p - 1);
  return b.pow(b.sum(b.pow(b.unary('abs', g), q)), 1 / q);
}

function l2Norm(b: GraphBuilder, g: Var): Var {
  return b.unary('sqrt', b.sum(b.unary('square', g)));
}

/** `scaled: true` (or the bare word `scaled`) asks for the unnormalized direction. */
function isScaled(env: GeometryEnv, ann: A.GeometryAnn | null): boolean {
  if (hasFlag(ann, 'scaled')) return true;
  const arg = geometryArg(ann, 'scaled');
  return arg !== null && (env.constant(arg) ?? 0) !== 0;
}

/** A steepest-descent geometry for a fixed p, or reading p from `lp(p)`'s first argument. */
function steepest(fixedP: number | null): GeometryRule {
  return {
    lower(env, ann) {
      const b = env.b;
      let p = fixedP;
      if (p === null) {
        const arg = geometryArg(ann, 'p', 0);
        p = arg ? env.constant(arg) : null;
        if (p === null) throw new InternalError('lp(p) needs a constant p (the checker reports this)');
      }
      const scaled = isScaled(env, ann);
      const exponent = p;
      return {
        direction: (g) => {
          const v = steepestDirection(b, g, exponent);
          return scaled ? b.mul(v, dualNorm(b, g, exponent)) : v;
        },
        apply: (from, delta, noise) => primalApply(b, from, delta, noise),
        projects: true,
      };
    },
  };
}

export const lp = steepest(null);
export const linf = steepest(Infinity);
export const l2 = steepest(2);
export const l1 = steepest(1);
