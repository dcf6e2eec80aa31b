/**
 * The table of builtin functions (LANGUAGE.md §3): each entry's parameters (positional, then named-only),
 * the kind of each argument, and its shape rule. The type checker binds arguments, infers their shapes and
 * evaluates compile-time ones from this table, then calls the rule; a rule only looks at bound values.
 */
import type * as A from '../ast/ast.js';
import type { Call, Expr, Lambda } from '../ast/ast.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/span.js';
import {
  axisOutOfRange,
  broadcastMismatch,
  entropyOutsideParticleObjective,
  gradTargetNotParam,
  invalidArgument,
  nonScalarObjective,
  shapeMismatch,
  transposeRank,
  wrongArgumentCount,
} from '../diagnostics/constructors/semantics.js';
import { showShape } from '../diagnostics/make.js';
import type { Shape, Sym } from './checked.js';
import { broadcast, normalizeAxis, reduceShape, sameShape } from './shapes.js';

/**
 * How an argument is checked before the rule sees it:
 * - tensor: any expression; its shape is inferred;
 * - const: a compile-time number (dims, consts, literals, `inf`);
 * - axis: a compile-time integer or a literal list of them; negative values count from the end;
 * - sizes: a literal list of compile-time sizes (`randn([n, d])`), or a single size;
 * - word: a bare word from `words` (`langevin`), or a call of a word ending in "(" (`kde(0.1)`), never resolved as a name;
 * - lambda: pairwise's `(x, y) => expr`, checked by the rule.
 */
export type ArgKind = 'tensor' | 'const' | 'axis' | 'sizes' | 'word' | 'lambda';

export interface ParamSpec {
  readonly name: string;
  readonly kind: ArgKind;
  readonly optional?: boolean;
  /** For 'word' arguments: the accepted words; "kde(" accepts a call `kde(...)` whose arguments are scalar tensors. */
  readonly words?: readonly string[];
}

/** One bound argument: its expression and, by kind, its checked value. */
export interface BoundArg {
  readonly expr: A.Expr;
  /** Shape of a tensor argument. */
  shape?: Shape;
  /** Value of a const argument. */
  num?: number;
  /** Values of an axis or sizes argument (a single value becomes a one-element list). */
  list?: readonly number[];
}

/** Arguments after binding, by parameter name. */
export interface Bound {
  readonly call: Call;
  readonly args: ReadonlyMap<string, BoundArg>;
}

/** Where an expression is being checked; decides what it may read (see typecheck.ts). */
export type Where = 'const' | 'data' | 'init' | 'step' | 'option' | 'cond' | 'output';

/** What a rule may ask of the checker beyond its bound arguments. */
export interface RuleEnv {
  readonly where: Where;
  /** True inside a solve's objective (directly or through lets), where entropy(theta) is allowed. */
  readonly inObjective: boolean;
  /** The declared shape an initializer fills, or 'unknown' while a dim of it is still unbound, or null outside initializers. */
  readonly declShape: Shape | 'unknown' | null;
  report(d: Diagnostic): void;
  /** Reports that an initializer's shape cannot be inferred because of an unbound dim. */
  reportUnboundDim(span: Span): void;
  /** The symbol a NameRef argument refers to, if it is a plain name. */
  symOf(e: Expr): Sym | undefined;
  /** Checks a lambda with its parameters bound to the given shapes; returns the body's shape. */
  checkLambda(lam: Lambda, paramShapes: readonly Shape[]): Shape | null;
}

export interface BuiltinSpec {
  /** How the call is written, for help lines. */
  readonly signature: string;
  /** Parameters given positionally (or by name), in order. */
  readonly params: readonly ParamSpec[];
  /** Parameters only given by name. */
  readonly named: readonly ParamSpec[];
  readonly rule: (a: Bound, env: RuleEnv) => Shape | null;
}

const T = (name: string, optional = false): ParamSpec => ({ name, kind: 'tensor', optional });
const AXIS: ParamSpec = { name: 'axis', kind: 'axis', optional: true };
const SEED: ParamSpec = { name: 'seed', kind: 'const', optional: true };

const sh = (a: Bound, name: string): Shape => a.args.get(name)?.shape ?? [];
const sp = (a: Bound, name: string): Span => a.args.get(name)?.expr.span ?? a.call.span;

