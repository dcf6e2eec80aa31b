/** Compile-time evaluation of scalar expressions: dims, consts, counts, axes, slice bounds, domain arguments. */
import type { Expr, NameRef } from '../ast/ast.js';
import type { CheckedProgram } from './checked.js';

export type ConstResult =
  | { readonly ok: true; readonly value: number }
  /** `node` is the sub-expression that is not constant, `why` says what it is ("'w' is a param"). */
  | { readonly ok: false; readonly node: Expr; readonly why: string };

/** The value of a name, or why it has none at compile time. */
export type NameValue = (ref: NameRef) => number | string;

/** Scalar functions usable in constant expressions (`dim h = 2 * sqrt(n)` is not, `const s = sqrt(2)` is). */
const CONST_FUNCTIONS: Readonly<Record<string, (x: number) => number>> = {
  sqrt: Math.sqrt,
  exp: Math.exp,
  log: Math.log,
  abs: Math.abs,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  square: (x) => x * x,
  sign: Math.sign,
};

/** Names every constant expression may use. */
export const CONST_NAMES: Readonly<Record<string, number>> = { inf: Infinity, pi: Math.PI };

const fail = (node: Expr, why: string): ConstResult => ({ ok: false, node, why });

/** Evaluates `e` to a number, or says which part of it is not known before the run. */
export function evalConst(e: Expr, nameValue: NameValue): ConstResult {
  switch (e.kind) {
    case 'Number':
      return { ok: true, value: e.value };
    case 'Name': {
      const v = nameValue(e);
      return typeof v === 'number' ? { ok: true, value: v } : fail(e, v);
    }
    case 'Unary': {
      const v = evalConst(e.operand, nameValue);
      if (!v.ok) return v;
      return { ok: true, value: e.op === '-' ? -v.value : v.value };
    }
    case 'Binary': {
      if (e.op === '@') return fail(e, "'@' is a tensor operation");
      const l = evalConst(e.left, nameValue);
      if (!l.ok) return l;
      const r = evalConst(e.right, nameValue);
      if (!r.ok) return r;
      const a = l.value;
      const b = r.value;
      switch (e.op) {
        case '+':
          return { ok: true, value: a + b };
        case '-':
          return { ok: true, value: a - b };
        case '*':
          return { ok: true, value: a * b };
        case '/':
          return { ok: true, value: a / b };
        case '^':
          return { ok: true, value: Math.pow(a, b) };
        case '<':
          return { ok: true, value: a < b ? 1 : 0 };
        case '<=':
          return { ok: true, value: a <= b ? 1 : 0 };
        case '>':
          return { ok: true, value: a > b ? 1 : 0 };
        case '>=':
          return { ok: true, value: a >= b ? 1 : 0 };
        case '==':
          return { ok: true, value: a === b ? 1 : 0 };
        case '!=':
          return { ok: true, value: a !== b ? 1 : 0 };
      }
      return fail(e, 'it uses an unknown operator');
    }
    case 'Call': {
      const f = Object.hasOwn(CONST_FUNCTIONS, e.callee.name) ? CONST_FUNCTIONS[e.callee.name] : undefined;
      if (!f) {
        // A non-constant argument explains more than the function does ("'X' is data").
        for (const a of e.args) {
          const v = evalConst(a.value, nameValue);
          if (!v.ok) return v;
        }
        return fail(e, `'${e.callee.name}(...)' is not evaluated at compile time`);
      }
      if (e.args.length !== 1 || e.args[0]!.name !== null) return fail(e, `'${e.callee.name}' takes one argument`);
      const v = evalConst(e.args[0]!.value, nameValue);
      return v.ok ? { ok: true, value: f(v.value) } : v;
    }
    case 'String':
      return fail(e, 'it is a string');
    case 'Tensor':
      return fail(e, 'it is a tensor literal');
    case 'Index': {
      const v = evalConst(e.target, nameValue);
      return v.ok ? fail(e, 'it indexes a tensor') : v;
    }
    case 'Attr':
      return fail(e, 'it is a tensor expression');
    case 'Lambda':
      return fail(e, 'it is a lambda');
  }
}

/**
 * The compile-time value of an expression of an already-checked program, resolving names as the checker
 * does: the symbol a name refers to (dims and consts have values), then the constant names `inf` and `pi`.
 * Used by every phase after checking (lowering, step building, initializers, emitters).
 */
export function checkedConst(checked: CheckedProgram, e: Expr): ConstResult {
  return evalConst(e, (ref) => {
    const s = checked.refs.get(ref) ?? checked.symbols.get(ref.name);
    if (s && (s.kind === 'dim' || s.kind === 'const')) return s.value;
    if (Object.hasOwn(CONST_NAMES, ref.name)) return CONST_NAMES[ref.name]!;
    return `'${ref.name}' is not a constant`;
  });
}
