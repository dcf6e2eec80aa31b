/**
 * One vector-Jacobian product rule per op: given the cotangent of an equation's output, emit IR for
 * the cotangents of its inputs. Subgradient conventions (all documented in docs/ir.md):
 * relu'(0) = 0, abs'(0) = 0 (sign(0) = 0), sign' = floor' = 0; max/min reductions send the gradient
 * to ONE element, the first extremum in row-major order; maximum/minimum ties go to the first operand;
 * stop_gradient, comparisons, sort, argmax, one_hot, randn, rand and proj_simplex have zero gradient;
 * prod's rule is exact with zeros (the product of the other elements, without dividing by zero).
 */
import { InternalError } from '../diagnostics/internal-error.js';
import type { GraphBuilder } from '../ir/builder.js';
import type { Eqn, Shape, Var } from '../ir/ir.js';
import { boolAttr, listAttr, numAttr, sameShape, type OpName } from '../ir/ops.js';

export interface VjpContext {
  readonly b: GraphBuilder;
  readonly eqn: Eqn;
  /** Cotangent of eqn.out (same shape). */
  readonly ct: Var;
  /** Which inputs need a cotangent (others may be returned as null and are ignored). */
  readonly needs: readonly boolean[];
}

/** Cotangents per input, in input order; null means zero (or not needed). */
export type VjpRule = (ctx: VjpContext) => readonly (Var | null)[];

/** Sums a broadcast cotangent back to `shape`: over leading axes and over axes where `shape` has 1. */
export function unbroadcast(b: GraphBuilder, ct: Var, shape: Shape): Var {
  if (sameShape(ct.shape, shape)) return ct;
  const off = ct.shape.length - shape.length;
  const axes: number[] = [];
  ct.shape.forEach((d, i) => {
    if (i < off || (shape[i - off] === 1 && d !== 1)) axes.push(i);
  });
  const summed = axes.length > 0 ? b.sum(ct, axes, false) : ct;
  return b.reshape(summed, shape);
}

const x0 = (c: VjpContext): Var => c.eqn.inputs[0]!;
const x1 = (c: VjpContext): Var => c.eqn.inputs[1]!;
const out = (c: VjpContext): Var => c.eqn.out;

/** Elementwise unary rule: input cotangent = ct * dy/dx. */
function unary(deriv: (c: VjpContext) => Var): VjpRule {
  return (c) => [c.b.mul(c.ct, deriv(c))];
}

const none: VjpRule = (c) => c.eqn.inputs.map(() => null);

/** For binary ops: each needed input's cotangent, unbroadcast to its shape. */
function binary(da: (c: VjpContext) => Var, db: (c: VjpContext) => Var): VjpRule {
  return (c) => [
    c.needs[0] ? unbroadcast(c.b, da(c), x0(c).shape) : null,
    c.needs[1] ? unbroadcast(c.b, db(c), x1(c).shape) : null,
  ];
}

/** The reduced result, reshaped to keepDims layout so it broadcasts against the input. */
function keepDimsOf(c: VjpContext, v: Var): Var {
  const axes = listAttr(c.eqn.attrs, 'axes');
  const keep = x0(c).shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return c.b.reshape(v, keep);
}

/** Gradient of max/min reductions: all of ct to the first extremum (row-major over the reduced axes). */
const extremumRule: VjpRule = (c) => {
  const { b } = c;
  const x = x0(c);
  const axes = listAttr(c.eqn.attrs, 'axes');
  const mask = b.op('eq', [x, keepDimsOf(c, out(c))]);
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...kept, ...axes];
  const moved = b.transpose(mask, perm);
  const r = axes.reduce((n, a) => n * x.shape[a]!, 1);
  const flat = b.reshape(moved, [...kept.map((i) => x.shape[i]!), r]);
  const cs = b.op('cumsum', [flat], { axis: kept.length, reverse: false });
  const first = b.mul(flat, b.op('eq', [cs, b.const(1)]));
  const back = b.reshape(first, moved.shape);
  const inverse = perm.map((_, i) => perm.indexOf(i));
  const firstMask = b.transpose(back, inverse);
  return [b.mul(firstMask, keepDimsOf(c, c.ct))];
};

