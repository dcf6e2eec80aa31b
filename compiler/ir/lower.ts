/**
 * Lowering of checked expressions to IR: names become graph inputs, lets are lowered once per graph,
 * defs are inlined per call site, builtins become small op compositions (docs/ir.md lists each).
 */
import type * as A from '../ast/ast.js';
import { gradInto } from '../autodiff/reverse.js';
import { lookupBuiltin, type BuiltinSpec } from '../check/builtins.js';
import type { CheckedProgram, Sym } from '../check/checked.js';
import { CONST_NAMES, checkedConst, evalConst } from '../check/eval-const.js';
import { InternalError } from '../diagnostics/internal-error.js';
import { isSchedule, SCHEDULES } from '../methods/schedules.js';
import { batchGraph } from './batch.js';
import { gatherBatchRows } from './batch-rows.js';
import { GraphBuilder } from './builder.js';
import type { Graph, InputRole, Shape, Var } from './ir.js';
import { sameShape, sizeOf } from './ops.js';

export interface LowerOptions {
  /**
   * Run-time shapes that replace a symbol's declared shape: batched data (`batch K` gives [K, ...])
   * and `per B` params. Every other shape is derived by the builder from these, never from checked.shapes.
   */
  readonly shapes?: Readonly<Record<string, Shape>>;
  /**
   * `per` params whose step updates the whole table (`state: dense`): the graph input is the whole param
   * (declared shape) and every read sees its minibatch rows, selected in-graph by the input `<param>.rows`
   * (role 'rows', shape [batch]; ir/batch-rows.ts), so the gradient is the whole table's, zero outside
   * the batch. Their `shapes` entry gives the batch shape.
   */
  readonly wholeRows?: readonly string[];
}

export interface LowerEnv extends LowerOptions {
  /** Values of local names in scope (def and lambda parameters bound by a caller). */
  readonly locals?: ReadonlyMap<string, Var>;
}

/** An `entropy(theta)` term of a particle objective (LANGUAGE.md §6), returned instead of differentiated. */
export interface EntropyTerm {
  /** The particles whose empirical measure's entropy is meant. */
  readonly particles: string;
  /** The coefficient lam of `lam * entropy(theta)`, as a graph scalar (d objective / d entropy). */
  readonly coef: Var;
  readonly estimator: 'langevin' | 'gaussian' | 'kde';
  /** The KDE bandwidth (kde only). */
  readonly bandwidth: Var | null;
}

export interface LoweredObjective {
  /** The verified graph: inputs for every symbol read, the objective as output (role 'objective', named after the solve). */
  readonly graph: Graph;
  /** The builder the graph came from, to keep appending (lets already lowered are reused by lowerExpr on it). */
  readonly builder: GraphBuilder;
  /** The objective value. It EXCLUDES any entropy term (that term is 0 here; see `entropy`). */
  readonly objective: Var;
  /** The solve's targets, in `over` order, each the graph input of its symbol. */
  readonly targets: readonly { readonly name: string; readonly role: 'param' | 'particles'; readonly var: Var }[];
  /** The entropy term, when the objective has one. */
  readonly entropy: EntropyTerm | null;
}

/** Lets lowered per builder, so one graph computes each let once however often it is used. */
const letCaches = new WeakMap<GraphBuilder, Map<string, Var>>();
/** The batch-row views of `wholeRows` params per builder, so every read shares one selection. */
const rowViews = new WeakMap<GraphBuilder, Map<string, Var>>();

/** FNV-1a, for stable per-site rng stream ids. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The rng stream of a user random site: FNV-1a of "file:offset" with the top bit set, so it is stable
 * when unrelated code moves and never collides with compiler-made streams (which use ids below 2³¹).
 */
export function siteStream(span: { readonly file: string; readonly start: number }): number {
  // The file's base name, not the path as typed: `gd run x.gd` and `gd run /abs/x.gd` must draw the same numbers.
  const base = span.file.slice(span.file.lastIndexOf('/') + 1);
  return (hash32(`${base}:${span.start}`) | 0x80000000) >>> 0;
}

interface EntropySink {
  readonly terms: { h: Var; particles: string; estimator: 'langevin' | 'gaussian' | 'kde'; bandwidth: Var | null }[];
}

/** Bound call arguments by parameter name. */
type Args = ReadonlyMap<string, A.Expr>;

