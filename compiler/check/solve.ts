/**
 * Checks run statements: a solve's objective, targets, geometries, method options and run control, and
 * prune / init / save; each adds its item to the plan.
 */
import type * as A from '../ast/ast.js';
import { nameIsNotAValue, unknownName } from '../diagnostics/constructors/names.js';
import {
  duplicateTarget,
  entropyOutsideParticleObjective,
  geometryDomainMismatch,
  geometryNotForParticles,
  initializerShapeMismatch,
  initTargetNotParam,
  invalidArgument,
  invalidPruneAmount,
  layerwiseArity,
  missingBlockOption,
  missingMethodOption,
  missingStepCount,
  nonPositiveInterval,
  nonPositiveStepCount,
  nonScalarCondition,
  nonScalarObjective,
  objectiveDependsOnNothing,
  pruneTargetNotParam,
  shapeMismatch,
  targetNotOptimizable,
  unknownGeometry,
  unknownGeometryOption,
  unknownMethod,
  unknownMethodOption,
} from '../diagnostics/constructors/semantics.js';
import { showShape } from '../diagnostics/make.js';
import type { Shape, StepSpec, Sym } from './checked.js';
import { diag, type State } from './check-state.js';
import { evalScalarConst } from './declarations.js';
import {
  findGeometry,
  findMethod,
  geometryNames,
  LAYERWISE_NORMS,
  methodNames,
  MIRROR_POTENTIALS,
  SHARED_OPTIONS,
  type OptionSpec,
} from './geometries-methods.js';
import { describeSym, suggest } from './scope.js';
import { broadcast, sameShape, sizeOfShape } from './shapes.js';
import { inferShape, topCtx, type Ctx } from './typecheck.js';

type TargetSym = Sym & { kind: 'param' | 'particles' };
type SolveLocals = ReadonlyMap<string, { readonly sym: Sym; readonly shape: Shape }>;

/** A compile-time positive integer (step counts, intervals); null after reporting. */
function positiveInt(st: State, e: A.Expr, what: string, bad: (v: number) => void): number | null {
  const v = evalScalarConst(st, e, what);
  if (v === null) return null;
  if (!Number.isInteger(v) || v < 1) {
    bad(v);
    return null;
  }
  return v;
}

/** Resolves a statement's target name to a visible global (reporting unknown names), or null. */
function resolveGlobal(st: State, id: A.Ident, kindsForSuggestion: readonly Sym['kind'][]): Sym | null {
  const sym = st.env.scope.visible.get(id.name);
  if (sym) {
    st.env.refs.set(id, sym);
    return sym;
  }
  if (st.env.poisoned.has(id.name)) return null;
  const later = st.env.scope.declared.get(id.name);
  let suggestion: string | undefined;
  if (!later && st.env.suggestBudget > 0) {
    st.env.suggestBudget--;
    suggestion = suggest(id.name, [...st.env.scope.visible.values()].filter((s) => kindsForSuggestion.includes(s.kind)).map((s) => s.name));
  }
  diag(st, unknownName(id.name, id.span, later ? { declaredLater: later } : { suggestion }));
  return null;
}

