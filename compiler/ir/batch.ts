/**
 * Batching (a small vmap) of a graph over two leading "pair" axes, used to lower `pairwise` bodies:
 * a batched value of logical shape L is stored as [b1, b2, ...L] with b1, b2 broadcastable pair dims.
 */
import { InternalError } from '../diagnostics/internal-error.js';
import type { GraphBuilder } from './builder.js';
import type { Attrs, Eqn, Graph, Shape, Var } from './ir.js';
import { broadcastShapes, listAttr, numAttr, type OpName } from './ops.js';

/** A value while batching: `batched` ones carry the two pair axes in front of their logical shape. */
export interface BVal {
  readonly v: Var;
  readonly batched: boolean;
}

const PAIR = 2;

type BatchRule = (b: GraphBuilder, eqn: Eqn, ins: readonly BVal[]) => Var;

function pairDims(x: BVal): Shape {
  return x.batched ? x.v.shape.slice(0, PAIR) : [1, 1];
}

/** Reshapes a value to [pair dims, 1…, logical] with `rank` logical axes (right-aligned broadcasting). */
function lift(b: GraphBuilder, x: BVal, logical: Shape, rank: number): Var {
  const ones = new Array<number>(rank - logical.length).fill(1);
  return b.reshape(x.v, [...pairDims(x), ...ones, ...logical]);
}

const shifted = (axes: readonly number[]): number[] => axes.map((a) => a + PAIR);

const elementwise: BatchRule = (b, e, ins) => {
  const rank = e.out.shape.length;
  return b.op(e.op, ins.map((x, i) => lift(b, x, e.inputs[i]!.shape, rank)), e.attrs);
};

const sameOp: BatchRule = (b, e, ins) => b.op(e.op, [ins[0]!.v], e.attrs);

const reduceRule: BatchRule = (b, e, ins) => b.op(e.op, [ins[0]!.v], { ...e.attrs, axes: shifted(listAttr(e.attrs, 'axes')) });

const axisRule: BatchRule = (b, e, ins) => b.op(e.op, [ins[0]!.v], { ...e.attrs, axis: numAttr(e.attrs, 'axis') + PAIR });

const unsupported =
  (why: string): BatchRule =>
  (_b, e) => {
    throw new InternalError(`cannot batch ${e.op} inside pairwise: ${why}`);
  };

function withAttrs(attrs: Attrs, extra: Attrs): Attrs {
  return { ...attrs, ...extra };
}

/** Batched 2-D matmul as broadcast multiply + sum: [.., p, k, 1] * [.., 1, k, n] summed over k. */
const matmulRule: BatchRule = (b, e, ins) => {
  const [A, B] = ins as [BVal, BVal];
  const ta = e.attrs['transposeA'] === true;
  const tb = e.attrs['transposeB'] === true;
  const opA = (x: BVal, t: boolean): BVal => (t ? { v: b.transpose(x.v, x.batched ? [0, 1, 3, 2] : [1, 0]), batched: x.batched } : x);
  const a = opA(A, ta);
  const c = opA(B, tb);
  const [p, k] = ta ? [e.inputs[0]!.shape[1]!, e.inputs[0]!.shape[0]!] : [e.inputs[0]!.shape[0]!, e.inputs[0]!.shape[1]!];
  const n = tb ? e.inputs[1]!.shape[0]! : e.inputs[1]!.shape[1]!;
  const a4 = b.reshape(a.v, [...pairDims(a), p, k, 1]);
  const c4 = b.reshape(c.v, [...pairDims(c), 1, k, n]);
  return b.sum(b.mul(a4, c4), [PAIR + 1]);
};

