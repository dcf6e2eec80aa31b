/**
 * Shape inference for expressions: resolves every name, infers every node's concrete shape, inlines
 * defs per call site, and reports shape errors. A failed sub-expression yields null and its parents stay
 * silent, so one mistake gives one diagnostic.
 */
import type * as A from '../ast/ast.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/span.js';
import {
  expressionTooDeep,
  lambdaOutsidePairwise,
  broadcastMismatch,
  indexOutOfBounds,
  invalidArgument,
  matmulMismatch,
  notAConstant,
  raggedTensorLiteral,
  tooManyIndices,
  transposeRank,
  unknownNamedArgument,
  wrongArgumentCount,
} from '../diagnostics/constructors/semantics.js';
import {
  nameIsNotAValue,
  notCallable,
  recursiveDef,
  unknownAttribute,
  unknownDim,
  unknownFunction,
  unknownName,
} from '../diagnostics/constructors/names.js';
import { showShape } from '../diagnostics/make.js';
import { BUILTIN_NAMES, lookupBuiltin, type BoundArg, type BuiltinSpec, type ParamSpec, type RuleEnv, type Where } from './builtins.js';
import type { Shape, Sym } from './checked.js';
import { CONST_NAMES, evalConst, type ConstResult } from './eval-const.js';
import { describeSym, suggest, type GlobalScope, type Local } from './scope.js';
import { broadcast, matmulShape, sliceLength } from './shapes.js';

export type { Where } from './builtins.js';

/** A hoisted def: visible from anywhere (so mutual recursion can be named, and reported). */
export interface DefEntry {
  readonly sym: Sym & { kind: 'def' };
  /** One local symbol per parameter, in order. */
  readonly params: readonly (Sym & { kind: 'local' })[];
}

/** Checker-wide state shared by every expression check. */
export interface Env {
  readonly scope: GlobalScope;
  readonly defs: Map<string, DefEntry>;
  readonly refs: Map<A.NameRef | A.Ident, Sym>;
  readonly shapes: Map<A.Expr, Shape>;
  readonly diags: Diagnostic[];
  /** Def results per (def, context, argument shapes): inlining a def twice with the same shapes is checked once. */
  readonly defMemo: Map<string, { readonly shape: Shape | null; readonly reads: ReadonlySet<string> }>;
  /** Params/particles each let reads (transitively), for the "objective depends on nothing" check. */
  readonly letReads: Map<string, ReadonlySet<string>>;
  readonly lambdaSyms: Map<A.Ident, Sym & { kind: 'local' }>;
  /** Globals whose declaration failed: uses stay silent (the declaration already has its diagnostic). */
  readonly poisoned: Set<string>;
  /** How many more "did you mean" searches may run (a cap keeps garbage input linear). */
  suggestBudget: number;
  /** Current nesting depth of inferShape, guarded so a pathological expression is a diagnostic, not a stack overflow. */
  depth: number;
}

/** Where an expression stands and what it may see. */
export interface Ctx {
  readonly where: Where;
  readonly inObjective: boolean;
  /** The shape an initializer fills (see RuleEnv.declShape). */
  readonly declShape: Shape | 'unknown' | null;
  /** The first unbound dim of the declaration being initialized, when declShape is 'unknown'. */
  readonly unbound: { readonly name: string; readonly span: Span; readonly wholeShape?: boolean } | null;
  /** The whole initializer expression: the only place a bare `zeros`, `ones` or `uniform` may stand. */
  readonly initRoot: A.Expr | null;
  readonly locals: ReadonlyMap<string, Local> | null;
  /** Names that exist only inside one solve's controls (its objective's name). */
  readonly solveLocals: ReadonlyMap<string, { readonly sym: Sym; readonly shape: Shape }> | null;
  /** False inside def bodies: their shapes depend on the call site and are not recorded. */
  readonly record: boolean;
  readonly defStack: readonly { readonly name: string; readonly callSpan: Span }[];
  /** Collects the params and particles the expression reads. */
  readonly reads: Set<string>;
}

