/**
 * Checks declarations (dim, const, data, param, particles, let): evaluates dims and consts (with
 * overrides), binds undeclared dims from data files and initializers, checks initializer shapes and
 * domains, and makes each symbol visible.
 */
import type * as A from '../ast/ast.js';
import type { Span } from '../diagnostics/span.js';
import { resolveRelative } from '../host.js';
import { unknownDim, unknownInitializer, unknownName } from '../diagnostics/constructors/names.js';
import { lookupBuiltin } from './builtins.js';
import { CONST_NAMES } from './eval-const.js';
import {
  dimConflict,
  dimNotInteger,
  initializerShapeMismatch,
  invalidArgument,
  invalidBatchSize,
  invalidDomainArgument,
  notAConstant,
  perNeedsBatchedData,
  unknownDomain,
} from '../diagnostics/constructors/semantics.js';
import { dataShapeMismatch } from '../diagnostics/constructors/runtime.js';
import { showShape } from '../diagnostics/make.js';
import type { DataSource, Domain, Shape, Sym } from './checked.js';
import { dataFormatOf, readDataShape } from './data-headers.js';
import { declareGlobal, diag, poison, type State } from './check-state.js';
import { suggest } from './scope.js';
import { broadcast, sameShape } from './shapes.js';
import { constValue, inferShape, INIT_WORDS, topCtx, type Ctx } from './typecheck.js';

// ── dim and const ────────────────────────────────────────────────────────────

/** Evaluates a scalar compile-time expression; reports and returns null when it is not one. */
export function evalScalarConst(st: State, e: A.Expr, what: string, where: 'const' | 'data' = 'const'): number | null {
  const ctx = topCtx(where);
  const s = inferShape(st.env, ctx, e);
  if (s === null) return null;
  if (s.length !== 0) {
    diag(st, notAConstant(what, `it has shape ${showShape(s)}; it must be a single number`, e.span));
    return null;
  }
  const v = constValue(st.env, e);
  if (!v.ok) {
    diag(st, notAConstant(what, v.why, v.node.span));
    return null;
  }
  return v.value;
}

function override(st: State, name: string): number | undefined {
  const v = st.overrides.get(name);
  if (v !== undefined) st.usedOverrides.add(name);
  return v;
}

export function checkDim(st: State, s: A.DimDecl): void {
  const name = s.name.name;
  const computed = evalScalarConst(st, s.value, `dim '${name}'`);
  const value = override(st, name) ?? computed;
  if (value === null) return poison(st, name);
  if (!Number.isInteger(value) || value < 1) {
    diag(st, dimNotInteger(name, value, s.value.span));
    return poison(st, name);
  }
  declareGlobal(st, { kind: 'dim', name, value, span: s.name.span });
}

export function checkConst(st: State, s: A.ConstDecl): void {
  const name = s.name.name;
  const computed = evalScalarConst(st, s.value, `const '${name}'`);
  const value = override(st, name) ?? computed;
  if (value === null) return poison(st, name);
  declareGlobal(st, { kind: 'const', name, value, span: s.name.span });
}

// ── Shapes with dims to bind ─────────────────────────────────────────────────

/** A declared shape whose entries are sizes, or names still to be bound (first occurrence span kept). */
type Pattern = readonly (number | { readonly name: string; readonly ref: A.NameRef })[];

/** Evaluates a shape annotation; undeclared names become pattern variables. Null when an entry is invalid. */
function evalPattern(st: State, ann: A.ShapeAnn): Pattern | null {
  const out: (number | { name: string; ref: A.NameRef })[] = [];
  let ok = true;
  for (const d of ann.dims) {
    if (d.kind === 'Name') {
      const sym = st.env.scope.visible.get(d.name);
      if (!sym && st.env.poisoned.has(d.name)) {
        ok = false;
        continue;
      }
      if (!sym) {
        const later = st.env.scope.declared.get(d.name);
        if (later) {
          diag(st, unknownName(d.name, d.span, { declaredLater: later }));
          ok = false;
          continue;
        }
        const ov = override(st, d.name);
        if (ov !== undefined && Number.isInteger(ov) && ov >= 1) {
          const dim: Sym = { kind: 'dim', name: d.name, value: ov, span: d.span };
          declareGlobal(st, dim);
          st.env.refs.set(d, dim);
          st.env.shapes.set(d, []);
          out.push(ov);
        } else out.push({ name: d.name, ref: d });
        continue;
      }
    }
    const v = evalScalarConst(st, d, 'a size in a shape');
    if (v === null) {
      ok = false;
      continue;
    }
    if (!Number.isInteger(v) || v < 1) {
      diag(st, dimNotInteger(d.kind === 'Name' ? d.name : st.env.shapes.has(d) ? 'this size' : 'this size', v, d.span));
      ok = false;
      continue;
    }
    out.push(v);
  }
  return ok ? out : null;
}