export function checkSolve(st: State, s: A.SolveStmt, phase: string | null): void {
  const env = st.env;
  const objCtx: Ctx = topCtx('step', { inObjective: true });
  const objShape = inferShape(env, objCtx, s.objective);
  let ok = objShape !== null;
  if (objShape !== null && objShape.length !== 0) {
    diag(st, nonScalarObjective(`the objective '${s.name.name}'`, objShape, s.objective.span));
    ok = false;
  }
  // The objective's name is visible in this solve's run control, as a let of the objective.
  const objSym: Sym = {
    kind: 'let',
    name: s.name.name,
    shape: [],
    decl: { kind: 'Let', name: s.name, value: s.objective, span: s.span },
    span: s.name.span,
  };
  env.letReads.set(`solve:${s.name.name}`, objCtx.reads);
  const locals: SolveLocals = new Map([[s.name.name, { sym: objSym, shape: [] as Shape }]]);

  // Targets.
  const targets: TargetSym[] = [];
  const seen = new Map<string, A.Ident>();
  for (const t of s.targets) {
    const sym = resolveGlobal(st, t.name, ['param', 'particles']);
    if (!sym) {
      ok = false;
      continue;
    }
    if (sym.kind !== 'param' && sym.kind !== 'particles') {
      diag(st, targetNotOptimizable(t.name.name, describeSym(sym), t.name.span, sym.span));
      ok = false;
      continue;
    }
    const first = seen.get(sym.name);
    if (first) {
      diag(st, duplicateTarget(sym.name, t.name.span, first.span));
      ok = false;
      continue;
    }
    seen.set(sym.name, t.name);
    targets.push(sym);
  }
  const byName = new Map(targets.map((t) => [t.name, t]));
  for (const t of s.targets) {
    const sym = byName.get(t.name.name);
    if (sym && t.geometry && !checkGeometry(st, t.geometry, sym, s.targets.length)) ok = false;
  }
  if (!checkMethod(st, s.method, targets, locals)) ok = false;
  else if (!checkPerTargetOptions(st, s)) ok = false;

  // Run control.
  let steps: StepSpec | null = null;
  let forCount: number | null = null;
  for (const c of s.controls) {
    switch (c.kind) {
      case 'For': {
        const n = positiveInt(st, c.count, 'the step count', (v) => diag(st, nonPositiveStepCount(v, c.count.span)));
        if (n === null) ok = false;
        else forCount = n;
        if (!steps) steps = { kind: 'for', count: n ?? 1 };
        break;
      }
      case 'Until': {
        const cs = inferShape(env, topCtx('cond', { solveLocals: locals }), c.cond);
        if (cs === null) ok = false;
        else if (cs.length !== 0) {
          diag(st, nonScalarCondition(cs, c.cond.span));
          ok = false;
        }
        let max: number | null = null;
        if (c.max) {
          max = positiveInt(st, c.max, 'the step cap', (v) => diag(st, nonPositiveStepCount(v, c.max!.span)));
          if (max === null) ok = false;
        }
        steps = { kind: 'until', cond: c.cond, max };
        break;
      }
      case 'Log':
      case 'Checkpoint':
      case 'Record': {
        const every = c.every;
        if (every && positiveInt(st, every, `${c.kind.toLowerCase()} interval`, (v) => diag(st, nonPositiveInterval(c.kind.toLowerCase(), v, every.span))) === null) ok = false;
        if (c.kind !== 'Checkpoint') {
          for (const item of c.items) if (inferShape(env, topCtx('output', { solveLocals: locals }), item.expr) === null) ok = false;
        }
        break;
      }
    }
  }
  // `for N steps` together with `until` caps the until.
  if (steps?.kind === 'until' && steps.max === null && forCount !== null) steps = { ...steps, max: forCount };
  if (!steps) {
    diag(st, missingStepCount(s.name.name, s.name.span));
    ok = false;
  }
  if (ok && objShape !== null && !checkEntropyTerms(st, s.objective, targets)) ok = false;
  if (ok && objShape !== null && targets.length > 0 && !targets.some((t) => objCtx.reads.has(t.name))) {
    diag(st, objectiveDependsOnNothing(s.name.name, targets.map((t) => t.name), s.objective.span));
  }
  st.plan.push({ kind: 'solve', phase, stmt: s, steps: steps ?? { kind: 'for', count: 1 } });
}

/**
 * entropy(theta) terms become the noise (or estimator term) of theta's Wasserstein step, so theta must be
 * a target of this solve, and one objective holds terms of one particles set with one estimator.
 */
function checkEntropyTerms(st: State, objective: A.Expr, targets: readonly TargetSym[]): boolean {
  const terms: { call: A.Call; theta: string; estimator: string }[] = [];
  const visit = (e: A.Expr): void => {
    switch (e.kind) {
      case 'Call':
        if (e.callee.name === 'entropy' && !st.env.defs.has('entropy')) {
          const a = e.args[0]?.value;
          const est = e.args.find((x) => x.name?.name === 'estimator')?.value;
          const estimator = !est ? 'langevin' : est.kind === 'Name' ? est.name : est.kind === 'Call' ? est.callee.name : '?';
          if (a?.kind === 'Name') terms.push({ call: e, theta: a.name, estimator });
        }
        e.args.forEach((x) => visit(x.value));
        return;
      case 'Binary':
        visit(e.left);
        visit(e.right);
        return;
      case 'Unary':
        visit(e.operand);
        return;
      case 'Index':
        visit(e.target);
        return;
      case 'Attr':
        visit(e.target);
        return;
      case 'Tensor':
        e.elements.forEach(visit);
        return;
      default:
        return;
    }
  };
  visit(objective);
  const first = terms[0];
  for (const t of terms) {
    if (!targets.some((x) => x.kind === 'particles' && x.name === t.theta)) {
      diag(st, entropyOutsideParticleObjective(t.call.span, `entropy(${t.theta}) needs '${t.theta}' among the targets of this solve`, `add it: over ${t.theta}`));
      return false;
    }
    if (first && (t.theta !== first.theta || t.estimator !== first.estimator)) {
      diag(st, invalidArgument('one objective may hold entropy terms of one particles set with one estimator', t.call.span, `combine them into one term, e.g. c * entropy(${first.theta})`));
      return false;
    }
  }
  return true;
}