export function newEnv(scope: GlobalScope): Env {
  return {
    scope,
    defs: new Map(),
    refs: new Map(),
    shapes: new Map(),
    diags: [],
    defMemo: new Map(),
    letReads: new Map(),
    lambdaSyms: new Map(),
    poisoned: new Set(),
    suggestBudget: 200,
    depth: 0,
  };
}

/** A context for a top-level expression. */
export function topCtx(where: Where, opts: Partial<Pick<Ctx, 'inObjective' | 'declShape' | 'unbound' | 'solveLocals' | 'initRoot'>> = {}): Ctx {
  return {
    where,
    inObjective: opts.inObjective ?? false,
    declShape: opts.declShape ?? null,
    unbound: opts.unbound ?? null,
    initRoot: opts.initRoot ?? null,
    locals: null,
    solveLocals: opts.solveLocals ?? null,
    record: true,
    defStack: [],
    reads: new Set(),
  };
}

/** Reports a diagnostic; inside an inlined def it gets a note at the call that led there. */
export function report(env: Env, ctx: Ctx, d: Diagnostic): void {
  const top = ctx.defStack[ctx.defStack.length - 1];
  env.diags.push(top ? { ...d, notes: [...d.notes, { message: `in this call of '${top.name}'`, span: top.callSpan }] } : d);
}

const STEP_WHERE: ReadonlySet<Where> = new Set(['step', 'option', 'cond', 'output']);
const T_WHERE: ReadonlySet<Where> = new Set(['option', 'cond', 'output']);
/** Bare initializer words, valid as (part of) a data/param initializer. */
export const INIT_WORDS: readonly string[] = ['zeros', 'ones', 'uniform'];

/** The shape a symbol has where it is read: batched data (and `per` params) have the batch's rows inside steps. */
export function symShape(env: Env, sym: Sym, where: Where): Shape | null {
  switch (sym.kind) {
    case 'dim':
    case 'const':
      return [];
    case 'data':
      return sym.batch !== null && STEP_WHERE.has(where) ? [sym.batch, ...sym.shape.slice(1)] : sym.shape;
    case 'param': {
      if (sym.per === null || !STEP_WHERE.has(where)) return sym.shape;
      const b = env.scope.visible.get(sym.per);
      return b && b.kind === 'data' && b.batch !== null ? [b.batch, ...sym.shape.slice(1)] : sym.shape;
    }
    case 'particles':
    case 'let':
      return sym.shape;
    case 'def':
    case 'local':
      return null;
  }
}

/** The compile-time value of a resolved name, or why it has none. */
export function constNameValue(env: Env): (ref: A.NameRef) => number | string {
  return (ref) => {
    const sym = env.refs.get(ref);
    if (sym) {
      if (sym.kind === 'dim' || sym.kind === 'const') return sym.value;
      return `'${ref.name}' is ${describeSym(sym)}`;
    }
    if (ref.name === 't') return "'t' (the step counter) changes every step";
    if (Object.hasOwn(CONST_NAMES, ref.name)) return CONST_NAMES[ref.name]!;
    return `'${ref.name}' is not a constant`;
  };
}

/** Evaluates an already-checked expression at compile time. */
export function constValue(env: Env, e: A.Expr): ConstResult {
  return evalConst(e, constNameValue(env));
}

function record(env: Env, ctx: Ctx, e: A.Expr, s: Shape | null): Shape | null {
  if (s !== null && ctx.record) env.shapes.set(e, s);
  return s;
}

/** Deeper expressions are reported (GD2033) instead of risking the stack; long `a + b + c ...` chains are iterative and do not count. */
export const MAX_DEPTH = 1000;

/** Infers the shape of `e` (null when an error was reported in it). */
export function inferShape(env: Env, ctx: Ctx, e: A.Expr): Shape | null {
  if (env.depth >= MAX_DEPTH) {
    report(env, ctx, expressionTooDeep(MAX_DEPTH, e.span));
    return null;
  }
  env.depth++;
  try {
    return inferShapeAt(env, ctx, e);
  } finally {
    env.depth--;
  }
}