const concrete = (p: Pattern): Shape | null => (p.every((d) => typeof d === 'number') ? (p as number[]) : null);

function firstVar(p: Pattern): { name: string; ref: A.NameRef } | null {
  for (const d of p) if (typeof d !== 'number') return d;
  return null;
}

/** How a unification failure is reported: a file (GD4003) or an initializer (GD2017). */
interface Source {
  readonly kind: 'file' | 'init';
  readonly describe: string;
  readonly span: Span;
}

/**
 * Unifies a declared pattern with an actual shape, binding pattern variables to new dims. Files may differ
 * from the declaration by axes of length 1 (a one-column csv for a vector), as the runtime loader allows.
 * Returns the concrete declared shape, or null after reporting.
 */
function unify(st: State, declName: string, p: Pattern, actual: Shape, src: Source): Shape | null {
  let pat = p;
  let act = actual;
  if (pat.length !== act.length && src.kind === 'file') {
    pat = p.filter((d) => d !== 1);
    act = actual.filter((d) => d !== 1);
  }
  const mismatch = () => {
    const declared = p.map((d) => (typeof d === 'number' ? d : d.name));
    if (src.kind === 'file') {
      const shown = `[${declared.join(', ')}]`;
      diag(st, { ...dataShapeMismatch(declName, [], actual, src.describe, src.span), message: `data '${declName}' is declared ${shown} but ${src.describe} has shape ${showShape(actual)}` });
    } else if (declared.every((d) => typeof d === 'number')) {
      diag(st, initializerShapeMismatch(declName, declared as number[], actual, src.span));
    } else {
      diag(st, { ...initializerShapeMismatch(declName, [], actual, src.span), message: `'${declName}' is declared [${declared.join(', ')}], but its initializer has shape ${showShape(actual)}` });
    }
    return null;
  };
  if (pat.length !== act.length) return mismatch();
  const bound = new Map<string, { value: number; ref: A.NameRef }>();
  for (let i = 0; i < pat.length; i++) {
    const d = pat[i]!;
    const a = act[i]!;
    if (typeof d === 'number') {
      if (d !== a) return mismatch();
      continue;
    }
    const prev = bound.get(d.name);
    if (prev && prev.value !== a) {
      diag(st, dimConflict(d.name, prev.value, a, src.span, prev.ref.span, `${src.describe} (axis ${i})`));
      return null;
    }
    if (!prev) bound.set(d.name, { value: a, ref: d.ref });
  }
  for (const [name, b] of bound) {
    if (b.value < 1) {
      diag(st, dimNotInteger(name, b.value, src.span));
      return null;
    }
    const sym: Sym = { kind: 'dim', name, value: b.value, span: b.ref.span };
    declareGlobal(st, sym);
    st.inferredDims.set(name, b.ref.span);
  }
  // Refs for every occurrence of each bound name in the pattern.
  for (const d of p) {
    if (typeof d === 'number') continue;
    const sym = st.env.scope.visible.get(d.name);
    if (sym) {
      st.env.refs.set(d.ref, sym);
      st.env.shapes.set(d.ref, []);
    }
  }
  return p.map((d) => (typeof d === 'number' ? d : bound.get(d.name)!.value));
}

/**
 * A dim bound earlier by inference makes later uses sizes too; a later file or initializer that disagrees
 * is a conflict between two inferences (GD2015), reported here instead of as a plain mismatch.
 */
function inferredConflict(st: State, ann: A.ShapeAnn | null, declared: Shape, actual: Shape, src: Source): boolean {
  if (!ann || declared.length !== actual.length) return false;
  for (let i = 0; i < declared.length; i++) {
    const d = ann.dims[i];
    if (d?.kind === 'Name' && st.inferredDims.has(d.name) && declared[i] !== actual[i]) {
      diag(st, dimConflict(d.name, declared[i]!, actual[i]!, src.span, st.inferredDims.get(d.name), `${src.describe} (axis ${i})`));
      return true;
    }
  }
  return false;
}