// ── Geometry ─────────────────────────────────────────────────────────────────

function checkGeometry(st: State, g: A.GeometryAnn, target: TargetSym, targetCount: number): boolean {
  const name = g.name.name;
  const info = findGeometry(name, st.uses);
  if (!info) {
    const known = geometryNames(st.uses);
    diag(st, unknownGeometry(name, g.name.span, known, suggest(name, known)));
    return false;
  }
  if (!info.targets.includes(target.kind)) {
    if (target.kind === 'particles') {
      diag(st, geometryNotForParticles(`'${name}' is not a geometry for particles: '${target.name}' moves in the Wasserstein geometry`, g.span, 'drop `in ...` (wasserstein is implied), or compose it with mirror(...) or precondition(...)'));
    } else {
      diag(st, geometryNotForParticles(`'${name}' is only for particles, but '${target.name}' is a param`, g.span, `declare it as \`particles ${target.name}: [m, d]\`, or use a param geometry (euclidean, mirror, linf, ...)`));
    }
    return false;
  }
  for (const f of g.flags) {
    if (!info.flags.includes(f.name)) {
      diag(st, unknownGeometryOption(name, `the flag '${f.name}'`, f.span, info.flags.length ? `its flags are: ${info.flags.join(', ')}` : undefined));
      return false;
    }
  }
  const positional = g.args.filter((a) => a.name === null);
  const named = g.args.filter((a) => a.name !== null);
  // Named options common to the flag-style geometries (`scaled: true`).
  const namedAllowed = new Set(info.options ?? []);
  if (info.args === 'mirror') namedAllowed.add('newton').add('map');
  if (info.args === 'lp') namedAllowed.add('p');
  if (info.args === 'precondition') namedAllowed.add('dual');
  for (const a of named) {
    if (!namedAllowed.has(a.name!.name)) {
      diag(st, unknownGeometryOption(name, `an option '${a.name!.name}'`, a.name!.span, namedAllowed.size ? `its options are: ${[...namedAllowed].join(', ')}` : undefined));
      return false;
    }
    if (a.name!.name === 'scaled' && !(a.value.kind === 'Name' && (a.value.name === 'true' || a.value.name === 'false'))) {
      diag(st, unknownGeometryOption(name, 'this value for scaled', a.value.span, 'write scaled: true or scaled: false'));
      return false;
    }
    if (a.name!.name === 'newton' && evalScalarConst(st, a.value, 'the number of Newton steps') === null) return false;
  }
  switch (info.args) {
    case 'none':
      if (positional.length > 0) {
        diag(st, unknownGeometryOption(name, 'arguments', positional[0]!.span));
        return false;
      }
      return true;
    case 'options':
      for (const a of named) {
        const s = inferShape(st.env, topCtx('option'), a.value);
        if (s === null) return false;
        if (s.length !== 0) {
          diag(st, invalidArgument(`the option '${a.name!.name}' of ${name} must be a scalar, but it has shape ${showShape(s)}`, a.value.span));
          return false;
        }
      }
      if (positional.length > 0) {
        diag(st, unknownGeometryOption(name, 'positional arguments', positional[0]!.span, `name them: ${(info.options ?? []).join(', ')}`));
        return false;
      }
      return true;
    case 'lp': {
      const pArg = named.find((a) => a.name!.name === 'p');
      const all = pArg ? [...positional, pArg] : positional;
      if (all.length !== 1) {
        diag(st, unknownGeometryOption(name, `${positional.length} arguments`, g.span, 'write lp(p) with p >= 1, e.g. lp(3)'));
        return false;
      }
      const p = evalScalarConst(st, all[0]!.value, 'the exponent of lp');
      if (p === null) return false;
      if (!(p >= 1)) {
        diag(st, unknownGeometryOption(name, `p = ${p}`, all[0]!.span, 'p must be at least 1 (lp(1) is sign-of-largest, linf is sign)'));
        return false;
      }
      return true;
    }
    case 'layerwise': {
      for (const a of positional) {
        if (a.value.kind !== 'Name' || !LAYERWISE_NORMS.includes(a.value.name)) {
          diag(st, unknownGeometryOption(name, 'this norm', a.value.span, `norms are: ${LAYERWISE_NORMS.join(', ')}`));
          return false;
        }
      }
      if (positional.length !== targetCount) {
        diag(st, layerwiseArity(positional.length, targetCount, g.span));
        return false;
      }
      return true;
    }
    case 'mirror': {
      const mapArg = named.find((a) => a.name!.name === 'map');
      return checkMirror(st, g, mapArg ? [...positional, mapArg] : positional, target);
    }
    case 'precondition':
      return checkPrecondition(st, g, positional, named, target);
  }
}