function roleOf(sym: Sym): InputRole {
  switch (sym.kind) {
    case 'data':
      return 'data';
    case 'param':
      return 'param';
    case 'particles':
      return 'particles';
    default:
      throw new InternalError(`'${sym.name}' (${sym.kind}) is not a graph input`);
  }
}

class ExprLowering {
  readonly lets: Map<string, Var>;

  constructor(
    readonly checked: CheckedProgram,
    readonly b: GraphBuilder,
    readonly opts: LowerOptions,
    readonly entropy: EntropySink | null,
  ) {
    let cache = letCaches.get(b);
    if (!cache) letCaches.set(b, (cache = new Map()));
    this.lets = cache;
  }

  // ── names ────────────────────────────────────────────────────────────────

  symbolInput(sym: Sym): Var {
    if (this.opts.wholeRows?.includes(sym.name)) return this.batchRowView(sym);
    const shape = this.opts.shapes?.[sym.name] ?? (sym as { shape: Shape }).shape;
    return this.b.input(sym.name, shape, roleOf(sym));
  }

  /** The input a solve updates: the whole table for `wholeRows` params, else what reads see. */
  targetInput(sym: Sym): Var {
    if (this.opts.wholeRows?.includes(sym.name)) return this.b.input(sym.name, (sym as { shape: Shape }).shape, roleOf(sym));
    return this.symbolInput(sym);
  }

  /** A `wholeRows` param as read: its minibatch rows, selected from the whole table by `<name>.rows`. */
  batchRowView(sym: Sym): Var {
    let views = rowViews.get(this.b);
    if (!views) rowViews.set(this.b, (views = new Map()));
    const hit = views.get(sym.name);
    if (hit) return hit;
    const batch = this.opts.shapes?.[sym.name]?.[0];
    if (batch === undefined) throw new InternalError(`'${sym.name}' is fed whole but has no batch shape`);
    const rows = this.b.input(`${sym.name}.rows`, [batch], 'rows');
    const v = gatherBatchRows(this.b, this.targetInput(sym), rows);
    views.set(sym.name, v);
    return v;
  }

  /** The symbol a name refers to (the checker's resolution, else the global of that name). */
  symOf(e: A.NameRef | A.Ident): Sym | undefined {
    return this.checked.refs.get(e) ?? this.checked.symbols.get(e.name);
  }

  constValue(e: A.Expr): number {
    const r = checkedConst(this.checked, e);
    if (!r.ok) throw new InternalError(`expected a compile-time constant: ${r.why}`);
    return r.value;
  }

  /** A constant list: `[0, 1]` or a single constant. */
  constList(e: A.Expr): number[] {
    if (e.kind === 'Tensor') return e.elements.map((x) => this.constValue(x));
    return [this.constValue(e)];
  }

  name(e: A.NameRef, locals: ReadonlyMap<string, Var>): Var {
    const sym = this.checked.refs.get(e);
    if ((!sym || sym.kind === 'local') && locals.has(e.name)) return locals.get(e.name)!;
    const s = sym ?? (locals.has(e.name) ? undefined : this.checked.symbols.get(e.name));
    if (!s) {
      if (locals.has(e.name)) return locals.get(e.name)!;
      if (e.name === 't') return this.b.input('t', [], 'scalar');
      if (Object.hasOwn(CONST_NAMES, e.name)) return this.b.const(CONST_NAMES[e.name]!);
      throw new InternalError(`unresolved name '${e.name}'`);
    }
    switch (s.kind) {
      case 'dim':
      case 'const':
        return this.b.const(s.value);
      case 'data':
      case 'param':
      case 'particles':
        return this.symbolInput(s);
      case 'let': {
        const hit = this.lets.get(s.name);
        if (hit) return hit;
        const v = this.expr(s.decl.value, new Map());
        this.lets.set(s.name, v);
        return v;
      }
      case 'local': {
        const v = locals.get(s.name);
        if (!v) throw new InternalError(`local '${s.name}' has no value here`);
        return v;
      }
      case 'def':
        throw new InternalError(`def '${s.name}' used as a value`);
    }
  }

  // ── expressions ──────────────────────────────────────────────────────────

  expr(e: A.Expr, locals: ReadonlyMap<string, Var>): Var {
    const prev = this.b.at(e.span);
    try {
      return this.exprInner(e, locals);
    } finally {
      this.b.at(prev);
    }
  }