function inferShapeAt(env: Env, ctx: Ctx, e: A.Expr): Shape | null {
  switch (e.kind) {
    case 'Number':
      return record(env, ctx, e, []);
    case 'String':
      report(env, ctx, invalidArgument('a string is not a value here', e.span, 'strings appear only in load("..."), import, record and save'));
      return null;
    case 'Name':
      return record(env, ctx, e, inferName(env, ctx, e));
    case 'Tensor':
      return record(env, ctx, e, inferTensor(env, ctx, e));
    case 'Unary':
      return record(env, ctx, e, inferShape(env, ctx, e.operand));
    case 'Binary':
      return record(env, ctx, e, inferBinary(env, ctx, e));
    case 'Call':
      return record(env, ctx, e, inferCall(env, ctx, e));
    case 'Index':
      return record(env, ctx, e, inferIndex(env, ctx, e));
    case 'Attr':
      return record(env, ctx, e, inferAttr(env, ctx, e));
    case 'Lambda':
      report(env, ctx, lambdaOutsidePairwise(e.span));
      return null;
  }
}

// ── Names ────────────────────────────────────────────────────────────────────

function candidates(env: Env, ctx: Ctx): string[] {
  const out: string[] = [];
  if (ctx.locals) out.push(...ctx.locals.keys());
  if (ctx.solveLocals) out.push(...ctx.solveLocals.keys());
  out.push(...env.scope.visible.keys());
  if (T_WHERE.has(ctx.where)) out.push('t');
  return out;
}

function trySuggest(env: Env, name: string, cands: () => Iterable<string>): string | undefined {
  if (env.suggestBudget <= 0) return undefined;
  env.suggestBudget--;
  return suggest(name, cands());
}

/** Why a global may not be read in this context (data and initial values exist before the run), or null. */
function accessError(sym: Sym, where: Where): { what: string; why: string; help: string } | null {
  if (where === 'data' && (sym.kind === 'param' || sym.kind === 'particles' || sym.kind === 'let')) {
    return {
      what: 'a data initializer',
      why: `it reads ${describeSym(sym)} ('${sym.name}'); data is computed once, before the run`,
      help: 'compute data from other data, dims and consts; for a value that follows the params, use a let',
    };
  }
  if (where === 'init' && sym.kind === 'let') {
    return { what: 'an initial value', why: `it reads a let ('${sym.name}'), which changes every step`, help: 'write the expression itself, in terms of data and params' };
  }
  return null;
}

function inferName(env: Env, ctx: Ctx, e: A.NameRef): Shape | null {
  const name = e.name;
  const local = ctx.locals?.get(name);
  if (local) {
    env.refs.set(e, local.sym);
    return local.shape;
  }
  const sl = ctx.solveLocals?.get(name);
  if (sl) {
    env.refs.set(e, sl.sym);
    for (const r of env.letReads.get(`solve:${name}`) ?? []) ctx.reads.add(r);
    return sl.shape;
  }
  const sym = env.scope.visible.get(name);
  if (!sym && env.poisoned.has(name)) return null;
  if (sym) {
    if (sym.kind === 'def') {
      report(env, ctx, nameIsNotAValue(name, 'a def', e.span, `call it: ${name}(...)`));
      return null;
    }
    const bad = accessError(sym, ctx.where);
    if (bad) {
      report(env, ctx, notAConstant(bad.what, bad.why, e.span, bad.help));
      return null;
    }
    env.refs.set(e, sym);
    if (sym.kind === 'param' || sym.kind === 'particles') ctx.reads.add(sym.name);
    if (sym.kind === 'let') for (const r of env.letReads.get(name) ?? []) ctx.reads.add(r);
    return symShape(env, sym, ctx.where);
  }
  if (name === 't') {
    if (T_WHERE.has(ctx.where)) return [];
    report(env, ctx, unknownName(name, e.span, { help: "'t' is the step counter: it exists only in method options, until conditions and logged items" }));
    return null;
  }
  if (Object.hasOwn(CONST_NAMES, name)) return [];
  if (INIT_WORDS.includes(name)) {
    if (ctx.initRoot !== e) {
      report(env, ctx, nameIsNotAValue(name, 'an initializer', e.span, `a bare '${name}' must be the whole initializer; inside expressions write ${name === 'uniform' ? 'rand(...)' : `${name}()`} (it takes the declared shape) or ${name === 'uniform' ? 'rand' : name}([...])`));
      return null;
    }
    if (ctx.declShape === 'unknown') {
      reportUnbound(env, ctx, e.span);
      return null;
    }
    if (ctx.declShape !== null) return ctx.declShape;
    report(env, ctx, nameIsNotAValue(name, 'an initializer', e.span, `inside expressions write ${name === 'uniform' ? 'rand([...])' : `${name}([...])`} with a shape`));
    return null;
  }
  const later = env.scope.declared.get(name);
  if (later && !env.defs.has(name)) {
    report(env, ctx, unknownName(name, e.span, { declaredLater: later }));
    return null;
  }
  if (env.defs.has(name)) {
    report(env, ctx, nameIsNotAValue(name, 'a def', e.span, `call it: ${name}(...)`));
    return null;
  }
  if (lookupBuiltin(name)) {
    report(env, ctx, nameIsNotAValue(name, 'a builtin function', e.span, `call it: ${name}(...)`));
    return null;
  }
  report(env, ctx, unknownName(name, e.span, { suggestion: trySuggest(env, name, () => candidates(env, ctx)) }));
  return null;
}

