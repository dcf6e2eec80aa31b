/**
 * Method options: matching a method's written arguments to its option names, and the options every
 * method shares — `clip: c` (global-norm clipping over all targets of the solve, torch's
 * clip_grad_norm_) and `weight_decay: wd` (L2, added to the gradient, except AdamW's decoupled decay).
 */
import type * as A from '../ast/ast.js';
import type { GraphBuilder } from '../ir/builder.js';
import type { Var } from '../ir/ir.js';

/** torch's clip_grad_norm_ adds this to the norm before dividing. */
export const CLIP_EPS = 1e-6;

/**
 * The written value of each option: named arguments by name, positional ones in the order of `names`
 * (`sgd(0.1, noise: 0.5)` gives lr = 0.1). Options not written are absent (defaults come from the table).
 */
export function writtenOptions(method: A.MethodAnn, names: readonly string[]): Map<string, A.Expr> {
  const out = new Map<string, A.Expr>();
  let pos = 0;
  for (const arg of method.args) {
    if (arg.name) out.set(arg.name.name, arg.value);
    else {
      const name = names[pos++];
      if (name !== undefined) out.set(name, arg.value);
    }
  }
  return out;
}

/**
 * Global-norm clipping of all targets' gradients together: with n = sqrt(sum_i |g_i|^2), every g_i is
 * multiplied by min(1, c / (n + 1e-6)) — torch multiplies by the clamped coefficient unconditionally.
 */
export function clipGlobalNorm(b: GraphBuilder, grads: readonly Var[], c: Var): Var[] {
  if (grads.length === 0) return [];
  let sq: Var | null = null;
  for (const g of grads) {
    const s = b.sum(b.unary('square', g));
    sq = sq ? b.add(sq, s) : s;
  }
  const norm = b.unary('sqrt', sq!);
  const coef = b.minimum(b.div(c, b.add(norm, CLIP_EPS)), 1);
  return grads.map((g) => b.mul(g, coef));
}

/** torch's L2 weight decay: g + wd * x. */
export function addWeightDecay(b: GraphBuilder, g: Var, x: Var, wd: Var): Var {
  return b.add(g, b.mul(wd, x));
}