  private exprInner(e: A.Expr, locals: ReadonlyMap<string, Var>): Var {
    const b = this.b;
    switch (e.kind) {
      case 'Number':
        return b.const(e.value);
      case 'String':
        throw new InternalError('a string is not a tensor');
      case 'Name':
        return this.name(e, locals);
      case 'Tensor':
        return this.tensorLit(e, locals);
      case 'Unary': {
        const x = this.expr(e.operand, locals);
        return e.op === '-' ? b.neg(x) : x;
      }
      case 'Binary':
        return this.binary(e, locals);
      case 'Call':
        return this.call(e, locals);
      case 'Index':
        return this.index(e, locals);
      case 'Attr': {
        if (e.name.name !== 'T') throw new InternalError(`unknown attribute .${e.name.name}`);
        return this.transpose2(this.expr(e.target, locals));
      }
      case 'Lambda':
        throw new InternalError('a lambda is only meaningful as an argument of pairwise');
    }
  }

  transpose2(x: Var): Var {
    if (x.shape.length <= 1) return x;
    if (x.shape.length !== 2) throw new InternalError(`.T of rank ${x.shape.length}`);
    return this.b.transpose(x, [1, 0]);
  }

  tensorLit(e: A.TensorLit, locals: ReadonlyMap<string, Var>): Var {
    const leaves: number[] = [];
    const shapeOf = (t: A.Expr): number[] | null => {
      if (t.kind === 'Tensor') {
        const inner = t.elements.map(shapeOf);
        if (inner.some((s) => s === null)) return null;
        return [t.elements.length, ...(inner[0] ?? [])];
      }
      const r = evalConst(t, (ref) => {
        if (Object.hasOwn(CONST_NAMES, ref.name)) return CONST_NAMES[ref.name]!;
        const s = this.symOf(ref);
        return s && (s.kind === 'dim' || s.kind === 'const') && !locals.has(ref.name) ? s.value : 'not constant';
      });
      if (!r.ok) return null;
      leaves.push(r.value);
      return [];
    };
    const shape = shapeOf(e);
    if (shape && leaves.length === sizeOf(shape)) return this.b.tensor(leaves, shape);
    // Some element is a run-time value: stack the elements along a new leading axis.
    const parts = e.elements.map((x) => this.expr(x, locals));
    const first = parts[0]!;
    return this.b.concat(
      parts.map((p) => this.b.reshape(this.b.broadcastTo(p, first.shape), [1, ...first.shape])),
      0,
    );
  }

  /**
   * A binary operator. The left spine (`a + b + c + ...`, as long as the parser reads it) is walked
   * iteratively, as the checker does, so a 100,000-term sum does not exhaust the stack; each operator
   * is built at its own span, in the order the recursive walk would build it.
   */
  binary(e: A.Binary, locals: ReadonlyMap<string, Var>): Var {
    const spine: A.Binary[] = [e];
    while (spine[spine.length - 1]!.left.kind === 'Binary') spine.push(spine[spine.length - 1]!.left as A.Binary);
    let acc = this.expr(spine[spine.length - 1]!.left, locals);
    const prev = this.b.at(e.span);
    try {
      for (let i = spine.length - 1; i >= 0; i--) {
        const node = spine[i]!;
        this.b.at(node.span);
        acc = this.binaryOp(node, acc, locals);
      }
    } finally {
      this.b.at(prev);
    }
    return acc;
  }

  /** `l OP e.right`, with `x^2` and `x^1` built as a square and as x itself. */
  private binaryOp(e: A.Binary, l: Var, locals: ReadonlyMap<string, Var>): Var {
    const b = this.b;
    if (e.op === '^' && e.right.kind === 'Number') {
      if (e.right.value === 2) return b.unary('square', l);
      if (e.right.value === 1) return l;
    }
    const r = this.expr(e.right, locals);
    switch (e.op) {
      case '+':
        return b.add(l, r);
      case '-':
        return b.sub(l, r);
      case '*':
        return b.mul(l, r);
      case '/':
        return b.div(l, r);
      case '^':
        return b.pow(l, r);
      case '@':
        return this.matmul(l, r);
      case '<':
        return b.op('lt', [l, r]);
      case '<=':
        return b.op('le', [l, r]);
      case '>':
        return b.op('gt', [l, r]);
      case '>=':
        return b.op('ge', [l, r]);
      case '==':
        return b.op('eq', [l, r]);
      case '!=':
        return b.op('ne', [l, r]);
    }
  }