function reportUnbound(env: Env, ctx: Ctx, span: Span): void {
  const u = ctx.unbound;
  const name = u?.name ?? '?';
  if (u?.wholeShape) {
    report(env, ctx, unknownDim(`the shape of '${name}'`, u.span, 'it has no declared shape, and the initializer has no shape of its own'));
    return;
  }
  report(env, ctx, unknownDim(`the size '${name}'`, u?.span ?? span, 'it is not declared with `dim`, and the initializer has no shape of its own to bind it', name));
}

// ── Operators, literals, indexing ────────────────────────────────────────────

function inferTensor(env: Env, ctx: Ctx, e: A.TensorLit): Shape | null {
  if (e.elements.length === 0) return [0];
  let first: Shape | null = null;
  let ok = true;
  for (let i = 0; i < e.elements.length; i++) {
    const el = e.elements[i]!;
    const s = inferShape(env, ctx, el);
    if (s === null) {
      ok = false;
      continue;
    }
    if (first === null) first = s;
    else if (ok && (s.length !== first.length || s.some((d, k) => d !== first![k]))) {
      report(env, ctx, raggedTensorLiteral(i, s, first, el.span));
      ok = false;
    }
  }
  return ok && first !== null ? [e.elements.length, ...first] : null;
}

/**
 * Binary operators. The left spine of a chain (`a + b - c * d + ...`, left-associative as parsed) is
 * walked with a loop, so a long sum costs no stack depth.
 */
function inferBinary(env: Env, ctx: Ctx, e: A.Binary): Shape | null {
  const spine: A.Binary[] = [];
  let leftmost: A.Expr = e;
  while (leftmost.kind === 'Binary') {
    spine.push(leftmost);
    leftmost = leftmost.left;
  }
  let acc = inferShape(env, ctx, leftmost);
  for (let i = spine.length - 1; i >= 0; i--) {
    const node = spine[i]!;
    const r = inferShape(env, ctx, node.right);
    let out: Shape | null = null;
    if (acc !== null && r !== null) {
      if (node.op === '@') {
        out = matmulShape(acc, r);
        if (out === null) report(env, ctx, matmulMismatch(acc, r, node.span));
      } else {
        out = broadcast(acc, r);
        if (out === null) report(env, ctx, broadcastMismatch(node.op, acc, r, node.span));
      }
    }
    // Inner nodes of the spine are recorded here; the outermost one by inferShape's caller.
    if (i > 0) record(env, ctx, node, out);
    acc = out;
  }
  return acc;
}

function inferAttr(env: Env, ctx: Ctx, e: A.Attr): Shape | null {
  const s = inferShape(env, ctx, e.target);
  if (e.name.name !== 'T') {
    report(env, ctx, unknownAttribute(e.name.name, e.name.span));
    return null;
  }
  if (s === null) return null;
  if (s.length > 2) {
    report(env, ctx, transposeRank(s, e.span));
    return null;
  }
  return s.length === 2 ? [s[1]!, s[0]!] : s;
}