export const VJP_RULES = {
  const: () => [],
  neg: (c) => [c.b.neg(c.ct)],
  exp: unary(out),
  log: (c) => [c.b.div(c.ct, x0(c))],
  log1p: (c) => [c.b.div(c.ct, c.b.add(x0(c), 1))],
  sqrt: (c) => [c.b.div(c.b.mul(c.ct, 0.5), out(c))],
  rsqrt: unary((c) => c.b.div(c.b.mul(out(c), -0.5), x0(c))),
  abs: unary((c) => c.b.unary('sign', x0(c))),
  sign: none,
  relu: unary((c) => c.b.op('gt', [x0(c), c.b.const(0)])),
  sigmoid: unary((c) => c.b.mul(out(c), c.b.sub(1, out(c)))),
  tanh: unary((c) => c.b.sub(1, c.b.mul(out(c), out(c)))),
  softplus: unary((c) => c.b.unary('sigmoid', x0(c))),
  sin: unary((c) => c.b.unary('cos', x0(c))),
  cos: unary((c) => c.b.neg(c.b.unary('sin', x0(c)))),
  square: unary((c) => c.b.mul(x0(c), 2)),
  reciprocal: (c) => [c.b.neg(c.b.mul(c.ct, c.b.mul(out(c), out(c))))],
  floor: none,
  stop_gradient: none,
  add: binary((c) => c.ct, (c) => c.ct),
  sub: binary((c) => c.ct, (c) => c.b.neg(c.ct)),
  mul: binary((c) => c.b.mul(c.ct, x1(c)), (c) => c.b.mul(c.ct, x0(c))),
  div: binary(
    (c) => c.b.div(c.ct, x1(c)),
    (c) => c.b.neg(c.b.div(c.b.mul(c.ct, out(c)), x1(c))),
  ),
  // d/db a^b = a^b log a, taken as 0 where a <= 0 (where the real power is only defined for integer b).
  pow: binary(
    (c) => c.b.mul(c.ct, c.b.mul(x1(c), c.b.pow(x0(c), c.b.sub(x1(c), 1)))),
    (c) => {
      const { b } = c;
      const pos = b.op('gt', [x0(c), b.const(0)]);
      const safeA = b.where(pos, x0(c), 1);
      return b.mul(c.ct, b.where(pos, b.mul(out(c), b.unary('log', safeA)), 0));
    },
  ),
  maximum: binary(
    (c) => c.b.mul(c.ct, c.b.op('ge', [x0(c), x1(c)])),
    (c) => c.b.mul(c.ct, c.b.op('lt', [x0(c), x1(c)])),
  ),
  minimum: binary(
    (c) => c.b.mul(c.ct, c.b.op('le', [x0(c), x1(c)])),
    (c) => c.b.mul(c.ct, c.b.op('gt', [x0(c), x1(c)])),
  ),
  lt: none,
  le: none,
  gt: none,
  ge: none,
  eq: none,
  ne: none,
  where: (c) => {
    const [cond, a, bb] = c.eqn.inputs as [Var, Var, Var];
    return [
      null,
      c.needs[1] ? unbroadcast(c.b, c.b.where(cond, c.ct, 0), a.shape) : null,
      c.needs[2] ? unbroadcast(c.b, c.b.where(cond, 0, c.ct), bb.shape) : null,
    ];
  },
  sum: (c) => [c.b.broadcastTo(keepDimsOf(c, c.ct), x0(c).shape)],
  max: extremumRule,
  min: extremumRule,
  // Exact with zeros: the product of the other elements is prod/x without zeros, the product of the
  // non-zero elements at the single zero, and 0 everywhere when two or more elements are zero.
  prod: (c) => {
    const { b } = c;
    const x = x0(c);
    const axes = listAttr(c.eqn.attrs, 'axes');
    const isZero = b.op('eq', [x, b.const(0)]);
    const zeros = b.sum(isZero, axes, true);
    const nonzeroProd = b.prod(b.where(isZero, 1, x), axes, true);
    const others = b.where(
      b.op('eq', [zeros, b.const(0)]),
      b.div(nonzeroProd, b.where(isZero, 1, x)),
      b.where(b.mul(b.op('eq', [zeros, b.const(1)]), isZero), nonzeroProd, 0),
    );
    return [b.mul(keepDimsOf(c, c.ct), others)];
  },
  reshape: (c) => [c.b.reshape(c.ct, x0(c).shape)],
  broadcast_to: (c) => [unbroadcast(c.b, c.ct, x0(c).shape)],
  transpose: (c) => {
    const perm = listAttr(c.eqn.attrs, 'perm');
    return [c.b.transpose(c.ct, perm.map((_, i) => perm.indexOf(i)))];
  },
  slice: (c) => [
    c.b.op('pad', [c.ct], {
      shape: [...x0(c).shape],
      begin: [...listAttr(c.eqn.attrs, 'begin')],
      strides: [...listAttr(c.eqn.attrs, 'strides')],
    }),
  ],
  pad: (c) => {
    const begin = listAttr(c.eqn.attrs, 'begin');
    const strides = listAttr(c.eqn.attrs, 'strides');
    const end = x0(c).shape.map((n, i) => begin[i]! + n * strides[i]!);
    return [c.b.slice(c.ct, begin, end, strides)];
  },
  concat: (c) => {
    const axis = numAttr(c.eqn.attrs, 'axis');
    let at = 0;
    return c.eqn.inputs.map((v, k) => {
      const begin = v.shape.map((_, i) => (i === axis ? at : 0));
      const end = v.shape.map((d, i) => (i === axis ? at + d : d));
      at += v.shape[axis]!;
      return c.needs[k] ? c.b.slice(c.ct, begin, end) : null;
    });
  },
  matmul: (c) => {
    const { b, ct } = c;
    const [A, B] = c.eqn.inputs as [Var, Var];
    const ta = boolAttr(c.eqn.attrs, 'transposeA');
    const tb = boolAttr(c.eqn.attrs, 'transposeB');
    // C = op(A) op(B); d op(A) = ct op(B)ᵀ, d op(B) = op(A)ᵀ ct, then undo each op.
    const dA = !c.needs[0]
      ? null
      : ta
        ? b.matmul(B, ct, { transposeA: tb, transposeB: true })
        : b.matmul(ct, B, { transposeB: !tb });
    const dB = !c.needs[1]
      ? null
      : tb
        ? b.matmul(ct, A, { transposeA: true, transposeB: ta })
        : b.matmul(A, ct, { transposeA: !ta });
    return [dA, dB];
  },
  cumsum: (c) => [c.b.op('cumsum', [c.ct], { axis: numAttr(c.eqn.attrs, 'axis'), reverse: !boolAttr(c.eqn.attrs, 'reverse') })],
  sort: none,
  argmax: none,
  one_hot: none,
  randn: none,
  rand: none,
  // d(A⁻¹) = -A⁻¹ dA A⁻¹, so dA = -Yᵀ ct Yᵀ with Y = A⁻¹.
  inv: (c) => {
    const { b } = c;
    const Y = out(c);
    return [b.neg(b.matmul(b.matmul(Y, c.ct, { transposeA: true }), Y, { transposeB: true }))];
  },
  // d log|det A| = A⁻ᵀ.
  logdet: (c) => [c.b.mul(c.b.transpose(c.b.op('inv', [x0(c)]), [1, 0]), c.ct)],
  // x = A⁻¹ b: db = A⁻ᵀ ct, dA = -db xᵀ.
  solve: (c) => {
    const { b } = c;
    const [A, rhs] = c.eqn.inputs as [Var, Var];
    const db = b.op('solve', [b.transpose(A, [1, 0]), c.ct]);
    let dA: Var | null = null;
    if (c.needs[0]) {
      const n = A.shape[0]!;
      const db2 = rhs.shape.length === 1 ? b.reshape(db, [n, 1]) : db;
      const x2 = rhs.shape.length === 1 ? b.reshape(out(c), [n, 1]) : out(c);
      dA = b.neg(b.matmul(db2, x2, { transposeB: true }));
    }
    return [dA, c.needs[1] ? db : null];
  },
  proj_simplex: none,
} as const satisfies Record<OpName, VjpRule>;

/** The rule for an op. */
export function vjpRule(op: OpName): VjpRule {
  const rule: VjpRule | undefined = VJP_RULES[op];
  if (!rule) throw new InternalError(`no vjp rule for ${op}`);
  return rule;
}