  /** `@` on vectors and matrices; vectors are reshaped to rows/columns around a 2-D matmul. */
  matmul(a: Var, c: Var): Var {
    const b = this.b;
    const ra = a.shape.length;
    const rc = c.shape.length;
    if (ra === 1 && rc === 1) return b.sum(b.mul(a, c));
    if (ra === 2 && rc === 1) return b.reshape(b.matmul(a, b.reshape(c, [c.shape[0]!, 1])), [a.shape[0]!]);
    if (ra === 1 && rc === 2) return b.reshape(b.matmul(b.reshape(a, [1, a.shape[0]!]), c), [c.shape[1]!]);
    if (ra === 2 && rc === 2) return b.matmul(a, c);
    throw new InternalError(`@ of ranks ${ra} and ${rc}`);
  }

  /** Indexing and slicing with compile-time bounds (Python semantics: negative indices count from the end). */
  index(e: A.Index, locals: ReadonlyMap<string, Var>): Var {
    const x = this.expr(e.target, locals);
    const rank = x.shape.length;
    if (e.items.length > rank) throw new InternalError('too many indices');
    const begin: number[] = [];
    const end: number[] = [];
    const strides: number[] = [];
    const keep: number[] = [];
    x.shape.forEach((n, axis) => {
      const item = e.items[axis];
      if (!item) {
        begin.push(0);
        end.push(n);
        strides.push(1);
        keep.push(n);
        return;
      }
      if (item.kind === 'At') {
        let i = this.constValue(item.index);
        if (i < 0) i += n;
        if (!Number.isInteger(i) || i < 0 || i >= n) throw new InternalError(`index ${i} out of range for ${n}`);
        begin.push(i);
        end.push(i + 1);
        strides.push(1);
        return;
      }
      const step = item.step ? this.constValue(item.step) : 1;
      if (step === 0) throw new InternalError('slice step 0');
      const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));
      const norm = (v: number): number => (v < 0 ? v + n : v);
      let s: number;
      let t: number;
      if (step > 0) {
        s = item.start ? clamp(norm(this.constValue(item.start)), 0, n) : 0;
        t = item.stop ? clamp(norm(this.constValue(item.stop)), 0, n) : n;
        if (t < s) t = s;
      } else {
        s = item.start ? clamp(norm(this.constValue(item.start)), -1, n - 1) : n - 1;
        t = item.stop ? clamp(norm(this.constValue(item.stop)), -1, n - 1) : -1;
        if (t > s) t = s;
      }
      const len = step > 0 ? Math.ceil((t - s) / step) : Math.ceil((s - t) / -step);
      begin.push(len === 0 ? 0 : s);
      end.push(len === 0 ? 0 : t);
      strides.push(step);
      keep.push(len);
    });
    const whole = begin.every((v, i) => v === 0 && end[i] === x.shape[i] && strides[i] === 1);
    const sliced = whole ? x : this.b.slice(x, begin, end, strides);
    return this.b.reshape(sliced, keep);
  }

  // ── calls ────────────────────────────────────────────────────────────────

  /** Binds arguments to a builtin's parameters (positional in order, then by name). */
  bind(spec: BuiltinSpec, call: A.Call): Args {
    const out = new Map<string, A.Expr>();
    let pos = 0;
    for (const arg of call.args) {
      if (arg.name) out.set(arg.name.name, arg.value);
      else {
        const p = spec.params[pos++];
        if (!p) throw new InternalError(`too many arguments to ${call.callee.name}`);
        out.set(p.name, arg.value);
      }
    }
    return out;
  }

  call(e: A.Call, locals: ReadonlyMap<string, Var>): Var {
    const sym = this.symOf(e.callee);
    if (sym && sym.kind === 'def') return this.inlineDef(sym.decl, e, locals);
    const name = e.callee.name;
    if (isSchedule(name)) {
      const rule = SCHEDULES[name];
      const args = e.args.map((a) => this.expr(a.value, locals));
      return rule.lower(this.b, args, this.b.input('t', [], 'scalar'));
    }
    const spec = lookupBuiltin(name);
    if (!spec) throw new InternalError(`unknown function '${name}'`);
    const args = this.bind(spec, e);
    const v = (k: string): Var => {
      const x = args.get(k);
      if (!x) throw new InternalError(`${name}: missing argument '${k}'`);
      return this.expr(x, locals);
    };
    const axes = (x: Var): number[] | undefined => {
      const a = args.get('axis');
      return a ? this.b.axes(x, this.constList(a)) : undefined;
    };
    const builtin = BUILTIN_LOWERINGS[name];
    if (!builtin) throw new InternalError(`no lowering for builtin '${name}'`);
    return builtin({ l: this, b: this.b, call: e, args, v, axes, locals });
  }

  inlineDef(decl: A.DefDecl, call: A.Call, locals: ReadonlyMap<string, Var>): Var {
    const bound = new Map<string, Var>();
    let pos = 0;
    for (const arg of call.args) {
      const pname = arg.name ? arg.name.name : decl.params[pos++]?.name;
      if (!pname) throw new InternalError(`too many arguments to ${decl.name.name}`);
      bound.set(pname, this.expr(arg.value, locals));
    }
    // A def body sees only its own parameters (and globals), never the caller's locals.
    return this.expr(decl.body, bound);
  }
}

