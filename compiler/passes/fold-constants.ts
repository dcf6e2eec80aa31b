/**
 * Constant folding: an equation whose inputs are all constants is evaluated at compile time by the
 * reference interpreter's kernel and replaced by a constant. Folded values are rounded to float32
 * (Math.fround), the precision the runtime would have computed them in, so a folded graph and an
 * unfolded one agree up to float32 rounding of intermediate results.
 */
import type { Eqn, Var } from '../ir/ir.js';
import { evalOp } from '../ir/interpret.js';
import { OPS, sizeOf } from '../ir/ops.js';
import type { GraphBuilder } from '../ir/builder.js';
import type { Graph } from '../ir/ir.js';
import { rewrite, type RewriteContext, type Rule } from './rewrite.js';

/** Results larger than this stay computed at run time, so graphs and dumps do not fill with literal data. */
export const FOLD_MAX_ELEMENTS = 4096;

/** All-uniform inputs are folded up to this size, since a uniform result is stored as one number. */
export const FOLD_MAX_FILL = 1 << 22;

function constData(c: RewriteContext, v: Var): Float64Array | undefined {
  const e = c.def(v);
  if (!e || e.op !== 'const') return undefined;
  const t = e.attrs['tensor'];
  if (Array.isArray(t)) return Float64Array.from(t as readonly number[]);
  const value = e.attrs['value'];
  return typeof value === 'number' ? new Float64Array(sizeOf(v.shape)).fill(value) : undefined;
}

/** Folds one equation when all its inputs are constants (never random ops, never consts themselves). */
export const FOLD_RULE: Rule = {
  name: 'fold',
  ops: 'any',
  apply: (e: Eqn, c: RewriteContext, b: GraphBuilder) => {
    if (e.op === 'const' || OPS[e.op].category === 'random' || e.inputs.length === 0) return null;
    // Fills of any size up to FOLD_MAX_FILL fold when every input is uniform (the result is then usually a fill too).
    const uniform = e.inputs.every((v) => c.constValue(v) !== undefined);
    if (sizeOf(e.out.shape) > (uniform ? FOLD_MAX_FILL : FOLD_MAX_ELEMENTS)) return null;
    const ins = [];
    for (const v of e.inputs) {
      const data = constData(c, v);
      if (!data) return null;
      ins.push({ shape: v.shape, data });
    }
    const out = evalOp(e.op, ins, e.attrs, e.out.shape).data.map(Math.fround);
    const first = out[0];
    if (out.length > 0 && out.every((x) => Object.is(x, first))) return b.const(first!, e.out.shape);
    if (out.length > FOLD_MAX_ELEMENTS) return null;
    return b.tensor([...out], e.out.shape);
  },
};

/** Folds every all-constant equation; returns `g` itself when nothing folds. */
export function foldConstants(g: Graph): Graph {
  return rewrite(g, [FOLD_RULE]);
}
