/**
 * Algebraic simplification as data: identity-element rules and structural rules for the rewrite engine.
 * No rule changes a value, not even the sign of a zero: x*0 → 0 and x-x → 0 are NOT applied (false for
 * NaN and ±inf), x + 0 → x only for the constant -0 and 0 - x → -x not at all (both false for x = +0).
 * The one liberty: (x·c2)·c1 → x·(c1c2) rounds the constant product once instead of the two products.
 */
import type { Eqn, Var } from '../ir/ir.js';
import { broadcastShapes, listAttr, sameShape, type OpName } from '../ir/ops.js';
import type { Rule, RewriteContext } from './rewrite.js';

/** `x op e == x` for the identity element e, on the sides given. */
export const IDENTITY_ELEMENTS: readonly { readonly op: OpName; readonly value: number; readonly sides: 'both' | 'right' }[] = [
  // -0, not +0: x + (-0) is x for every x, while -0 + (+0) is +0 (1/x would flip sign).
  { op: 'add', value: -0, sides: 'both' },
  { op: 'sub', value: 0, sides: 'right' },
  { op: 'mul', value: 1, sides: 'both' },
  { op: 'div', value: 1, sides: 'right' },
  { op: 'pow', value: 1, sides: 'right' },
  { op: 'maximum', value: -Infinity, sides: 'both' },
  { op: 'minimum', value: Infinity, sides: 'both' },
];

function identityRule(id: (typeof IDENTITY_ELEMENTS)[number]): Rule {
  return {
    name: `${id.op}-identity`,
    ops: [id.op],
    apply: (e, c) => {
      const [a, b] = e.inputs as [Var, Var];
      // A kept operand smaller than the result is broadcast back by the engine.
      if (Object.is(c.constValue(b), id.value)) return a;
      if (id.sides === 'both' && Object.is(c.constValue(a), id.value)) return b;
      return null;
    },
  };
}

/** The input of `v`'s defining equation when that equation is `op`. */
function through(c: RewriteContext, v: Var, op: OpName): Eqn | undefined {
  const d = c.def(v);
  return d && d.op === op ? d : undefined;
}

/** Structural rules (name, root ops, rewrite). */
export const STRUCTURAL_RULES: readonly Rule[] = [
  {
    name: 'neg-neg',
    ops: ['neg'],
    apply: (e, c) => through(c, e.inputs[0]!, 'neg')?.inputs[0] ?? null,
  },
  {
    name: 'mul-minus-one',
    ops: ['mul'],
    apply: (e, c, b) => {
      const [x, y] = e.inputs as [Var, Var];
      if (c.constValue(y) === -1 && sameShape(x.shape, e.out.shape)) return b.neg(x);
      if (c.constValue(x) === -1 && sameShape(y.shape, e.out.shape)) return b.neg(y);
      return null;
    },
  },
  {
    name: 'pow-two',
    ops: ['pow'],
    apply: (e, c, b) => (c.constValue(e.inputs[1]!) === 2 && sameShape(e.inputs[0]!.shape, e.out.shape) ? b.unary('square', e.inputs[0]!) : null),
  },
  {
    name: 'reshape-noop',
    ops: ['reshape', 'broadcast_to'],
    apply: (e) => (sameShape(e.inputs[0]!.shape, e.out.shape) ? e.inputs[0]! : null),
  },
  {
    name: 'reshape-reshape',
    ops: ['reshape'],
    apply: (e, c, b) => {
      const inner = through(c, e.inputs[0]!, 'reshape');
      return inner ? b.op('reshape', [inner.inputs[0]!], e.attrs) : null;
    },
  },
  {
    // matmul(a, bᵀ) reads b transposed instead of materializing bᵀ (likewise for a).
    name: 'matmul-transpose',
    ops: ['matmul'],
    apply: (e, c, b) => {
      const [x, y] = e.inputs as [Var, Var];
      // Any 2-D transpose is perm [1, 0] (the builder never emits the identity, and simplify removes it).
      const tx = through(c, x, 'transpose');
      const ty = through(c, y, 'transpose');
      if (!tx && !ty) return null;
      const ta = e.attrs['transposeA'] === true;
      const tb = e.attrs['transposeB'] === true;
      return b.op('matmul', [tx ? tx.inputs[0]! : x, ty ? ty.inputs[0]! : y], { ...e.attrs, transposeA: tx ? !ta : ta, transposeB: ty ? !tb : tb });
    },
  },
  {
    name: 'transpose-identity',
    ops: ['transpose'],
    apply: (e) => (listAttr(e.attrs, 'perm').every((p, i) => p === i) ? e.inputs[0]! : null),
  },
  {
    name: 'transpose-transpose',
    ops: ['transpose'],
    apply: (e, c, b) => {
      const inner = through(c, e.inputs[0]!, 'transpose');
      if (!inner) return null;
      const p = listAttr(inner.attrs, 'perm');
      const q = listAttr(e.attrs, 'perm');
      const r = q.map((j) => p[j]!);
      return r.every((x, i) => x === i) ? inner.inputs[0]! : b.op('transpose', [inner.inputs[0]!], { ...e.attrs, perm: r });
    },
  },
];