function domainOf(target: TargetSym): string {
  return target.kind === 'param' ? target.domain.kind : 'reals';
}

function checkMirror(st: State, g: A.GeometryAnn, positional: readonly A.Arg[], target: TargetSym): boolean {
  const potentials = Object.keys(MIRROR_POTENTIALS);
  const a = positional[0];
  if (positional.length !== 1 || !a) {
    diag(st, unknownGeometryOption('mirror', `${positional.length} arguments`, g.span, `write mirror(p) with p one of ${potentials.join(', ')}; potential(phi) takes a def`));
    return false;
  }
  const v = a.value;
  const pname = v.kind === 'Name' ? v.name : v.kind === 'Call' ? v.callee.name : '';
  const info = Object.hasOwn(MIRROR_POTENTIALS, pname) ? MIRROR_POTENTIALS[pname] : undefined;
  if (!info || info.takesFunction !== (v.kind === 'Call')) {
    diag(st, unknownGeometryOption('mirror', pname ? `the potential '${pname}${info?.takesFunction ? '' : v.kind === 'Call' ? '(...)' : ''}'` : 'this potential', v.span, `potentials are: entropy, burg, quadratic, potential(phi)`));
    return false;
  }
  const dom = domainOf(target);
  if (info.domains && !info.domains.includes(dom)) {
    const needs = info.domains.length === 1 ? `a ${info.domains[0]} domain` : `a ${info.domains.slice(0, -1).join(', ')} or ${info.domains[info.domains.length - 1]} domain`;
    const where = target.kind === 'param' ? target.decl.domain?.span ?? target.span : target.span;
    const declared = target.kind === 'param' && target.decl.domain ? undefined : `'${target.name}' is declared here, without a domain (so in reals)`;
    diag(
      st,
      geometryDomainMismatch(
        `mirror(${pname}) needs ${needs}; ${target.name} is in ${dom}`,
        v.span,
        where,
        declared,
        target.kind === 'param' ? `declare \`param ${target.name}: [...] in ${info.domains[info.domains.length - 1]}\`, or use mirror(quadratic)` : 'particles live in reals; use mirror(quadratic) or potential(phi)',
      ),
    );
    return false;
  }
  if (v.kind === 'Call') return checkFunctionArg(st, v.args, v.span, 'potential', target.shape, 'scalar');
  return true;
}

/** `potential(phi)` / `dual: hstar`: a def of one argument or a one-parameter lambda, checked at the target's shape. */
function checkFunctionArg(st: State, args: readonly A.Arg[], at: A.Expr['span'], what: string, shape: Shape, result: 'scalar' | 'same'): boolean {
  const f = args[0]?.value;
  let body: A.Expr;
  let ctx: Ctx;
  let label: string;
  if (args.length === 1 && f?.kind === 'Lambda') {
    if (f.params.length !== 1) {
      diag(st, invalidArgument(`the function given to ${what} must take one parameter, but it takes ${f.params.length}`, f.span));
      return false;
    }
    const p = f.params[0]!;
    let sym = st.env.lambdaSyms.get(p);
    if (!sym) {
      sym = { kind: 'local', name: p.name, span: p.span };
      st.env.lambdaSyms.set(p, sym);
    }
    body = f.body;
    ctx = { ...topCtx('step'), locals: new Map([[p.name, { sym, shape }]]), record: false };
    label = 'the lambda';
  } else {
    if (args.length !== 1 || !f || f.kind !== 'Name') {
      diag(st, invalidArgument(`${what} takes the name of a def of one argument, or a lambda (x) => ...`, f?.span ?? at, `write e.g. def phi(x) = sum(x^4) and ${what}(phi)`));
      return false;
    }
    const def = st.env.defs.get(f.name);
    if (!def) {
      diag(st, invalidArgument(`'${f.name}' is not a def`, f.span, `declare it: def ${f.name}(x) = ...`));
      return false;
    }
    st.env.refs.set(f, def.sym);
    const decl = def.sym.decl;
    if (decl.params.length !== 1) {
      diag(st, invalidArgument(`'${f.name}' must take one argument, but it takes ${decl.params.length}`, f.span));
      return false;
    }
    body = decl.body;
    ctx = { ...topCtx('step'), locals: new Map([[decl.params[0]!.name, { sym: def.params[0]!, shape }]]), record: false, defStack: [{ name: f.name, callSpan: f.span }] };
    label = `'${f.name}'`;
  }
  const s = inferShape(st.env, ctx, body);
  if (s === null) return false;
  if (result === 'scalar' && s.length !== 0) {
    diag(st, nonScalarObjective(`the potential ${label}`, s, f.span));
    return false;
  }
  if (result === 'same' && !sameShape(s, shape)) {
    diag(st, shapeMismatch(`${label} must map a gradient to a direction of the same shape`, shape, s, f.span));
    return false;
  }
  return true;
}

