/** Stable text dumps of IR graphs (`gd compile --dump ir`, inline snapshots): no spans, dense var numbers. */
import type { AttrValue, Attrs, Graph, Shape, Var } from './ir.js';

function shapeText(s: Shape): string {
  return `f32[${s.join(',')}]`;
}

function numText(n: number): string {
  if (Object.is(n, -0)) return '-0';
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  return String(n);
}

function attrText(v: AttrValue): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return numText(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  return `[${v.map(numText).join(',')}]`;
}

/** `{a=1, b=[0,1]}` with keys sorted, or '' when there are none. */
export function printAttrs(attrs: Attrs): string {
  const keys = Object.keys(attrs).sort();
  if (keys.length === 0) return '';
  return ` {${keys.map((k) => `${k}=${attrText(attrs[k]!)}`).join(', ')}}`;
}

/**
 * The graph as text, one line per input, equation and output:
 *   in %0:f32[10] w :param
 *   %1:f32[] = sum %0 {axes=[0], keepDims=false}
 *   out loss :objective = %1
 * Vars are renumbered densely in print order (inputs, then equations), so dumps do not depend on
 * how ids were allocated; spans never appear.
 */
export function printGraph(g: Graph): string {
  const names = new Map<number, string>();
  const name = (v: Var): string => names.get(v.id) ?? `%?${v.id}`;
  const def = (v: Var): string => {
    const n = `%${names.size}`;
    names.set(v.id, n);
    return `${n}:${shapeText(v.shape)}`;
  };
  const lines: string[] = [];
  for (const i of g.inputs) lines.push(`in ${def(i.var)} ${i.name} :${i.role}`);
  for (const e of g.eqns) {
    const ins = e.inputs.map(name).join(' ');
    lines.push(`${def(e.out)} = ${e.op}${ins ? ' ' + ins : ''}${printAttrs(e.attrs)}`);
  }
  for (const o of g.outputs) lines.push(`out ${o.name} :${o.role} = ${name(o.var)}`);
  return lines.join('\n') + '\n';
}