interface BuiltinCtx {
  readonly l: ExprLowering;
  readonly b: GraphBuilder;
  readonly call: A.Call;
  readonly args: Args;
  /** Lowers the named argument. */
  readonly v: (name: string) => Var;
  /** The `axis:` argument normalized against x, or undefined (all axes). */
  readonly axes: (x: Var) => number[] | undefined;
  readonly locals: ReadonlyMap<string, Var>;
}

type BuiltinLowering = (c: BuiltinCtx) => Var;

const ELEMENTWISE = ['exp', 'log', 'sqrt', 'abs', 'sign', 'relu', 'sigmoid', 'tanh', 'softplus', 'sin', 'cos', 'square', 'stop_gradient'] as const;

function eye(b: GraphBuilder, n: number): Var {
  const data = new Array<number>(n * n).fill(0);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return b.tensor(data, [n, n]);
}

/** Axes of a softmax-like builtin: `axis:` or the last axis. */
function lastAxis(c: BuiltinCtx, x: Var): number {
  const a = c.axes(x);
  return a && a.length > 0 ? a[0]! : x.shape.length - 1;
}

/** Stable log-sum-exp over `axes`, with keepDims: the max shift is a stop_gradient (its gradient cancels exactly). */
export function logsumexp(b: GraphBuilder, x: Var, axes: readonly number[], keepDims: boolean): Var {
  const m = b.unary('stop_gradient', b.max(x, axes, true));
  // An all -inf row would give -inf - -inf = NaN; shifting by 0 there keeps the result -inf.
  const safe = b.where(b.op('eq', [m, b.const(-Infinity)]), 0, m);
  const lse = b.add(b.unary('log', b.sum(b.unary('exp', b.sub(x, safe)), axes, true)), safe);
  return keepDims ? lse : b.reshape(lse, x.shape.filter((_, i) => !axes.includes(i)));
}

/** The Euclidean norm, with gradient 0 (not NaN) at the origin: sqrt is only ever taken of positive values. */
function norm2(b: GraphBuilder, x: Var, axes: readonly number[] | undefined): Var {
  const s = b.sum(b.unary('square', x), axes);
  const pos = b.op('gt', [s, b.const(0)]);
  return b.where(pos, b.unary('sqrt', b.where(pos, s, 1)), 0);
}

/** Pairwise squared distances of point sets ([m,d] or [d]) via |a|² + |b|² - 2 a·b, clamped at 0. */
function sqdist(b: GraphBuilder, a: Var, c: Var): Var {
  const A2 = a.shape.length === 1 ? b.reshape(a, [1, a.shape[0]!]) : a;
  const C2 = c.shape.length === 1 ? b.reshape(c, [1, c.shape[0]!]) : c;
  const na = b.sum(b.unary('square', A2), [1], true);
  const nc = b.reshape(b.sum(b.unary('square', C2), [1], false), [1, C2.shape[0]!]);
  const cross = b.matmul(A2, C2, { transposeB: true });
  const d = b.maximum(b.sub(b.add(na, nc), b.mul(cross, 2)), 0);
  const out = [...(a.shape.length === 2 ? [a.shape[0]!] : []), ...(c.shape.length === 2 ? [c.shape[0]!] : [])];
  return b.reshape(d, out);
}

