/** Common-subexpression elimination by value numbering: equal (op, attrs, inputs) compute equal values once. */
import { GraphBuilder } from '../ir/builder.js';
import type { AttrValue, Attrs, Graph, Var } from '../ir/ir.js';
import type { OpName } from '../ir/ops.js';

/** Ops whose two inputs may be swapped without changing the value. */
const COMMUTATIVE: ReadonlySet<OpName> = new Set<OpName>(['add', 'mul', 'maximum', 'minimum', 'eq', 'ne']);

function attrKey(attrs: Attrs): string {
  return Object.keys(attrs)
    .sort()
    // JSON would print -0 as 0 and NaN/inf as null; constants differing only there must not merge.
    .map((k) => `${k}=${JSON.stringify(attrs[k] as AttrValue, (_k, v: unknown) => (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)) ? `#${Object.is(v, -0) ? '-0' : String(v)}` : v))}`)
    .join(';');
}

/**
 * Replaces each equation whose key (op, attrs, value numbers of inputs — sorted for commutative ops)
 * was seen before by the earlier var. Random ops are included: they are pure functions of their key
 * and stream, so equal keys draw equal numbers. Returns `g` itself when nothing merges.
 */
export function cse(g: Graph): Graph {
  const seen = new Map<string, Var>();
  const subst = new Map<number, Var>();
  const sub = (v: Var): Var => subst.get(v.id) ?? v;
  const b = new GraphBuilder({ inputs: g.inputs, eqns: [], outputs: [] });
  for (const e of g.eqns) {
    const inputs = e.inputs.map(sub);
    const ids = inputs.map((v) => v.id);
    if (COMMUTATIVE.has(e.op)) ids.sort((p, q) => p - q);
    const key = `${e.op}(${ids.join(',')}){${attrKey(e.attrs)}}`;
    const prev = seen.get(key);
    if (prev) {
      subst.set(e.out.id, prev);
      continue;
    }
    seen.set(key, e.out);
    b.emit(inputs.some((v, i) => v !== e.inputs[i]) ? { ...e, inputs } : e);
  }
  if (subst.size === 0) return g;
  for (const o of g.outputs) b.output(o.name, sub(o.var), o.role);
  return b.build();
}