/** A bare initializer word that names nothing at all (not a global, not declared later, not zeros/ones/uniform). */
function isUnknownWord(st: State, name: string): boolean {
  const env = st.env;
  return !env.scope.visible.has(name) && !env.poisoned.has(name) && !env.scope.declared.has(name) && !env.defs.has(name) && !INIT_WORDS.includes(name) && !Object.hasOwn(CONST_NAMES, name) && !lookupBuiltin(name);
}

/** Checks an initializer against a declared pattern (or derives the shape when there is none). */
function checkInit(st: State, declName: string, ann: A.ShapeAnn | null, p: Pattern | null, init: A.Expr, where: 'data' | 'init'): Shape | null {
  const c = p ? concrete(p) : null;
  const v = p ? firstVar(p) : null;
  const ctx: Ctx = topCtx(where, {
    declShape: c ?? 'unknown',
    unbound: v ? { name: v.name, span: v.ref.span } : { name: declName, span: init.span, wholeShape: true },
    initRoot: init,
  });
  if (init.kind === 'Name' && isUnknownWord(st, init.name)) {
    const cands = [...INIT_WORDS, ...st.env.scope.visible.keys()];
    diag(st, unknownInitializer(init.name, init.span, suggest(init.name, cands)));
    return null;
  }
  const s = inferShape(st.env, ctx, init);
  if (s === null) return null;
  if (!p) return s;
  const src: Source = { kind: 'init', describe: 'the initializer', span: init.span };
  if (c) {
    if (s.length === 0 || sameShape(s, c)) return c;
    if (inferredConflict(st, ann, c, s, src)) return null;
    diag(st, initializerShapeMismatch(declName, c, s, init.span));
    return null;
  }
  if (s.length === 0) {
    diag(st, unknownDim(`the size '${v!.name}'`, v!.ref.span, 'it is not declared with `dim`, and a scalar initializer does not give it', v!.name));
    return null;
  }
  return unify(st, declName, p, s, src);
}

// ── data ─────────────────────────────────────────────────────────────────────

function isLoad(st: State, e: A.Expr): e is A.Call {
  return e.kind === 'Call' && e.callee.name === 'load' && !st.env.defs.has('load') && !st.env.scope.visible.has('load');
}

export function checkData(st: State, s: A.DataDecl, file: string): void {
  const name = s.name.name;
  const p = s.shape ? evalPattern(st, s.shape) : null;
  if (s.shape && p === null) return poison(st, name);
  let shape: Shape | null;
  let source: DataSource;
  if (isLoad(st, s.init)) {
    const r = checkLoad(st, name, s.shape, p, s.init, file);
    if (!r) return poison(st, name);
    [shape, source] = r;
    // The load call stands for the data as declared (a one-column csv already fitted to [n, 1], say).
    st.env.shapes.set(s.init, shape);
  } else {
    shape = checkInit(st, name, s.shape, p, s.init, 'data');
    source = { kind: 'expr', expr: s.init };
  }
  if (shape === null) return poison(st, name);
  let batch: number | null = null;
  if (s.batch) {
    const b = evalScalarConst(st, s.batch, 'the batch size');
    if (b === null) return poison(st, name);
    if (shape.length === 0) {
      diag(st, invalidBatchSize(`'${name}' is a scalar; only data with rows can be batched`, s.batch.span));
      return poison(st, name);
    }
    if (!Number.isInteger(b) || b < 1 || b > shape[0]!) {
      diag(st, invalidBatchSize(`batch ${b}: the batch size must be a positive integer no larger than the ${shape[0]} rows of '${name}'`, s.batch.span));
      return poison(st, name);
    }
    batch = b;
  }
  declareGlobal(st, { kind: 'data', name, shape, source, batch, decl: s, span: s.name.span });
}

