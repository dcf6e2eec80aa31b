/** Graph verification: SSA, defined-before-use, every shape agreeing with the op table, unique names. */
import { InternalError } from '../diagnostics/internal-error.js';
import type { Graph, Var } from './ir.js';
import { inferShape, sameShape } from './ops.js';

/**
 * Throws InternalError when `g` is malformed: a var defined twice, used before its definition,
 * an equation whose recorded shape differs from the op table's, a var whose shape differs between
 * uses, or duplicate input names / (role, name) output pairs. Returns `g` for chaining.
 */
export function verifyGraph(g: Graph): Graph {
  const defined = new Map<number, Var>();
  const define = (v: Var, what: string): void => {
    if (defined.has(v.id)) throw new InternalError(`%${v.id} defined twice (${what})`);
    defined.set(v.id, v);
  };
  const use = (v: Var, what: string): void => {
    const d = defined.get(v.id);
    if (!d) throw new InternalError(`%${v.id} used before definition (${what})`);
    if (!sameShape(d.shape, v.shape)) throw new InternalError(`%${v.id} used with shape [${v.shape.join(',')}] but defined [${d.shape.join(',')}]`);
  };
  const inputNames = new Set<string>();
  for (const inp of g.inputs) {
    if (inputNames.has(inp.name)) throw new InternalError(`duplicate graph input '${inp.name}'`);
    inputNames.add(inp.name);
    define(inp.var, `input ${inp.name}`);
  }
  g.eqns.forEach((e, i) => {
    const where = `eqn ${i} (${e.op})`;
    for (const v of e.inputs) use(v, where);
    let shape;
    try {
      shape = inferShape(e.op, e.inputs.map((v) => v.shape), e.attrs);
    } catch (err) {
      throw new InternalError(`${where}: ${(err as Error).message}`);
    }
    if (!sameShape(shape, e.out.shape)) {
      throw new InternalError(`${where}: recorded shape [${e.out.shape.join(',')}] but op gives [${shape.join(',')}]`);
    }
    define(e.out, where);
  });
  const outKeys = new Set<string>();
  for (const o of g.outputs) {
    const key = `${o.role}:${o.name}`;
    if (outKeys.has(key)) throw new InternalError(`duplicate graph output ${key}`);
    outKeys.add(key);
    use(o.var, `output ${o.name}`);
  }
  return g;
}