function checkPrecondition(st: State, g: A.GeometryAnn, positional: readonly A.Arg[], named: readonly A.Arg[], target: TargetSym): boolean {
  const dual = named.find((a) => a.name!.name === 'dual');
  if (dual) {
    if (positional.length > 0) {
      diag(st, unknownGeometryOption('precondition', 'both P and dual:', g.span, 'give either precondition(P) or precondition(dual: hstar)'));
      return false;
    }
    return checkFunctionArg(st, [dual], dual.span, 'dual', target.shape, 'same');
  }
  if (positional.length !== 1) {
    diag(st, unknownGeometryOption('precondition', `${positional.length} arguments`, g.span, 'write precondition(P) with P a matrix or a diagonal, or precondition(dual: hstar)'));
    return false;
  }
  const P = positional[0]!.value;
  const s = inferShape(st.env, topCtx('option'), P);
  if (s === null) return false;
  const n = sizeOfShape(target.shape);
  // P acts on the target: a scalar, a diagonal (broadcasting to the target), or a matrix on its flattened entries.
  const diagFits = (() => {
    const b = broadcast(s, target.shape);
    return b !== null && sameShape(b, target.shape);
  })();
  const rowFits = target.shape.length === 2 && s.length === 2 && s[0] === target.shape[1] && s[1] === target.shape[1];
  if (diagFits || rowFits || (s.length === 2 && s[0] === n && s[1] === n)) return true;
  diag(st, shapeMismatch(`the preconditioner must be a scalar, a diagonal shaped like '${target.name}', or a [${n}, ${n}] matrix`, target.shape, s, P.span));
  return false;
}

// ── Method ───────────────────────────────────────────────────────────────────

function checkMethod(st: State, m: A.MethodAnn, targets: readonly TargetSym[], locals: SolveLocals): boolean {
  const name = m.name.name;
  const info = findMethod(name, st.uses);
  if (!info) {
    const known = methodNames(st.uses);
    diag(st, unknownMethod(name, m.name.span, known, suggest(name, known)));
    return false;
  }
  const own = info.options;
  const all: OptionSpec[] = [...own, ...SHARED_OPTIONS.filter((o) => !own.some((x) => x.name === o.name))];
  const given = new Map<string, A.Arg>();
  let pos = 0;
  for (const a of m.args) {
    const spec = a.name === null ? own[pos++] : all.find((o) => o.name === a.name!.name);
    if (!spec) {
      if (a.name === null) {
        diag(st, unknownMethodOption(name, `#${pos}`, a.span, all.map((o) => o.name)));
      } else {
        const known = all.map((o) => o.name);
        diag(st, unknownMethodOption(name, a.name.name, a.name.span, known, suggest(a.name.name, known)));
      }
      return false;
    }
    if (given.has(spec.name)) {
      diag(st, invalidArgument(`option '${spec.name}' is given twice`, a.span));
      return false;
    }
    given.set(spec.name, a);
  }
  let ok = true;
  for (const spec of all) {
    const a = given.get(spec.name);
    if (!a) {
      if (spec.required) {
        const example = `${name}(${own.filter((o) => o.required).map((o) => `${o.name}: ${o.name === 'lr' ? '0.1' : '1.0'}`).join(', ')})`;
        diag(st, missingMethodOption(name, spec.name, m.span, example));
        ok = false;
      }
      continue;
    }
    if (spec.kind === 'word') {
      if (a.value.kind !== 'Name' || !(spec.words ?? []).includes(a.value.name)) {
        diag(st, invalidArgument(`option '${spec.name}' must be one of ${(spec.words ?? []).join(', ')}`, a.value.span));
        ok = false;
      }
      continue;
    }
    const s = inferShape(st.env, topCtx('option', { solveLocals: locals }), a.value);
    if (s === null) {
      ok = false;
      continue;
    }
    if (spec.kind === 'scalar' && s.length !== 0) {
      diag(st, invalidArgument(`option '${spec.name}' must be a scalar, but it has shape ${showShape(s)}`, a.value.span, 'reduce it, e.g. with mean(...)'));
      ok = false;
    }
    if (spec.kind === 'noise') {
      const bad = targets.find((t) => {
        const b = broadcast(s, t.shape);
        return b === null || !sameShape(b, t.shape);
      });
      if (bad) {
        diag(st, invalidArgument(`the noise scale has shape ${showShape(s)}, which does not broadcast to '${bad.name}' ${showShape(bad.shape)}`, a.value.span));
        ok = false;
      }
    }
  }
  return ok;
}