/** A compile-time integer for an index or slice bound; reports GD2019/GD2027 when it is not one. */
function constInt(env: Env, ctx: Ctx, e: A.Expr, what: string): number | null {
  const v = constValue(env, e);
  if (!v.ok) {
    report(env, ctx, notAConstant(what, v.why, v.node.span));
    return null;
  }
  if (!Number.isInteger(v.value)) {
    report(env, ctx, invalidArgument(`${what} must be an integer, but it is ${v.value}`, e.span));
    return null;
  }
  return v.value;
}

function inferIndex(env: Env, ctx: Ctx, e: A.Index): Shape | null {
  const s = inferShape(env, ctx, e.target);
  // Check the items even when the target failed, so their names are resolved; stop at the first bad one.
  const out: number[] = [];
  let ok = s !== null;
  if (s !== null && e.items.length > s.length) {
    report(env, ctx, tooManyIndices(e.items.length, s, e.span));
    ok = false;
  }
  for (let i = 0; i < e.items.length; i++) {
    const item = e.items[i]!;
    const n = s?.[i];
    if (item.kind === 'At') {
      const is = inferShape(env, ctx, item.index);
      if (is === null) {
        ok = false;
        continue;
      }
      if (is.length !== 0) {
        if (ok) report(env, ctx, invalidArgument(`an index must be a scalar, but it has shape ${showShape(is)}`, item.index.span));
        ok = false;
        continue;
      }
      const c = constValue(env, item.index);
      if (c.ok && ok && n !== undefined) {
        if (!Number.isInteger(c.value)) {
          report(env, ctx, invalidArgument(`an index must be an integer, but it is ${c.value}`, item.index.span));
          ok = false;
        } else if (c.value >= n || c.value < -n) {
          report(env, ctx, indexOutOfBounds(c.value, n, i, item.span));
          ok = false;
        }
      }
      continue;
    }
    const parts = [item.start, item.stop, item.step].map((p) => (p === null ? null : inferShape(env, ctx, p) === null ? undefined : p));
    if (parts.some((p) => p === undefined)) {
      ok = false;
      continue;
    }
    if (!ok || n === undefined) continue;
    const [start, stop, step] = parts.map((p) => (p ? constInt(env, ctx, p, 'a slice bound') : null)) as (number | null)[];
    if ((item.start && start === null) || (item.stop && stop === null) || (item.step && step === null)) {
      ok = false;
      continue;
    }
    if (step === 0) {
      report(env, ctx, invalidArgument('a slice step cannot be 0', item.step!.span));
      ok = false;
      continue;
    }
    const bad = [start, stop].find((b) => b !== null && b !== undefined && (b > n || b < -n));
    if (bad !== undefined && bad !== null) {
      report(env, ctx, indexOutOfBounds(bad, n, i, item.span, true));
      ok = false;
      continue;
    }
    out.push(sliceLength(n, start ?? null, stop ?? null, step ?? 1));
  }
  if (!ok || s === null) return null;
  return [...out, ...s.slice(e.items.length)];
}

// ── Calls ────────────────────────────────────────────────────────────────────

function inferCall(env: Env, ctx: Ctx, e: A.Call): Shape | null {
  const name = e.callee.name;
  const local = ctx.locals?.get(name);
  if (local) {
    report(env, ctx, notCallable(name, 'a parameter', e.callee.span, local.sym.span));
    return null;
  }
  const sym = ctx.solveLocals?.get(name)?.sym ?? env.scope.visible.get(name);
  if (!sym && env.poisoned.has(name)) return null;
  if (sym && sym.kind !== 'def') {
    report(env, ctx, notCallable(name, describeSym(sym), e.callee.span, sym.span));
    return null;
  }
  const def = env.defs.get(name);
  if (def) {
    env.refs.set(e.callee, def.sym);
    return inlineDef(env, ctx, def, e);
  }
  const spec = lookupBuiltin(name);
  if (spec) return callBuiltin(env, ctx, name, spec, e);
  const later = env.scope.declared.get(name);
  if (later) {
    report(env, ctx, notCallable(name, 'a tensor', e.callee.span, later));
    return null;
  }
  report(env, ctx, unknownFunction(name, e.callee.span, trySuggest(env, name, () => [...BUILTIN_NAMES, ...env.defs.keys()])));
  return null;
}