/** Element-wise functions of one tensor keep its shape. */
function unary(name: string): BuiltinSpec {
  return { signature: `${name}(x)`, params: [T('x')], named: [], rule: (a) => sh(a, 'x') };
}

/** Broadcasts the named tensor arguments together, reporting GD2004 at the call. */
function broadcastAll(a: Bound, names: readonly string[], env: RuleEnv, op: string): Shape | null {
  let out: Shape = [];
  for (const n of names) {
    if (a.args.get(n)?.shape === undefined) continue;
    const s = sh(a, n);
    const b = broadcast(out, s);
    if (b === null) {
      env.report(broadcastMismatch(op, out, s, a.call.span));
      return null;
    }
    out = b;
  }
  return out;
}

/** Normalised, de-duplicated axes of `axis:` for a tensor of shape `s`, or null (all axes) when absent. */
function axesOf(a: Bound, s: Shape, env: RuleEnv): readonly number[] | null | 'error' {
  const raw = a.args.get('axis')?.list;
  if (raw === undefined) return null;
  const out: number[] = [];
  for (const ax of raw) {
    const n = normalizeAxis(ax, s.length);
    if (n === null) {
      env.report(axisOutOfRange(ax, s, sp(a, 'axis')));
      return 'error';
    }
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** Reductions: over all axes, or over `axis:`. */
function reduction(name: string, extra: readonly ParamSpec[] = []): BuiltinSpec {
  return {
    signature: `${name}(x[, axis: k])`,
    params: [T('x')],
    named: [AXIS, ...extra],
    rule: (a, env) => {
      const s = sh(a, 'x');
      const axes = axesOf(a, s, env);
      return axes === 'error' ? null : reduceShape(s, axes);
    },
  };
}

/** softmax-like functions keep the shape and act along one axis (default: the last). */
function alongAxis(name: string): BuiltinSpec {
  return {
    signature: `${name}(x[, axis: k])`,
    params: [T('x')],
    named: [AXIS],
    rule: (a, env) => {
      const s = sh(a, 'x');
      if (s.length === 0) {
        env.report(invalidArgument(`${name} needs a vector or a tensor, but its argument is a scalar`, sp(a, 'x')));
        return null;
      }
      return axesOf(a, s, env) === 'error' ? null : s;
    },
  };
}

function needRank(a: Bound, name: string, fn: string, ranks: readonly number[], env: RuleEnv, what: string): boolean {
  const s = sh(a, name);
  if (ranks.includes(s.length)) return true;
  env.report(invalidArgument(`${fn} needs ${what}, but its argument has shape ${showShape(s)}`, sp(a, name)));
  return false;
}

function needSquare(a: Bound, name: string, fn: string, env: RuleEnv): boolean {
  const s = sh(a, name);
  if (s.length === 2 && s[0] === s[1]) return true;
  env.report(invalidArgument(`${fn} needs a square matrix, but its argument has shape ${showShape(s)}`, sp(a, name)));
  return false;
}

function needScalar(a: Bound, name: string, fn: string, env: RuleEnv): boolean {
  const s = sh(a, name);
  if (s.length === 0) return true;
  env.report(invalidArgument(`the '${name}' of ${fn} must be a scalar, but it has shape ${showShape(s)}`, sp(a, name)));
  return false;
}

/** The shape a random tensor or constant fill takes: its explicit sizes, or the declared shape it initializes. */
function fillShape(fn: string, a: Bound, env: RuleEnv): Shape | null {
  const sizes = a.args.get('shape')?.list;
  if (sizes) {
    const bad = sizes.find((d) => !Number.isInteger(d) || d < 0);
    if (bad !== undefined) {
      env.report(invalidArgument(`the shape of ${fn} must list non-negative integers, but it has ${bad}`, sp(a, 'shape')));
      return null;
    }
    return sizes;
  }
  if (env.declShape === 'unknown') {
    env.reportUnboundDim(a.call.span);
    return null;
  }
  if (env.declShape !== null) return env.declShape;
  env.report(
    wrongArgumentCount(fn, 'a shape here', 0, a.call.span, `${fn}([n, d]) inside a step; ${fn}(seed: k) only as an initializer, where it takes the declared shape`),
  );
  return null;
}

/** Rows of a point set: [d] is one point, [m, d] is m points. */
function pointSet(a: Bound, name: string, fn: string, env: RuleEnv): Shape | null {
  const s = sh(a, name);
  if (s.length === 1 || s.length === 2) return s;
  env.report(invalidArgument(`${fn} needs points as a vector [d] or a matrix [m, d], but '${name}' has shape ${showShape(s)}`, sp(a, name)));
  return null;
}

function pairShape(fn: string, a: Bound, env: RuleEnv): Shape | null {
  const x = pointSet(a, 'a', fn, env);
  const y = pointSet(a, 'b', fn, env);
  if (!x || !y) return null;
  if (x[x.length - 1] !== y[y.length - 1]) {
    env.report(shapeMismatch(`${fn} needs points of the same dimension`, x, y, a.call.span));
    return null;
  }
  return [...(x.length === 2 ? [x[0]!] : []), ...(y.length === 2 ? [y[0]!] : [])];
}

const SCHEDULE_WHERE: readonly Where[] = ['option', 'cond', 'output'];

function schedule(name: string, second: string): BuiltinSpec {
  return {
    signature: `${name}(lr0, ${second})`,
    params: [T('lr0'), T(second)],
    named: [],
    rule: (a, env) => {
      if (!SCHEDULE_WHERE.includes(env.where)) {
        env.report(invalidArgument(`${name}(...) is a schedule of the step counter t; it is only available in method options, until conditions and logged items`, a.call.span));
        return null;
      }
      return needScalar(a, 'lr0', name, env) && needScalar(a, second, name, env) ? [] : null;
    },
  };
}

const ELEMENTWISE = ['exp', 'log', 'sqrt', 'abs', 'sign', 'relu', 'sigmoid', 'tanh', 'softplus', 'sin', 'cos', 'square', 'stop_gradient'] as const;

/** Every builtin function. Names here are reserved for calls; `t`, `inf`, `pi` and initializer words are handled by the checker. */
export const BUILTINS: Readonly<Record<string, BuiltinSpec>> = {
  ...Object.fromEntries(ELEMENTWISE.map((n) => [n, unary(n)])),
  clip: { signature: 'clip(x, lo, hi)', params: [T('x'), T('lo'), T('hi')], named: [], rule: (a, env) => broadcastAll(a, ['x', 'lo', 'hi'], env, 'clip') },
  where: {
    signature: 'where(cond, a, b)',
    params: [T('cond'), T('a'), T('b')],
    named: [],
    rule: (a, env) => broadcastAll(a, ['cond', 'a', 'b'], env, 'where'),
  },

  sum: reduction('sum'),
  mean: reduction('mean'),
  max: reduction('max'),
  min: reduction('min'),
  prod: reduction('prod'),
  logsumexp: reduction('logsumexp'),
  variance: reduction('variance'),
  norm: {
    signature: 'norm(x[, p: 2|1|inf][, axis: k])',
    params: [T('x'), { name: 'p', kind: 'const', optional: true }],
    named: [AXIS],
    rule: (a, env) => {
      const p = a.args.get('p')?.num;
      if (p !== undefined && p !== 1 && p !== 2 && p !== Infinity) {
        env.report(invalidArgument(`norm's p must be 1, 2 or inf, but it is ${p}`, sp(a, 'p')));
        return null;
      }
      const s = sh(a, 'x');
      const axes = axesOf(a, s, env);
      return axes === 'error' ? null : reduceShape(s, axes);
    },
  },

  dot: {
    signature: 'dot(a, b)',
    params: [T('a'), T('b')],
    named: [],
    rule: (a, env) => {
      const x = sh(a, 'a');
      const y = sh(a, 'b');
      if (x.length !== 1 || !sameShape(x, y)) {
        env.report(shapeMismatch('dot needs two vectors of the same length', x, y, a.call.span, 'for matrices use @'));
        return null;
      }
      return [];
    },
  },
  outer: {
    signature: 'outer(a, b)',
    params: [T('a'), T('b')],
    named: [],
    rule: (a, env) => (needRank(a, 'a', 'outer', [1], env, 'a vector') && needRank(a, 'b', 'outer', [1], env, 'a vector') ? [sh(a, 'a')[0]!, sh(a, 'b')[0]!] : null),
  },
  transpose: {
    signature: 'transpose(x)',
    params: [T('x')],
    named: [],
    rule: (a, env) => {
      const s = sh(a, 'x');
      if (s.length > 2) {
        env.report(transposeRank(s, a.call.span));
        return null;
      }
      return s.length === 2 ? [s[1]!, s[0]!] : s;
    },
  },
  diag: {
    signature: 'diag(v) or diag(M)',
    params: [T('x')],
    named: [],
    rule: (a, env) => {
      const s = sh(a, 'x');
      if (s.length === 1) return [s[0]!, s[0]!];
      if (s.length === 2) return [Math.min(s[0]!, s[1]!)];
      env.report(invalidArgument(`diag needs a vector (to build a diagonal matrix) or a matrix (to take its diagonal), but its argument has shape ${showShape(s)}`, sp(a, 'x')));
      return null;
    },
  },
  eye: {
    signature: 'eye(n)',
    params: [{ name: 'n', kind: 'const' }],
    named: [],
    rule: (a, env) => {
      const n = a.args.get('n')?.num ?? 0;
      if (!Number.isInteger(n) || n < 1) {
        env.report(invalidArgument(`eye(n) needs a positive integer size, but n is ${n}`, sp(a, 'n')));
        return null;
      }
      return [n, n];
    },
  },
  trace: { signature: 'trace(M)', params: [T('M')], named: [], rule: (a, env) => (needSquare(a, 'M', 'trace', env) ? [] : null) },
  inv: { signature: 'inv(M)', params: [T('M')], named: [], rule: (a, env) => (needSquare(a, 'M', 'inv', env) ? sh(a, 'M') : null) },
  logdet: { signature: 'logdet(M)', params: [T('M')], named: [], rule: (a, env) => (needSquare(a, 'M', 'logdet', env) ? [] : null) },
  solve: {
    signature: 'solve(A, b)',
    params: [T('A'), T('b')],
    named: [],
    rule: (a, env) => {
      if (!needSquare(a, 'A', 'solve', env) || !needRank(a, 'b', 'solve', [1, 2], env, 'a vector or matrix right-hand side')) return null;
      const A = sh(a, 'A');
      const b = sh(a, 'b');
      if (b[0] !== A[0]) {
        env.report(shapeMismatch('solve(A, b) needs b with as many rows as A', A, b, a.call.span));
        return null;
      }
      return b;
    },
  },
  cov: {
    signature: 'cov(theta)',
    params: [T('theta')],
    named: [],
    rule: (a, env) => (needRank(a, 'theta', 'cov', [2], env, 'particles [m, d]') ? [sh(a, 'theta')[1]!, sh(a, 'theta')[1]!] : null),
  },

  softmax: alongAxis('softmax'),
  log_softmax: alongAxis('log_softmax'),
  cross_entropy: {
    signature: 'cross_entropy(logits, labels)',
    params: [T('logits'), T('labels')],
    named: [],
    rule: (a, env) => {
      const l = sh(a, 'logits');
      const y = sh(a, 'labels');
      if (l.length === 0) {
        env.report(invalidArgument('cross_entropy needs logits with a class axis, but they are a scalar', sp(a, 'logits')));
        return null;
      }
      // Labels are one-hot/probabilities (same shape) or class indices (the logits without the class axis).
      if (sameShape(l, y) || sameShape(l.slice(0, -1), y)) return [];
      env.report(
        shapeMismatch('cross_entropy needs labels shaped like the logits (one-hot) or like the logits without the class axis (indices)', l, y, a.call.span),
      );
      return null;
    },
  },
  one_hot: {
    signature: 'one_hot(index, depth)',
    params: [T('index'), { name: 'depth', kind: 'const' }],
    named: [],
    rule: (a, env) => {
      const k = a.args.get('depth')?.num ?? 0;
      if (!Number.isInteger(k) || k < 1) {
        env.report(invalidArgument(`one_hot's depth must be a positive integer, but it is ${k}`, sp(a, 'depth')));
        return null;
      }
      return [...sh(a, 'index'), k];
    },
  },
  mse: {
    signature: 'mse(a, b)',
    params: [T('a'), T('b')],
    named: [],
    rule: (a, env) => (broadcastAll(a, ['a', 'b'], env, 'mse') ? [] : null),
  },

  sqdist: { signature: 'sqdist(a, b)', params: [T('a'), T('b')], named: [], rule: (a, env) => pairShape('sqdist', a, env) },
  rbf: {
    signature: 'rbf(a, b, sigma)',
    params: [T('a'), T('b'), T('sigma')],
    named: [],
    rule: (a, env) => (needScalar(a, 'sigma', 'rbf', env) ? pairShape('rbf', a, env) : null),
  },
  pairwise: {
    signature: 'pairwise(theta, (x, y) => expr)',
    params: [T('theta'), { name: 'f', kind: 'lambda' }],
    named: [],
    rule: (a, env) => {
      if (!needRank(a, 'theta', 'pairwise', [2], env, 'particles [m, d]')) return null;
      const f = a.args.get('f')?.expr;
      if (!f || f.kind !== 'Lambda') {
        env.report(invalidArgument('the second argument of pairwise must be a lambda `(x, y) => expr`', sp(a, 'f')));
        return null;
      }
      if (f.params.length !== 2) {
        env.report(wrongArgumentCount('the pairwise lambda', '2 parameters', f.params.length, f.span, 'pairwise(theta, (x, y) => expr)'));
        return null;
      }
      const row = [sh(a, 'theta')[1]!];
      const body = env.checkLambda(f, [row, row]);
      if (body === null) return null;
      if (body.length !== 0) {
        env.report(nonScalarObjective('the body of a pairwise lambda', body, f.body.span));
        return null;
      }
      return [];
    },
  },
  entropy: {
    signature: 'entropy(theta[, estimator: langevin | gaussian | kde(h)])',
    params: [T('theta')],
    named: [{ name: 'estimator', kind: 'word', optional: true, words: ['langevin', 'gaussian', 'kde('] }],
    rule: (a, env) => {
      const sym = env.symOf(a.args.get('theta')?.expr!);
      if (!sym || sym.kind !== 'particles') {
        env.report(invalidArgument('entropy(theta) needs particles as its argument (the entropy of their empirical measure)', sp(a, 'theta'), 'declare them with `particles theta: [m, d] = ...`'));
        return null;
      }
      if (!env.inObjective) {
        env.report(entropyOutsideParticleObjective(a.call.span));
        return null;
      }
      return [];
    },
  },
  randn: { signature: 'randn([shape][, seed: k])', params: [{ name: 'shape', kind: 'sizes', optional: true }], named: [SEED], rule: (a, env) => fillShape('randn', a, env) },
  rand: { signature: 'rand([shape][, seed: k])', params: [{ name: 'shape', kind: 'sizes', optional: true }], named: [SEED], rule: (a, env) => fillShape('rand', a, env) },
  zeros: { signature: 'zeros([shape])', params: [{ name: 'shape', kind: 'sizes', optional: true }], named: [], rule: (a, env) => fillShape('zeros', a, env) },
  ones: { signature: 'ones([shape])', params: [{ name: 'shape', kind: 'sizes', optional: true }], named: [], rule: (a, env) => fillShape('ones', a, env) },
  grad: {
    signature: 'grad(expr, w)',
    params: [T('expr'), T('w')],
    named: [],
    rule: (a, env) => {
      const e = sh(a, 'expr');
      const wExpr = a.args.get('w')?.expr!;
      const sym = env.symOf(wExpr);
      if (!sym || (sym.kind !== 'param' && sym.kind !== 'particles')) {
        const what = sym ? `'${sym.name}' is ${sym.kind === 'data' ? 'data' : `a ${sym.kind}`}` : 'it is an expression, not a name';
        env.report(gradTargetNotParam(what, wExpr.span, sym?.span));
        return null;
      }
      if (e.length !== 0) {
        env.report(nonScalarObjective('the first argument of grad', e, sp(a, 'expr')));
        return null;
      }
      return sh(a, 'w');
    },
  },
  load: {
    signature: 'load("file.csv")',
    params: [{ name: 'path', kind: 'word' }],
    named: [],
    rule: (a, env) => {
      env.report(invalidArgument('load("...") must be the whole initializer of a data declaration', a.call.span, 'write `data X: [n, d] = load("X.csv")` and use X in expressions'));
      return null;
    },
  },
  cosine: schedule('cosine', 'T'),
  exp_decay: schedule('exp_decay', 'rate'),
  warmup: schedule('warmup', 'T'),
};

/** Names of builtins, for "did you mean" suggestions. */
export const BUILTIN_NAMES: readonly string[] = Object.keys(BUILTINS);

/** The builtin called `name`, if any (own properties only: `constructor` is not a builtin). */
export function lookupBuiltin(name: string): BuiltinSpec | undefined {
  return Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined;
}