/** A method with one option per target (MethodInfo.perTarget): every target needs its option or the fallback. */
function checkPerTargetOptions(st: State, s: A.SolveStmt): boolean {
  const info = findMethod(s.method.name.name, st.uses);
  const per = info?.perTarget;
  if (!info || !per) return true;
  let pos = 0;
  const given = new Set(s.method.args.map((a) => a.name?.name ?? info.options[pos++]?.name));
  if (given.has(per.fallback)) return true;
  let ok = true;
  s.targets.forEach((t, i) => {
    const option = `${per.prefix}${i + 1}`;
    if (given.has(option)) return;
    diag(st, missingBlockOption(info.name, i + 1, t.name.name, option, per.fallback, per.what, t.name.span, s.method.span));
    ok = false;
  });
  return ok;
}

// ── prune, init, save ────────────────────────────────────────────────────────

export function checkPrune(st: State, s: A.PruneStmt, phase: string | null): void {
  const sym = resolveGlobal(st, s.target, ['param']);
  if (!sym) return;
  if (sym.kind !== 'param') {
    diag(st, pruneTargetNotParam(sym.name, describeSym(sym), s.target.span));
    return;
  }
  const amount = evalScalarConst(st, s.amount, 'the prune amount');
  if (amount === null) return;
  const size = sizeOfShape(sym.shape);
  if (s.percent ? !(amount > 0 && amount <= 100) : !(Number.isInteger(amount) && amount > 0 && amount <= size)) {
    diag(st, invalidPruneAmount(s.percent ? `keep ${amount}%: the percentage must be in (0, 100]` : `keep ${amount}: the count must be an integer from 1 to ${size} (the size of '${sym.name}')`, s.amount.span));
    return;
  }
  if (s.by.name !== 'magnitude') {
    diag(st, invalidArgument(`unknown pruning criterion '${s.by.name}'`, s.by.span, 'the criterion is `by magnitude`'));
    return;
  }
  st.plan.push({ kind: 'prune', phase, stmt: s });
}

export function checkInitStmt(st: State, s: A.InitStmt, phase: string | null): void {
  const sym = resolveGlobal(st, s.target, ['param']);
  if (!sym) return;
  if (sym.kind !== 'param') {
    diag(st, initTargetNotParam(sym.name, describeSym(sym), s.target.span));
    return;
  }
  const shape = inferShape(st.env, topCtx('init', { declShape: sym.shape }), s.value);
  if (shape === null) return;
  if (shape.length !== 0 && !sameShape(shape, sym.shape)) {
    diag(st, initializerShapeMismatch(sym.name, sym.shape, shape, s.value.span));
    return;
  }
  st.plan.push({ kind: 'init', phase, stmt: s });
}

export function checkSave(st: State, s: A.SaveStmt, phase: string | null): void {
  let ok = true;
  for (const id of s.names) {
    const sym = resolveGlobal(st, id, ['param', 'particles', 'data', 'let']);
    if (!sym) {
      ok = false;
      continue;
    }
    if (sym.kind === 'def' || sym.kind === 'local') {
      diag(st, nameIsNotAValue(id.name, describeSym(sym), id.span, 'save params, particles, data or lets'));
      ok = false;
    }
  }
  if (ok) st.plan.push({ kind: 'save', phase, stmt: s });
}
