/**
 * The rewrite engine: runs a table of rules over a graph's equations in order, replacing an equation's
 * output by whatever a rule returns, until no rule fires. Rules are data (see simplify.ts).
 */
import { InternalError } from '../diagnostics/internal-error.js';
import { GraphBuilder } from '../ir/builder.js';
import type { Eqn, Graph, Var } from '../ir/ir.js';
import { broadcastsTo, sameShape, type OpName } from '../ir/ops.js';

/** What a rule may look at: the equation defining a var (in the graph being built), if any. */
export interface RewriteContext {
  readonly def: (v: Var) => Eqn | undefined;
  /** The fill value when `v` is a constant with every element equal (a `value` const, or uniform literal data). */
  readonly constValue: (v: Var) => number | undefined;
}

/**
 * One rewrite. `apply` sees the equation (inputs already rewritten) and either returns null (no match)
 * or a var holding the same value, built with `b` (whose new equations go before the replaced one).
 * The replacement may have a shape that broadcasts to the equation's; the engine inserts broadcast_to.
 */
export interface Rule {
  readonly name: string;
  /** Root ops the rule is tried on ('any': every op). */
  readonly ops: readonly OpName[] | 'any';
  readonly apply: (eqn: Eqn, ctx: RewriteContext, b: GraphBuilder) => Var | null;
}

function maxId(g: Graph): number {
  let m = -1;
  for (const i of g.inputs) m = Math.max(m, i.var.id);
  for (const e of g.eqns) m = Math.max(m, e.out.id);
  return m;
}

/** One sweep over the equations; returns the same graph when no rule fired. */
function sweep(g: Graph, rules: readonly Rule[]): Graph {
  const b = new GraphBuilder({ inputs: g.inputs, eqns: [], outputs: [] });
  b.reserveIds(maxId(g) + 1);
  const subst = new Map<number, Var>();
  const defs = new Map<number, Eqn>();
  const sub = (v: Var): Var => subst.get(v.id) ?? v;
  const ctx: RewriteContext = {
    def: (v) => defs.get(v.id),
    constValue: (v) => {
      const e = defs.get(v.id);
      if (!e || e.op !== 'const') return undefined;
      const t = e.attrs['tensor'];
      if (Array.isArray(t)) {
        const data = t as readonly number[];
        return data.length > 0 && data.every((x) => Object.is(x, data[0])) ? data[0] : undefined;
      }
      const val = e.attrs['value'];
      return typeof val === 'number' ? val : undefined;
    },
  };
  let changed = false;
  const byOp = (op: OpName): readonly Rule[] => rules.filter((r) => r.ops === 'any' || r.ops.includes(op));
  for (const original of g.eqns) {
    const inputs = original.inputs.map(sub);
    const eqn: Eqn = inputs.some((v, i) => v !== original.inputs[i]) ? { ...original, inputs } : original;
    if (eqn !== original) changed = true;
    let replacement: Var | null = null;
    const prevLoc = b.at(eqn.loc);
    for (const rule of byOp(eqn.op)) {
      replacement = rule.apply(eqn, ctx, b);
      if (replacement) break;
    }
    if (replacement && replacement.id !== eqn.out.id) {
      if (!sameShape(replacement.shape, eqn.out.shape)) {
        if (!broadcastsTo(replacement.shape, eqn.out.shape)) {
          throw new InternalError(`rewrite of ${eqn.op} gave shape [${replacement.shape.join(',')}] for [${eqn.out.shape.join(',')}]`);
        }
        replacement = b.broadcastTo(replacement, eqn.out.shape);
      }
      subst.set(eqn.out.id, replacement);
      changed = true;
    } else {
      b.emit(eqn);
    }
    b.at(prevLoc);
    const all = b.equations();
    for (let i = defs.size; i < all.length; i++) defs.set(all[i]!.out.id, all[i]!);
  }
  if (!changed && !g.outputs.some((o) => subst.has(o.var.id))) return g;
  for (const o of g.outputs) b.output(o.name, sub(o.var), o.role);
  return b.build();
}

/** Applies `rules` until none fires (at most `maxSweeps` sweeps); returns `g` itself when nothing changed. */
export function rewrite(g: Graph, rules: readonly Rule[], maxSweeps = 8): Graph {
  let cur = g;
  for (let i = 0; i < maxSweeps; i++) {
    const next = sweep(cur, rules);
    if (next === cur) break;
    cur = next;
  }
  return cur;
}