/** How each builtin becomes IR (docs/ir.md). */
export const BUILTIN_LOWERINGS: Readonly<Record<string, BuiltinLowering>> = {
  ...Object.fromEntries(ELEMENTWISE.map((op) => [op, (c: BuiltinCtx) => c.b.unary(op, c.v('x'))])),
  clip: (c) => c.b.minimum(c.b.maximum(c.v('x'), c.v('lo')), c.v('hi')),
  where: (c) => c.b.where(c.v('cond'), c.v('a'), c.v('b')),
  sum: (c) => {
    const x = c.v('x');
    return c.b.sum(x, c.axes(x));
  },
  mean: (c) => {
    const x = c.v('x');
    return c.b.mean(x, c.axes(x));
  },
  max: (c) => {
    const x = c.v('x');
    return c.b.max(x, c.axes(x));
  },
  min: (c) => {
    const x = c.v('x');
    return c.b.min(x, c.axes(x));
  },
  prod: (c) => {
    const x = c.v('x');
    return c.b.prod(x, c.axes(x));
  },
  logsumexp: (c) => {
    const x = c.v('x');
    return logsumexp(c.b, x, c.b.axes(x, c.axes(x)), false);
  },
  /** Population variance (divides by the count, like numpy's default ddof=0). */
  variance: (c) => {
    const x = c.v('x');
    const ax = c.b.axes(x, c.axes(x));
    return c.b.mean(c.b.unary('square', c.b.sub(x, c.b.mean(x, ax, true))), ax);
  },
  norm: (c) => {
    const x = c.v('x');
    const p = c.args.has('p') ? c.l.constValue(c.args.get('p')!) : 2;
    const ax = c.axes(x);
    if (p === 1) return c.b.sum(c.b.unary('abs', x), ax);
    if (p === Infinity) return c.b.max(c.b.unary('abs', x), ax);
    if (p === 2) return norm2(c.b, x, ax);
    throw new InternalError(`norm p=${p}`);
  },
  dot: (c) => c.b.sum(c.b.mul(c.v('a'), c.v('b'))),
  outer: (c) => {
    const a = c.v('a');
    const d = c.v('b');
    return c.b.mul(c.b.reshape(a, [a.shape[0]!, 1]), c.b.reshape(d, [1, d.shape[0]!]));
  },
  transpose: (c) => c.l.transpose2(c.v('x')),
  diag: (c) => {
    const x = c.v('x');
    if (x.shape.length === 1) {
      const n = x.shape[0]!;
      return c.b.mul(c.b.reshape(x, [n, 1]), eye(c.b, n));
    }
    const k = Math.min(x.shape[0]!, x.shape[1]!);
    const sq = sameShape(x.shape, [k, k]) ? x : c.b.slice(x, [0, 0], [k, k]);
    return c.b.sum(c.b.mul(sq, eye(c.b, k)), [1]);
  },
  eye: (c) => eye(c.b, c.l.constValue(c.args.get('n')!)),
  trace: (c) => {
    const m = c.v('M');
    return c.b.sum(c.b.mul(m, eye(c.b, m.shape[0]!)));
  },
  inv: (c) => c.b.op('inv', [c.v('M')]),
  logdet: (c) => c.b.op('logdet', [c.v('M')]),
  solve: (c) => c.b.op('solve', [c.v('A'), c.v('b')]),
  /** Empirical covariance of particles [m, d], dividing by m (the measure's own covariance). */
  cov: (c) => {
    const th = c.v('theta');
    const centered = c.b.sub(th, c.b.mean(th, [0], true));
    return c.b.div(c.b.matmul(centered, centered, { transposeA: true }), th.shape[0]!);
  },
  softmax: (c) => {
    const x = c.v('x');
    const ax = [lastAxis(c, x)];
    const m = c.b.unary('stop_gradient', c.b.max(x, ax, true));
    const ex = c.b.unary('exp', c.b.sub(x, m));
    return c.b.div(ex, c.b.sum(ex, ax, true));
  },
  log_softmax: (c) => {
    const x = c.v('x');
    return c.b.sub(x, logsumexp(c.b, x, [lastAxis(c, x)], true));
  },
  /**
   * -sum(labels * log_softmax(logits)) over the class (last) axis, averaged over any leading axes
   * (rows of a batch). Labels shaped like the logits minus the class axis are class indices (one-hot first).
   */
  cross_entropy: (c) => {
    const logits = c.v('logits');
    let labels = c.v('labels');
    const k = logits.shape[logits.shape.length - 1]!;
    if (labels.shape.length === logits.shape.length - 1) labels = c.b.op('one_hot', [labels], { depth: k });
    const ls = c.b.sub(logits, logsumexp(c.b, logits, [logits.shape.length - 1], true));
    const perRow = c.b.neg(c.b.sum(c.b.mul(labels, ls), [logits.shape.length - 1]));
    return perRow.shape.length === 0 ? perRow : c.b.mean(perRow);
  },
  one_hot: (c) => c.b.op('one_hot', [c.v('index')], { depth: c.l.constValue(c.args.get('depth')!) }),
  mse: (c) => c.b.mean(c.b.unary('square', c.b.sub(c.v('a'), c.v('b')))),
  sqdist: (c) => sqdist(c.b, c.v('a'), c.v('b')),
  rbf: (c) => {
    const s = c.v('sigma');
    return c.b.unary('exp', c.b.neg(c.b.div(sqdist(c.b, c.v('a'), c.v('b')), c.b.mul(c.b.unary('square', s), 2))));
  },
  pairwise: (c) => lowerPairwise(c),
  entropy: (c) => {
    const sink = c.l.entropy;
    const th = c.args.get('theta')!;
    // Outside the objective's own lowering (a log item reading a let that holds the objective), the
    // value is the objective's value, which excludes the entropy term: 0 here as well.
    if (!sink) return c.b.const(-0);
    if (th.kind !== 'Name') throw new InternalError('entropy of a non-name');
    c.v('theta'); // the particles are an input of the graph even when only the entropy names them
    const est = c.args.get('estimator');
    let estimator: 'langevin' | 'gaussian' | 'kde' = 'langevin';
    let bandwidth: Var | null = null;
    if (est?.kind === 'Name' && (est.name === 'gaussian' || est.name === 'langevin')) estimator = est.name;
    else if (est?.kind === 'Call' && est.callee.name === 'kde') {
      estimator = 'kde';
      bandwidth = est.args[0] ? c.l.expr(est.args[0].value, c.locals) : null;
    } else if (est) throw new InternalError('unknown entropy estimator');
    // A zero placeholder: the objective's value excludes the entropy, and d objective/d h gives its coefficient.
    // It is -0, the exact identity of addition, so `F + lam * h` simplifies back to F after folding.
    const h = c.b.const(-0);
    sink.terms.push({ h, particles: th.name, estimator, bandwidth });
    return h;
  },
  randn: (c) => randomCall(c, 'randn'),
  rand: (c) => randomCall(c, 'rand'),
  zeros: (c) => c.b.zeros(fillShape(c)),
  ones: (c) => c.b.const(1, fillShape(c)),
  grad: (c) => {
    const f = c.v('expr');
    const w = c.v('w');
    return gradInto(c.b, f, [w])[0]!;
  },
};

