/**
 * How the emitted module computes each initial value: the same decision runtime/init-values.ts
 * (directInit) makes, so that fills, seeded random draws and expression initializers match `gd run`.
 */
import type * as A from '../../ast/ast.js';
import type { CheckedProgram } from '../../check/checked.js';
import { checkedConst } from '../../check/eval-const.js';
import { siteStream } from '../../ir/lower.js';

export type InitKind =
  | { readonly kind: 'fill'; readonly value: 0 | 1 }
  | { readonly kind: 'uniform' }
  /** seed null: the run's seed. */
  | { readonly kind: 'random'; readonly dist: 'randn' | 'rand'; readonly seed: number | null; readonly stream: number }
  | { readonly kind: 'unit'; readonly index: number; readonly size: number }
  | { readonly kind: 'expr'; readonly expr: A.Expr };

/** The value of a constant expression over the program's dims and consts, or null. */
export function constOf(checked: CheckedProgram, e: A.Expr): number | null {
  const r = checkedConst(checked, e);
  return r.ok ? r.value : null;
}

/** How to compute an initializer (mirrors runtime/init-values.ts directInit; anything else is an expression). */
export function initKind(checked: CheckedProgram, init: A.Expr | null, shape: readonly number[], domain: string): InitKind {
  if (init === null) return domain === 'simplex' ? { kind: 'uniform' } : { kind: 'fill', value: 0 };
  const expr: InitKind = { kind: 'expr', expr: init };
  const name = init.kind === 'Name' ? init.name : init.kind === 'Call' ? init.callee.name : null;
  if (name === null || checked.symbols.has(name)) return expr;
  const args = init.kind === 'Call' ? init.args : [];
  const positional = args.filter((a) => a.name === null);
  const named = new Map(args.filter((a) => a.name !== null).map((a) => [a.name!.name, a.value]));
  const shapeArgOk = () =>
    positional.length === 0 || (positional.every((a, i) => constOf(checked, a.value) === shape[i]) && positional.length === shape.length);
  switch (name) {
    case 'zeros':
    case 'ones':
      return named.size > 0 || !shapeArgOk() ? expr : { kind: 'fill', value: name === 'ones' ? 1 : 0 };
    case 'uniform':
      return init.kind === 'Name' || args.length === 0 ? { kind: 'uniform' } : expr;
    case 'randn':
    case 'rand': {
      if (!shapeArgOk() || [...named.keys()].some((k) => k !== 'seed')) return expr;
      const seedExpr = named.get('seed');
      const seed = seedExpr === undefined ? null : constOf(checked, seedExpr);
      if (seedExpr !== undefined && seed === null) return expr;
      return { kind: 'random', dist: name, seed, stream: siteStream(init.span) };
    }
    case 'one_hot': {
      if (positional.length !== 2 || named.size > 0) return expr;
      const i = constOf(checked, positional[0]!.value);
      const k = constOf(checked, positional[1]!.value);
      if (i === null || k === null || shape.length !== 1 || shape[0] !== k) return expr;
      return { kind: 'unit', index: i, size: k };
    }
    default:
      return expr;
  }
}