function checkLoad(st: State, name: string, ann: A.ShapeAnn | null, p: Pattern | null, call: A.Call, file: string): [Shape, DataSource] | null {
  const arg = call.args[0];
  if (call.args.length !== 1 || !arg || arg.name !== null || arg.value.kind !== 'String') {
    diag(st, invalidArgument('load takes one argument: the path of a .csv, .json or .npy file, as a string', call.span, 'for example: load("data/X.csv")'));
    return null;
  }
  const str = arg.value;
  const path = resolveRelative(file, str.value);
  const header = readDataShape(st.host, path, str.span);
  if (!header.ok) {
    diag(st, header.diag);
    return null;
  }
  const format = dataFormatOf(path)!;
  const source: DataSource = { kind: 'load', path, format };
  if (!p) return [header.shape, source];
  const src: Source = { kind: 'file', describe: header.describe, span: str.span };
  const c = concrete(p);
  if (c) {
    const fits = sameShape(c, header.shape) || sameShape(c.filter((d) => d !== 1), header.shape.filter((d) => d !== 1));
    if (fits) return [c, source];
    if (inferredConflict(st, ann, c, header.shape, src)) return null;
    unify(st, name, p, header.shape, src);
    return null;
  }
  const shape = unify(st, name, p, header.shape, src);
  return shape ? [shape, source] : null;
}

// ── params and particles ─────────────────────────────────────────────────────

const DOMAIN_NAMES = ['reals', 'positive', 'simplex', 'box', 'ball'];

/** Binds a domain's arguments by position or name; reports extra/unknown/missing ones. */
function domainArgs(st: State, ann: A.DomainAnn, names: readonly string[], required: number): Map<string, A.Expr> | null {
  const out = new Map<string, A.Expr>();
  let pos = 0;
  for (const a of ann.args) {
    const n = a.name ? a.name.name : names[pos++];
    if (n === undefined || !names.includes(n)) {
      diag(st, invalidDomainArgument(a.name ? `${ann.name.name} has no argument '${a.name.name}'` : `${ann.name.name} takes at most ${names.length} arguments`, a.span, `write ${ann.name.name}(${names.join(', ')})`));
      return null;
    }
    if (out.has(n)) {
      diag(st, invalidDomainArgument(`'${n}' is given twice`, a.span));
      return null;
    }
    out.set(n, a.value);
  }
  const missing = names.slice(0, required).find((n) => !out.has(n));
  if (missing) {
    diag(st, invalidDomainArgument(`${ann.name.name} needs '${missing}'`, ann.span, `write ${ann.name.name}(${names.join(', ')})`));
    return null;
  }
  return out;
}

/** A bound of box/ball: a compile-time or data expression that broadcasts to the param's shape. */
function domainTensor(st: State, e: A.Expr, shape: Shape, what: string): boolean {
  const s = inferShape(st.env, topCtx('data'), e);
  if (s === null) return false;
  const b = broadcast(s, shape);
  if (b === null || !sameShape(b, shape)) {
    diag(st, invalidDomainArgument(`${what} has shape ${showShape(s)}, which does not broadcast to the param's shape ${showShape(shape)}`, e.span));
    return false;
  }
  return true;
}

export function checkDomain(st: State, ann: A.DomainAnn | null, shape: Shape): Domain | null {
  if (!ann) return { kind: 'reals' };
  const name = ann.name.name;
  switch (name) {
    case 'reals':
    case 'positive':
    case 'simplex': {
      if (ann.args.length > 0) {
        diag(st, invalidDomainArgument(`${name} takes no arguments`, ann.args[0]!.span));
        return null;
      }
      if (name === 'simplex' && shape.length === 0) {
        diag(st, invalidDomainArgument('a simplex needs a vector (or rows along the last axis), but the param is a scalar', ann.span));
        return null;
      }
      return { kind: name };
    }
    case 'box': {
      const a = domainArgs(st, ann, ['lo', 'hi'], 2);
      if (!a) return null;
      const lo = a.get('lo')!;
      const hi = a.get('hi')!;
      if (!domainTensor(st, lo, shape, 'the lower bound') || !domainTensor(st, hi, shape, 'the upper bound')) return null;
      const l = constValue(st.env, lo);
      const h = constValue(st.env, hi);
      if (l.ok && h.ok && !(l.value < h.value)) {
        diag(st, invalidDomainArgument(`box(${l.value}, ${h.value}) is empty or a point: lo must be below hi`, ann.span));
        return null;
      }
      return { kind: 'box', lo, hi };
    }
    case 'ball': {
      const a = domainArgs(st, ann, ['p', 'r', 'center'], 2);
      if (!a) return null;
      const pe = a.get('p')!;
      if (inferShape(st.env, topCtx('const'), pe) === null) return null;
      const pv = constValue(st.env, pe);
      if (!pv.ok || (pv.value !== 1 && pv.value !== 2 && pv.value !== Infinity)) {
        diag(st, invalidDomainArgument(`the norm of a ball must be 1, 2 or inf${pv.ok ? `, not ${pv.value}` : ''}`, pe.span, 'write e.g. ball(inf, 8/255) or ball(2, 1.0)'));
        return null;
      }
      const r = a.get('r')!;
      const rs = inferShape(st.env, topCtx('data'), r);
      if (rs === null) return null;
      if (rs.length !== 0) {
        diag(st, invalidDomainArgument(`the radius of a ball must be a scalar, but it has shape ${showShape(rs)}`, r.span));
        return null;
      }
      const rv = constValue(st.env, r);
      if (rv.ok && !(rv.value > 0)) {
        diag(st, invalidDomainArgument(`the radius of a ball must be positive, but it is ${rv.value}`, r.span));
        return null;
      }
      const center = a.get('center') ?? null;
      if (center && !domainTensor(st, center, shape, 'the center')) return null;
      return { kind: 'ball', p: pv.value, radius: r, center };
    }
    default:
      diag(st, unknownDomain(name, ann.name.span, suggest(name, DOMAIN_NAMES)));
      return null;
  }
}