function fillShape(c: BuiltinCtx): Shape {
  const s = c.args.get('shape');
  if (s) return c.l.constList(s);
  const declared = c.l.checked.shapes.get(c.call);
  if (!declared) throw new InternalError(`${c.call.callee.name}: no shape`);
  return declared;
}

/**
 * randn/rand: in a step they read the step's rng key (input `rng`); with `seed: k` (initializers)
 * they use the constant key [k, 0]. The stream is the call site's (siteStream).
 */
function randomCall(c: BuiltinCtx, op: 'randn' | 'rand'): Var {
  const shape = fillShape(c);
  const seed = c.args.get('seed');
  const key = seed ? c.b.tensor([c.l.constValue(seed), 0], [2]) : c.b.input('rng', [2], 'rng');
  return c.b.op(op, [key], { shape: [...shape], stream: siteStream(c.call.span) });
}

/**
 * pairwise(theta, (x, y) => f) = mean over all pairs (i, j) of f(theta_i, theta_j).
 *
 * The body is lowered once on symbolic rows x, y: [d] into a scratch graph, then that graph is
 * batched (batch.ts) with x bound to theta as [m, 1, d] and y to theta as [1, m, d], so every op of
 * the body acts on the trailing (row) axes and broadcasting forms the pairs. The two reshapes that
 * open the region and the sum that closes it carry the attr `pairwise: <site id>`, so a fusion pass
 * can recognise the region and compute it tile by tile instead of materializing m×m intermediates.
 */