/** Elementwise ops whose operands broadcast (a uniform constant operand can shrink to a scalar). */
const BROADCASTING: readonly OpName[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'lt', 'le', 'gt', 'ge', 'eq', 'ne', 'where'];

/** Constant-operand rules: keep constants scalar, and merge chains of constant factors. */
export const CONSTANT_RULES: readonly Rule[] = [
  {
    // Folding and VJPs produce fills like const[200] = 0.0025; a scalar broadcasts to the same values.
    name: 'uniform-const-to-scalar',
    ops: BROADCASTING,
    apply: (e, c, b) => {
      const k = e.inputs.findIndex((v) => v.shape.length > 0 && c.constValue(v) !== undefined);
      if (k < 0) return null;
      const others = e.inputs.filter((_, i) => i !== k);
      const rest = others.reduce<readonly number[]>((acc, v) => broadcastShapes(acc, v.shape), []);
      if (!sameShape(rest, e.out.shape)) return null;
      const inputs = e.inputs.map((v, i) => (i === k ? b.const(c.constValue(v)!) : v));
      return b.op(e.op, inputs, e.attrs);
    },
  },
  {
    // Broadcasting ops broadcast by themselves: an explicit broadcast_to operand (sum's VJP makes them)
    // need not be materialized when the other operands already give the result its shape.
    name: 'elide-broadcast-to',
    ops: BROADCASTING,
    apply: (e, c, b) => {
      const k = e.inputs.findIndex((v) => through(c, v, 'broadcast_to') !== undefined);
      if (k < 0) return null;
      const src = through(c, e.inputs[k]!, 'broadcast_to')!.inputs[0]!;
      const inputs = e.inputs.map((v, i) => (i === k ? src : v));
      const shape = inputs.reduce<readonly number[]>((acc, v) => broadcastShapes(acc, v.shape), []);
      return sameShape(shape, e.out.shape) ? b.op(e.op, inputs, e.attrs) : null;
    },
  },
  {
    // (x * c2) * c1 → x * (c1 c2): one multiply instead of two (float32 rounding of the product only).
    name: 'mul-const-chain',
    ops: ['mul'],
    apply: (e, c, b) => {
      const [p, q] = e.inputs as [Var, Var];
      const [k, inner] = p.shape.length === 0 && c.constValue(p) !== undefined ? [c.constValue(p)!, q] : q.shape.length === 0 && c.constValue(q) !== undefined ? [c.constValue(q)!, p] : [undefined, p];
      if (k === undefined) return null;
      const d = through(c, inner, 'mul');
      if (!d) return null;
      const [x, y] = d.inputs as [Var, Var];
      const cx = x.shape.length === 0 ? c.constValue(x) : undefined;
      const cy = y.shape.length === 0 ? c.constValue(y) : undefined;
      if (cy !== undefined) return b.mul(x, b.const(Math.fround(k * cy)));
      if (cx !== undefined) return b.mul(y, b.const(Math.fround(k * cx)));
      return null;
    },
  },
];

/** Every simplification rule, identity elements first. */
export const SIMPLIFY_RULES: readonly Rule[] = [...IDENTITY_ELEMENTS.map(identityRule), ...STRUCTURAL_RULES, ...CONSTANT_RULES];