/** The shape of a param or particles: from the declaration (binding dims from the initializer), or the initializer alone. */
function targetShape(st: State, name: string, ann: A.ShapeAnn | null, init: A.Expr | null, declSpan: Span): Shape | null {
  const p = ann ? evalPattern(st, ann) : null;
  if (ann && p === null) return null;
  if (init) return checkInit(st, name, ann, p, init, 'init');
  if (!p) {
    diag(st, unknownDim(`the shape of '${name}'`, declSpan, 'it has neither a shape nor an initializer'));
    return null;
  }
  const c = concrete(p);
  if (c) return c;
  const v = firstVar(p)!;
  diag(st, unknownDim(`the size '${v.name}'`, v.ref.span, 'it is not declared with `dim`, and the default initializer (zeros) has no shape of its own', v.name));
  return null;
}

export function checkParam(st: State, s: A.ParamDecl): void {
  const name = s.name.name;
  const shape = targetShape(st, name, s.shape, s.init, s.name.span);
  if (shape === null) return poison(st, name);
  const domain = checkDomain(st, s.domain, shape);
  if (domain === null) return poison(st, name);
  let per: string | null = null;
  if (s.per) {
    const b = st.env.scope.visible.get(s.per.name);
    if (!b) {
      if (!st.env.poisoned.has(s.per.name)) diag(st, unknownName(s.per.name, s.per.span, { declaredLater: st.env.scope.declared.get(s.per.name) }));
      return poison(st, name);
    }
    st.env.refs.set(s.per, b);
    if (b.kind !== 'data' || b.batch === null) {
      diag(st, perNeedsBatchedData(`'per ${s.per.name}' needs batched data, but '${s.per.name}' is ${b.kind === 'data' ? 'data without `batch K`' : `a ${b.kind}`}`, s.per.span, b.span));
      return poison(st, name);
    }
    if (shape.length === 0 || shape[0] !== b.shape[0]) {
      diag(st, perNeedsBatchedData(`'${name}' has ${shape.length === 0 ? 'no rows' : `${shape[0]} rows`}, but '${s.per.name}' has ${b.shape[0]}: a per-example param needs one row per example`, s.per.span, b.span));
      return poison(st, name);
    }
    per = s.per.name;
  }
  declareGlobal(st, { kind: 'param', name, shape, domain, per, decl: s, span: s.name.span });
}

export function checkParticles(st: State, s: A.ParticlesDecl): void {
  const name = s.name.name;
  const shape = targetShape(st, name, s.shape, s.init, s.name.span);
  if (shape === null) return poison(st, name);
  if (shape.length !== 2) {
    diag(st, invalidArgument(`particles need a shape [m, d] (m particles in R^d), but '${name}' has shape ${showShape(shape)}`, s.shape?.span ?? s.name.span));
    return poison(st, name);
  }
  declareGlobal(st, { kind: 'particles', name, shape, decl: s, span: s.name.span });
}

export function checkLet(st: State, s: A.LetDecl): void {
  const name = s.name.name;
  const ctx = topCtx('step');
  const shape = inferShape(st.env, ctx, s.value);
  if (shape === null) return poison(st, name);
  if (declareGlobal(st, { kind: 'let', name, shape, decl: s, span: s.name.span })) st.env.letReads.set(name, ctx.reads);
}