function lowerPairwise(c: BuiltinCtx): Var {
  const th = c.v('theta');
  const f = c.args.get('f');
  if (!f || f.kind !== 'Lambda' || f.params.length !== 2) throw new InternalError('pairwise needs a two-parameter lambda');
  const [m, d] = th.shape as [number, number];
  const tag = siteStream(c.call.span);
  const X = c.b.op('reshape', [th], { shape: [m, 1, d], pairwise: tag });
  const Y = c.b.op('reshape', [th], { shape: [1, m, d], pairwise: tag });

  const scratch = new GraphBuilder();
  const inner = new ExprLowering(c.l.checked, scratch, c.l.opts, null);
  const locals = new Map<string, Var>();
  for (const [name, v] of c.locals) locals.set(name, scratch.input(`%local.${name}`, v.shape, 'data'));
  locals.set(f.params[0]!.name, scratch.input('%pairwise.x', [d], 'data'));
  locals.set(f.params[1]!.name, scratch.input('%pairwise.y', [d], 'data'));
  scratch.output('f', inner.expr(f.body, locals), 'value');
  const body = scratch.build();

  const res = batchGraph(c.b, body, (name, v) => {
    if (name === '%pairwise.x') return { v: X, batched: true };
    if (name === '%pairwise.y') return { v: Y, batched: true };
    if (name.startsWith('%local.')) return { v: c.locals.get(name.slice('%local.'.length))!, batched: false };
    const role = body.inputs.find((i) => i.name === name)!.role;
    return { v: c.b.input(name, v.shape, role), batched: false };
  })['f']!;
  const pairs = res.batched ? c.b.reshape(res.v, res.v.shape.slice(0, 2)) : res.v;
  const full = c.b.broadcastTo(pairs, [m, m]);
  const s = c.b.op('sum', [full], { axes: [0, 1], keepDims: false, pairwise: tag });
  return c.b.div(s, m * m);
}

/** Lowers one expression into `b` (logs, until conditions, method options, init-from, data-from-expr). */
export function lowerExpr(checked: CheckedProgram, expr: A.Expr, b: GraphBuilder, env: LowerEnv = {}): Var {
  return new ExprLowering(checked, b, env, null).expr(expr, env.locals ?? new Map());
}

/**
 * Lowers a solve's objective to a graph whose inputs are the symbols it reads (and every target),
 * with the objective as output. The gradient is NOT taken here (see autodiff/reverse.ts); an
 * `entropy(theta)` term contributes 0 to the value and the gradient and is returned in `entropy`.
 */
export function lowerObjective(checked: CheckedProgram, solve: A.SolveStmt, opts: LowerOptions = {}): LoweredObjective {
  const b = new GraphBuilder();
  const sink: EntropySink = { terms: [] };
  const low = new ExprLowering(checked, b, opts, sink);
  const targets = solve.targets.map((t) => {
    const sym = low.symOf(t.name);
    if (!sym || (sym.kind !== 'param' && sym.kind !== 'particles')) throw new InternalError(`target '${t.name.name}' is not a param or particles`);
    return { name: sym.name, role: sym.kind, var: low.targetInput(sym) };
  });
  const objective = low.expr(solve.objective, new Map());
  if (objective.shape.length !== 0) throw new InternalError(`objective of shape [${objective.shape.join(',')}]`);
  let entropy: EntropyTerm | null = null;
  if (sink.terms.length > 0) {
    const coefs = gradInto(b, objective, sink.terms.map((t) => t.h));
    const first = sink.terms[0]!;
    if (sink.terms.some((t) => t.particles !== first.particles || t.estimator !== first.estimator)) {
      throw new InternalError('entropy terms of different particles or estimators in one objective');
    }
    const coef = coefs.reduce((acc, v) => b.add(acc, v));
    entropy = { particles: first.particles, coef, estimator: first.estimator, bandwidth: first.bandwidth };
  }
  // The checker may bind the solve's name to a let of the objective; later lowerExpr calls on this builder reuse the value.
  const named = checked.symbols.get(solve.name.name);
  if (named?.kind === 'let' && named.decl.value === solve.objective) low.lets.set(named.name, objective);
  b.output(solve.name.name, objective, 'objective');
  return { graph: b.build(), builder: b, objective, targets, entropy };
}