function inlineDef(env: Env, ctx: Ctx, def: DefEntry, e: A.Call): Shape | null {
  const decl = def.sym.decl;
  const named = e.args.find((a) => a.name !== null);
  if (named) {
    report(env, ctx, unknownNamedArgument(decl.name.name, named.name!.name, named.name!.span, []));
    return null;
  }
  if (e.args.length !== decl.params.length) {
    const n = decl.params.length;
    report(env, ctx, wrongArgumentCount(decl.name.name, `${n} argument${n === 1 ? '' : 's'}`, e.args.length, e.span, `${decl.name.name}(${decl.params.map((p) => p.name).join(', ')})`));
    return null;
  }
  const shapes: Shape[] = [];
  let ok = true;
  for (const a of e.args) {
    const s = inferShape(env, ctx, a.value);
    if (s === null) ok = false;
    else shapes.push(s);
  }
  if (!ok) return null;
  const at = ctx.defStack.findIndex((f) => f.name === decl.name.name);
  if (at >= 0) {
    const chain = [...ctx.defStack.slice(at).map((f) => f.name), decl.name.name];
    report(env, ctx, recursiveDef(chain, e.span, decl.name.span));
    return null;
  }
  // Everything the body's check depends on: the def, the context, the argument shapes and a declared fill shape.
  const fill = ctx.declShape === null ? '-' : ctx.declShape === 'unknown' ? '?' : ctx.declShape.join(',');
  const key = `${decl.name.name}|${ctx.where}|${ctx.inObjective ? 1 : 0}|${fill}|${shapes.map((s) => s.join(',')).join(';')}`;
  const memo = env.defMemo.get(key);
  if (memo) {
    for (const r of memo.reads) ctx.reads.add(r);
    return memo.shape;
  }
  // The def body sees its parameters (bound to the argument shapes) and the globals; its shapes are not recorded.
  const locals = new Map<string, Local>();
  decl.params.forEach((p, i) => locals.set(p.name, { sym: def.params[i]!, shape: shapes[i]! }));
  const reads = new Set<string>();
  const inner: Ctx = {
    ...ctx,
    locals,
    solveLocals: null,
    record: false,
    defStack: [...ctx.defStack, { name: decl.name.name, callSpan: e.span }],
    reads,
  };
  const shape = inferShape(env, inner, decl.body);
  env.defMemo.set(key, { shape, reads });
  for (const r of reads) ctx.reads.add(r);
  return shape;
}

function arityText(spec: BuiltinSpec): string {
  const req = spec.params.filter((p) => !p.optional).length;
  const all = spec.params.length;
  const n = (k: number) => `${k} argument${k === 1 ? '' : 's'}`;
  return req === all ? n(all) : `${req} to ${all} arguments`;
}

function checkWord(env: Env, ctx: Ctx, fn: string, p: ParamSpec, e: A.Expr): boolean {
  const words = p.words;
  if (!words) return true;
  if (e.kind === 'Name' && words.includes(e.name)) return true;
  if (e.kind === 'Call' && words.includes(`${e.callee.name}(`)) {
    let ok = true;
    for (const a of e.args) {
      const s = inferShape(env, ctx, a.value);
      if (s === null) ok = false;
      else if (s.length !== 0) {
        report(env, ctx, invalidArgument(`the argument of ${e.callee.name}(...) must be a scalar, but it has shape ${showShape(s)}`, a.value.span));
        ok = false;
      }
    }
    if (ok && e.args.length !== 1) {
      report(env, ctx, wrongArgumentCount(e.callee.name, '1 argument', e.args.length, e.span));
      ok = false;
    }
    return ok;
  }
  const shown = words.map((w) => (w.endsWith('(') ? `${w}...)` : w)).join(', ');
  report(env, ctx, invalidArgument(`${fn}'s '${p.name}' must be one of ${shown}`, e.span));
  return false;
}