/** How each op acts on batched inputs (only called when some input is batched). */
export const BATCH_RULES = {
  const: unsupported('constants have no inputs'),
  neg: sameOp,
  exp: sameOp,
  log: sameOp,
  log1p: sameOp,
  sqrt: sameOp,
  rsqrt: sameOp,
  abs: sameOp,
  sign: sameOp,
  relu: sameOp,
  sigmoid: sameOp,
  tanh: sameOp,
  softplus: sameOp,
  sin: sameOp,
  cos: sameOp,
  square: sameOp,
  reciprocal: sameOp,
  floor: sameOp,
  stop_gradient: sameOp,
  add: elementwise,
  sub: elementwise,
  mul: elementwise,
  div: elementwise,
  pow: elementwise,
  maximum: elementwise,
  minimum: elementwise,
  lt: elementwise,
  le: elementwise,
  gt: elementwise,
  ge: elementwise,
  eq: elementwise,
  ne: elementwise,
  where: elementwise,
  sum: reduceRule,
  max: reduceRule,
  min: reduceRule,
  prod: reduceRule,
  reshape: (b, e, ins) => b.op('reshape', [ins[0]!.v], withAttrs(e.attrs, { shape: [...pairDims(ins[0]!), ...listAttr(e.attrs, 'shape')] })),
  broadcast_to: (b, e, ins) => {
    const shape = listAttr(e.attrs, 'shape');
    const x = lift(b, ins[0]!, e.inputs[0]!.shape, shape.length);
    return b.op('broadcast_to', [x], withAttrs(e.attrs, { shape: [...pairDims(ins[0]!), ...shape] }));
  },
  transpose: (b, e, ins) => b.op('transpose', [ins[0]!.v], withAttrs(e.attrs, { perm: [0, 1, ...shifted(listAttr(e.attrs, 'perm'))] })),
  slice: (b, e, ins) => {
    const pd = pairDims(ins[0]!);
    return b.op(
      'slice',
      [ins[0]!.v],
      withAttrs(e.attrs, {
        begin: [0, 0, ...listAttr(e.attrs, 'begin')],
        end: [...pd, ...listAttr(e.attrs, 'end')],
        strides: [1, 1, ...listAttr(e.attrs, 'strides')],
      }),
    );
  },
  pad: (b, e, ins) =>
    b.op(
      'pad',
      [ins[0]!.v],
      withAttrs(e.attrs, {
        shape: [...pairDims(ins[0]!), ...listAttr(e.attrs, 'shape')],
        begin: [0, 0, ...listAttr(e.attrs, 'begin')],
        strides: [1, 1, ...listAttr(e.attrs, 'strides')],
      }),
    ),
  concat: (b, e, ins) => {
    const common = ins.map(pairDims).reduce((p, q) => broadcastShapes(p, q));
    const parts = ins.map((x, i) => b.broadcastTo(lift(b, x, e.inputs[i]!.shape, e.inputs[i]!.shape.length), [...common, ...e.inputs[i]!.shape]));
    return b.op('concat', parts, withAttrs(e.attrs, { axis: numAttr(e.attrs, 'axis') + PAIR }));
  },
  matmul: matmulRule,
  cumsum: axisRule,
  sort: axisRule,
  argmax: axisRule,
  one_hot: sameOp,
  randn: unsupported('random ops take only the rng key'),
  rand: unsupported('random ops take only the rng key'),
  inv: unsupported('small dense linear algebra is not batched'),
  logdet: unsupported('small dense linear algebra is not batched'),
  solve: unsupported('small dense linear algebra is not batched'),
  proj_simplex: sameOp,
} as const satisfies Record<OpName, BatchRule>;

/**
 * Emits `g`'s equations into `b` with each input bound to a (possibly batched) value; returns the
 * values of g's outputs by name. Equations without batched inputs are copied unchanged.
 */
export function batchGraph(b: GraphBuilder, g: Graph, bind: (name: string, v: Var) => BVal): Record<string, BVal> {
  const env = new Map<number, BVal>();
  for (const inp of g.inputs) env.set(inp.var.id, bind(inp.name, inp.var));
  for (const e of g.eqns) {
    const ins = e.inputs.map((v) => env.get(v.id)!);
    if (ins.some((x) => x.batched)) {
      const rule: BatchRule = BATCH_RULES[e.op];
      env.set(e.out.id, { v: rule(b, e, ins), batched: true });
    } else {
      env.set(e.out.id, { v: b.op(e.op, ins.map((x) => x.v), e.attrs, e.loc), batched: false });
    }
  }
  const out: Record<string, BVal> = {};
  for (const o of g.outputs) out[o.name] = env.get(o.var.id)!;
  return out;
}
