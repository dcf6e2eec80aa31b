/**
 * Initial values of data, params and particles. The common initializers are filled on the host with
 * the counter-based generator of compiler/ir/rng.ts, so any tool that reproduces these rules (the
 * interpreter, gradcheck, emitted code) draws the same numbers:
 *   zeros, ones               — constant fills;
 *   uniform                   — 1/k along the last axis (the simplex's centre, whatever the domain);
 *   randn(seed: s), rand(seed: s) — randnFill/randFill(seed s, stream siteStream(call), n, step 0),
 *                               exactly what compiler/ir/lower.ts emits for the same call;
 *   randn, rand (no seed)     — the same with the run's --seed (the lowering's rng key at step 0);
 *   one_hot(i, k) with constant arguments — a unit vector.
 * Anything else (`X @ w_true`, `tanh(X[:, 0])`, `randn(seed: 7) * 0.1`) is an expression: it is
 * lowered to an IR graph by the caller's compiler and run by the executor.
 * A param without an initializer starts at zeros, except on the simplex, where zeros is infeasible
 * and it starts at uniform.
 */
import type * as A from '../compiler/ast/ast.js';
import type { CheckedProgram, Sym } from '../compiler/check/checked.js';
import { checkedConst } from '../compiler/check/eval-const.js';
import { randFill, randnFill } from '../compiler/ir/rng.js';
import { siteStream } from '../compiler/ir/lower.js';
import { filled, sizeOf, type HostTensor } from './data/host-tensor.js';

/** The value of a constant expression over the program's dims and consts, or null when it is not constant. */
export function constValue(checked: CheckedProgram, e: A.Expr): number | null {
  const r = checkedConst(checked, e);
  return r.ok ? r.value : null;
}

function uniform(shape: readonly number[]): HostTensor {
  const k = shape.length === 0 ? 1 : shape[shape.length - 1]!;
  return filled(shape, 1 / k);
}

function randomFill(kind: 'randn' | 'rand', shape: readonly number[], seed: number, stream: number): HostTensor {
  const n = sizeOf(shape);
  const vals = kind === 'randn' ? randnFill(seed, stream, n, 0) : randFill(seed, stream, n, 0);
  return { shape: [...shape], data: Float32Array.from(vals) };
}

/** The value of an initializer the runtime fills directly, or null when `init` is a general expression. */
export function directInit(checked: CheckedProgram, init: A.Expr | null, shape: readonly number[], domain: string, runSeed: number): HostTensor | null {
  if (init === null) return domain === 'simplex' ? uniform(shape) : filled(shape, 0);
  const name = init.kind === 'Name' ? init.name : init.kind === 'Call' ? init.callee.name : null;
  if (name === null) return null;
  // A user symbol of the same name shadows the initializer words.
  if (checked.symbols.has(name)) return null;
  const args = init.kind === 'Call' ? init.args : [];
  const positional = args.filter((a) => a.name === null);
  const named = new Map(args.filter((a) => a.name !== null).map((a) => [a.name!.name, a.value]));
  // An explicit shape argument must be the declared one for the direct path (otherwise: broadcasting, so lower it).
  const shapeArgOk = (first: number) =>
    positional.length <= first || positional.slice(first).every((a, i) => constValue(checked, a.value) === shape[i]) && positional.length - first === shape.length;
  switch (name) {
    case 'zeros':
    case 'ones':
      if (named.size > 0 || !shapeArgOk(0)) return null;
      return filled(shape, name === 'ones' ? 1 : 0);
    case 'uniform':
      return init.kind === 'Name' || args.length === 0 ? uniform(shape) : null;
    case 'randn':
    case 'rand': {
      if (!shapeArgOk(0) || [...named.keys()].some((k) => k !== 'seed')) return null;
      const seedExpr = named.get('seed');
      const s = seedExpr === undefined ? runSeed : constValue(checked, seedExpr);
      return s === null ? null : randomFill(name, shape, s, siteStream(init.span));
    }
    case 'one_hot': {
      if (positional.length !== 2 || named.size > 0) return null;
      const i = constValue(checked, positional[0]!.value);
      const k = constValue(checked, positional[1]!.value);
      if (i === null || k === null || shape.length !== 1 || shape[0] !== k) return null;
      const t = filled(shape, 0);
      if (Number.isInteger(i) && i >= 0 && i < k) t.data[i] = 1;
      return t;
    }
    default:
      return null;
  }
}

/** The initializer expression and domain of a data, param or particles symbol. */
export function initOf(sym: Sym): { init: A.Expr | null; domain: string } {
  switch (sym.kind) {
    case 'param':
      return { init: sym.decl.init, domain: sym.domain.kind };
    case 'particles':
      return { init: sym.decl.init, domain: 'reals' };
    case 'data':
      return { init: sym.source.kind === 'expr' ? sym.source.expr : null, domain: 'reals' };
    default:
      return { init: null, domain: 'reals' };
  }
}