function callBuiltin(env: Env, ctx: Ctx, fn: string, spec: BuiltinSpec, e: A.Call): Shape | null {
  const args = new Map<string, BoundArg & { spec: ParamSpec }>();
  let pos = 0;
  for (const a of e.args) {
    if (a.name === null) {
      const p = spec.params[pos++];
      if (!p) {
        report(env, ctx, wrongArgumentCount(fn, arityText(spec), e.args.filter((x) => x.name === null).length, a.span, spec.signature));
        return null;
      }
      args.set(p.name, { expr: a.value, spec: p });
      continue;
    }
    const n = a.name.name;
    const p = spec.params.find((q) => q.name === n) ?? spec.named.find((q) => q.name === n);
    if (!p) {
      const known = [...spec.params, ...spec.named].map((q) => q.name);
      report(env, ctx, unknownNamedArgument(fn, n, a.name.span, known, suggest(n, known)));
      return null;
    }
    if (args.has(n)) {
      report(env, ctx, invalidArgument(`'${n}' is given twice in this call of ${fn}`, a.span));
      return null;
    }
    args.set(n, { expr: a.value, spec: p });
  }
  const missing = spec.params.find((p) => !p.optional && !args.has(p.name));
  if (missing) {
    report(env, ctx, wrongArgumentCount(fn, arityText(spec), e.args.filter((x) => x.name === null).length, e.span, spec.signature));
    return null;
  }
  let ok = true;
  for (const [name, b] of args) {
    const p = b.spec;
    const x = b.expr;
    switch (p.kind) {
      case 'tensor': {
        const s = inferShape(env, ctx, x);
        if (s === null) ok = false;
        else b.shape = s;
        break;
      }
      case 'const': {
        const s = inferShape(env, ctx, x);
        if (s === null) {
          ok = false;
          break;
        }
        const v = constValue(env, x);
        if (!v.ok) {
          report(env, ctx, notAConstant(`${fn}'s '${name}'`, v.why, v.node.span));
          ok = false;
        } else b.num = v.value;
        break;
      }
      case 'axis':
      case 'sizes': {
        const items = x.kind === 'Tensor' ? x.elements : [x];
        if (inferShape(env, ctx, x) === null) {
          ok = false;
          break;
        }
        const vals: number[] = [];
        for (const it of items) {
          const v = constInt(env, ctx, it, p.kind === 'axis' ? `${fn}'s axis` : `a size in ${fn}'s shape`);
          if (v === null) {
            ok = false;
            break;
          }
          vals.push(v);
        }
        b.list = vals;
        break;
      }
      case 'word':
        if (!checkWord(env, ctx, fn, p, x)) ok = false;
        break;
      case 'lambda':
        if (x.kind !== 'Lambda') {
          report(env, ctx, invalidArgument(`${fn}'s '${name}' must be a lambda \`(x, y) => expr\``, x.span));
          ok = false;
        }
        break;
    }
  }
  if (!ok) return null;
  return spec.rule({ call: e, args }, ruleEnv(env, ctx));
}

function ruleEnv(env: Env, ctx: Ctx): RuleEnv {
  return {
    where: ctx.where,
    inObjective: ctx.inObjective,
    declShape: ctx.declShape,
    report: (d) => report(env, ctx, d),
    reportUnboundDim: (span) => reportUnbound(env, ctx, span),
    symOf: (e) => (e.kind === 'Name' ? env.refs.get(e) : undefined),
    checkLambda: (lam, paramShapes) => {
      const locals = new Map<string, Local>(ctx.locals ?? []);
      lam.params.forEach((p, i) => {
        let sym = env.lambdaSyms.get(p);
        if (!sym) {
          sym = { kind: 'local', name: p.name, span: p.span };
          env.lambdaSyms.set(p, sym);
        }
        locals.set(p.name, { sym, shape: paramShapes[i] ?? [] });
      });
      const s = inferShape(env, { ...ctx, locals }, lam.body);
      if (s !== null && ctx.record) env.shapes.set(lam, s);
      return s;
    },
  };
}
