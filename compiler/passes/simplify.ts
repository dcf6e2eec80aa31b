/**
 * Algebraic simplification as data: identity-element rules and structural rules for the rewrite engine.
 * No rule changes a value, including NaN and ±inf: x*0 → 0 and x-x → 0 are NOT applied because they
 * are false for x = NaN or ±inf (the only liberty taken: x + 0 → x turns -0 + 0 = +0 into -0).
 */
import type { Eqn, Var } from '../ir/ir.js';
import { listAttr, sameShape, type OpName } from '../ir/ops.js';
import type { Rule, RewriteContext } from './rewrite.js';

/** `x op e == x` for the identity element e, on the sides given. */
export const IDENTITY_ELEMENTS: readonly { readonly op: OpName; readonly value: number; readonly sides: 'both' | 'right' }[] = [
  { op: 'add', value: 0, sides: 'both' },
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
      if (c.constValue(b) === id.value) return a;
      if (id.sides === 'both' && c.constValue(a) === id.value) return b;
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
    name: 'sub-from-zero',
    ops: ['sub'],
    apply: (e, c, b) => (c.constValue(e.inputs[0]!) === 0 && sameShape(e.inputs[1]!.shape, e.out.shape) ? b.neg(e.inputs[1]!) : null),
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

/** Every simplification rule, identity elements first. */
export const SIMPLIFY_RULES: readonly Rule[] = [...IDENTITY_ELEMENTS.map(identityRule), ...STRUCTURAL_RULES];
