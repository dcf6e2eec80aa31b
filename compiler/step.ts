/**
 * Building the step graph of one solve: lower the objective, append its reverse-mode gradient, then per
 * target the geometry's direction, the method's step, the domain projection and the prune mask, as ONE
 * graph with 'update' outputs and state slots; plus the observe and until graphs (compiler/step-program.ts).
 */
import type * as A from './ast/ast.js';
import { gradInto } from './autodiff/reverse.js';
import type { CheckedProgram, Domain, PlanItem, Sym } from './check/checked.js';
import { checkedConst } from './check/eval-const.js';
import { findMethod, SHARED_OPTIONS, type MethodInfo } from './check/geometries-methods.js';
import { invariant } from './diagnostics/internal-error.js';
import './geometry/builtin.js';
import { projectDomain } from './geometry/domains.js';
import { euclideanGeometry } from './geometry/euclidean.js';
import { geometryRule, type GeometryEnv, type StepTarget, type TargetGeometry } from './geometry/registry.js';
import { wassersteinGeometry } from './geometry/wasserstein.js';
import type { GraphBuilder } from './ir/builder.js';
import type { Graph, Shape, Var } from './ir/ir.js';
import { lowerExpr, lowerObjective } from './ir/lower.js';
import './methods/builtin.js';
import { addWeightDecay, clipGlobalNorm, writtenOptions } from './methods/options.js';
import { methodRule, type MethodEnv, type MethodRule } from './methods/registry.js';
import { PROBE_OUTPUT, type LogItem, type StateSlot, type StepProgram } from './step-program.js';

/** One target with its compiled geometry. */
export interface UpdateTarget {
  readonly target: StepTarget;
  readonly geometry: TargetGeometry;
  /** The prune mask input (1 keep, 0 pruned), when the param has one. */
  readonly mask?: Var | null;
  /** 'lazy' for `per` params (rows outside the batch keep their state). */
  readonly rows?: 'lazy' | 'dense';
  /** The declared shape of a `per` param, whose step sees only the batch rows: state is stored whole. */
  readonly fullShape?: Shape;
}

export interface UpdateConfig {
  readonly sense: 'minimize' | 'maximize';
  /** The scalar objective (already in the builder). */
  readonly objective: Var;
  readonly targets: readonly UpdateTarget[];
  readonly method: MethodRule;
  /** Method options (own and shared: clip, weight_decay), lowered; null when absent. */
  readonly option: (name: string) => Var | null;
  /** The step counter input `t`. */
  readonly t: Var;
  /** A fresh standard normal of the shape (one rng stream per call). */
  readonly noise: (shape: Shape) => Var;
  /** Lowers domain arguments (box bounds, ball radius and center). */
  readonly domainExpr: Parameters<typeof projectDomain>[3];
}

/**
 * Appends the update to `b`: 'update' outputs named after each target and each state slot, and
 * returns the state slots declared (init 0). The order is torch's: gradient, ascent sign for `maximize`,
 * global-norm clip over all targets, L2 weight decay (unless the method decouples it), geometry
 * direction, method, geometry step, domain projection, prune mask.
 */
export function appendUpdate(b: GraphBuilder, cfg: UpdateConfig): StateSlot[] {
  const xs = cfg.targets.map((t) => t.target.x);
  let grads = gradInto(b, cfg.objective, xs);
  if (cfg.sense === 'maximize') grads = grads.map((g) => b.neg(g));
  const clip = cfg.option('clip');
  if (clip) grads = clipGlobalNorm(b, grads, clip);
  const wd = cfg.method.decoupledWeightDecay ? null : cfg.option('weight_decay');
  if (wd) grads = grads.map((g, i) => addWeightDecay(b, g, xs[i]!, wd));

  const slots: StateSlot[] = [];
  const stateUpdates: { name: string; value: Var }[] = [];
  const byName = new Map(cfg.targets.map((t) => [t.target.name, t]));
  const env: MethodEnv = {
    b,
    option: cfg.option,
    t: cfg.t,
    noise: cfg.noise,
    state: (target, slot, init = 0) => {
      const name = `${target.name}.${slot}`;
      if (!slots.some((s) => s.name === name)) {
        const ut = byName.get(target.name);
        slots.push({ name, shape: ut?.fullShape ?? target.x.shape, init, ...(ut?.rows ? { rows: ut.rows } : {}) });
      }
      return b.input(name, target.x.shape, 'state');
    },
    setState: (target, slot, value) => stateUpdates.push({ name: `${target.name}.${slot}`, value }),
  };

  const inputs = cfg.targets.map((ut, i) => ({ target: ut.target, g: grads[i]!, direction: ut.geometry.direction }));
  const steps = cfg.method.lowerAll ? cfg.method.lowerAll(env, inputs) : inputs.map((input) => cfg.method.lower(env, input));
  cfg.targets.forEach((ut, i) => {
    const { target, geometry } = ut;
    const step = steps[i]!;
    let next = geometry.apply(step.from, step.delta, step.noise, step.lr);
    if (geometry.projects) next = projectDomain(b, next, target.domain, cfg.domainExpr);
    // where, not a product: pruned entries become exactly +0 (a product gives -0 for negative values).
    if (ut.mask) next = b.where(ut.mask, next, 0);
    b.output(target.name, next, 'update');
  });
  for (const s of stateUpdates) b.output(s.name, s.value, 'update');
  return slots;
}

/** The domain particles live in (they are unconstrained). */
export const PARTICLE_DOMAIN: Domain = { kind: 'reals' };

/**
 * A stable rng stream id for the step's own noise sites, derived from a label (FNV-1a) with the top bit
 * clear: user `randn(...)` sites have it set (ir/lower.ts siteStream), so the two never meet.
 */
export function noiseStream(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h & 0x7fffffff) >>> 0;
}

// ── buildStep: a solve of the plan to its StepProgram ─────────────────────────

export interface BuildStepOptions {
  /** Run-time shapes replacing declared ones: batched data ([batch, ...]) and `per B` params. */
  readonly dataShapes?: Readonly<Record<string, Shape>>;
  /** Params that carry a prune mask (input `<param>.mask`, role 'mask'). */
  readonly masks?: readonly string[];
  /**
   * Add the finiteness probe the runtime reads after every step (output role 'probe', see finiteProbe):
   * in the graph, the fusion pass folds it into the kernels that compute the updates.
   */
  readonly probe?: boolean;
}

/**
 * objective + Σ_targets sum(update · 0): finite exactly when the objective and every entry of every
 * updated target are finite (x·0 is 0 for finite x and NaN for ±inf and NaN, and a sum of zeros
 * cannot overflow), so one scalar read tells the step loop whether to commit. Built from the graph's
 * outputs, it costs one multiply-add per coordinate inside the kernel that writes the update instead
 * of two more passes over memory. The simplifier never rewrites x·0 (it is not 0 for every x).
 */
function finiteProbe(b: GraphBuilder, objective: string, targets: readonly string[]): Var {
  const outs = b.currentOutputs();
  const obj = outs.find((o) => o.role === 'objective' && o.name === objective);
  invariant(obj !== undefined, `step of '${objective}' has no objective output`);
  let probe = obj.var.shape.length === 0 ? obj.var : b.reshape(obj.var, []);
  for (const o of outs) {
    if (o.role === 'update' && targets.includes(o.name)) probe = b.add(probe, b.sum(b.mul(o.var, 0)));
  }
  return probe;
}

/** Options whose table default 0 means "off": lowering them would only add work (x + 0 * ...). */
const OFF_WHEN_ZERO = new Set(['noise', 'weight_decay', 'momentum']);

/**
 * Compiles one solve into its StepProgram: the step graph (objective, gradient, geometry, method,
 * projection; 'update' outputs for targets and state), the observe graph (objective and log/record
 * items) and the until graph. Assumes the program passed the checker: violations are InternalErrors.
 */
export function buildStep(checked: CheckedProgram, item: PlanItem & { kind: 'solve' }, opts: BuildStepOptions = {}): StepProgram {
  const stmt = item.stmt;
  const lowerOpts = opts.dataShapes ? { shapes: opts.dataShapes } : {};
  // `state: dense`: the step takes whole `per` tables and gathers the batch rows in-graph, so the method
  // updates every row (zero gradient outside the batch) and its state is whole; lazy steps see the rows only.
  const wholeRows = stateRows(stmt.method) === 'dense' ? densePerTargets(checked, stmt, opts.dataShapes) : [];
  const low = lowerObjective(checked, stmt, wholeRows.length > 0 ? { ...lowerOpts, wholeRows } : lowerOpts);
  const b = low.builder;
  const t = b.input('t', [], 'scalar');
  const expr = (e: A.Expr): Var => lowerExpr(checked, e, b, lowerOpts);

  let streams = 0;
  const noise = (shape: Shape): Var =>
    b.op('randn', [b.input('rng', [2], 'rng')], {
      shape: [...shape],
      stream: noiseStream(`${item.phase ?? ''}/${stmt.name.name}/${streams++}`),
    });

  const genv: GeometryEnv = {
    b,
    expr,
    call: (fn, arg) => callFunction(checked, fn, arg, b, lowerOpts),
    definition: (fn) => definitionOf(checked, fn),
    gradient: (of, wrt) => gradInto(b, of, [wrt])[0]!,
    noise,
    constant: (e) => constantOf(checked, e),
  };

  const method = findMethod(stmt.method.name.name, checked.uses);
  const rule = methodRule(stmt.method.name.name);
  const option = methodOptions(stmt.method, method, rule, expr, b);

  const annotations = targetGeometries(stmt.targets);
  const targets: UpdateTarget[] = low.targets.map((lt, i) => {
    const sym = checked.symbols.get(lt.name);
    invariant(sym && (sym.kind === 'param' || sym.kind === 'particles'), `target '${lt.name}' is not a param or particles`);
    const domain = sym.kind === 'param' ? sym.domain : PARTICLE_DOMAIN;
    const target: StepTarget = { name: lt.name, role: lt.role, x: lt.var, domain };
    const { ann, layer } = annotations[i]!;
    const entropy =
      low.entropy && low.entropy.particles === lt.name
        ? { coef: low.entropy.coef, estimator: low.entropy.estimator, bandwidth: low.entropy.bandwidth }
        : null;
    let geometry: TargetGeometry;
    if (lt.role === 'particles') {
      const innerAnn = ann && ann.name.name !== 'wasserstein' ? ann : null;
      const inner = innerAnn ? geometryRule(innerAnn.name.name).lower(genv, innerAnn, target, {}) : euclideanGeometry(b);
      geometry = wassersteinGeometry(b, lt.var, inner, entropy, noise);
    } else {
      geometry = geometryRule(ann?.name.name ?? 'euclidean').lower(genv, ann, target, layer === undefined ? {} : { layer });
    }
    const mask = opts.masks?.includes(lt.name) ? b.input(`${lt.name}.mask`, lt.var.shape, 'mask') : null;
    const rows = sym.kind === 'param' && sym.per ? stateRows(stmt.method) : undefined;
    return { target, geometry, mask, ...(rows ? { rows, fullShape: sym.shape } : {}) };
  });

  const state = appendUpdate(b, {
    sense: stmt.sense,
    objective: low.objective,
    targets,
    method: rule,
    option,
    t,
    noise,
    domainExpr: expr,
  });

  if (opts.probe) b.output(PROBE_OUTPUT, finiteProbe(b, stmt.name.name, low.targets.map((lt) => lt.name)), 'probe');

  const { observe, logItems } = buildObserve(checked, stmt, lowerOpts);
  return {
    objective: stmt.name.name,
    sense: stmt.sense,
    targets: low.targets.map((lt) => lt.name),
    step: b.build(),
    observe,
    until: item.steps.kind === 'until' ? buildUntil(checked, stmt, item.steps.cond, lowerOpts) : null,
    state,
    logItems,
  };
}

/** The geometry annotation of each target, and its position inside a `layerwise(...)` group. */
function targetGeometries(targets: readonly A.Target[]): { ann: A.GeometryAnn | null; layer?: number }[] {
  // The checker holds `layerwise(n1, ..., nk)` to one norm per target of the solve (k = number of targets),
  // wherever it is written, so it covers every target in `over` order; a target's own annotation wins.
  const group = targets.find((t) => t.geometry?.name.name === 'layerwise')?.geometry ?? null;
  return targets.map((t, i) => (group && (!t.geometry || t.geometry === group) ? { ann: group, layer: i } : { ann: t.geometry }));
}

/** The solve's `per` targets fed as batch rows (their data is batched), which `state: dense` feeds whole. */
function densePerTargets(checked: CheckedProgram, stmt: A.SolveStmt, shapes: Readonly<Record<string, Shape>> | undefined): string[] {
  return stmt.targets
    .map((t) => checked.symbols.get(t.name.name))
    .filter((sym): sym is Sym & { kind: 'param' } => sym?.kind === 'param' && sym.per !== null)
    .filter((sym) => shapes?.[sym.name] !== undefined && shapes[sym.name]![0] !== sym.shape[0])
    .map((sym) => sym.name);
}

/** `state: lazy | dense` for a `per` param's optimizer state (lazy by default, PAPERS.md std.semiamortized). */
function stateRows(method: A.MethodAnn): 'lazy' | 'dense' {
  const v = method.args.find((a) => a.name?.name === 'state')?.value;
  return v?.kind === 'Name' && v.name === 'dense' ? 'dense' : 'lazy';
}

/**
 * Each option of the method as an IR value, lowered once: the written expression (schedules included),
 * else the checker table's numeric default (the method rule's own list when a std method has no table
 * entry). Word-valued options (`state`) are not values and read as null.
 */
function methodOptions(
  ann: A.MethodAnn,
  info: MethodInfo | undefined,
  rule: MethodRule,
  expr: (e: A.Expr) => Var,
  b: GraphBuilder,
): (name: string) => Var | null {
  const own = (info?.options ?? rule.options ?? []).map((o) => o.name);
  const written = writtenOptions(ann, own);
  const memo = new Map<string, Var | null>();
  return (name) => {
    if (memo.has(name)) return memo.get(name)!;
    let v: Var | null = null;
    const w = written.get(name);
    if (w && !(w.kind === 'Name' && name === 'state')) v = expr(w);
    else {
      const d = optionDefault(name, info, rule);
      if (d !== null) v = b.const(d);
    }
    memo.set(name, v);
    return v;
  };
}

/**
 * The default of an option when it is not written: the checker table's (the method's own entry, then the
 * shared options), else the std method rule's; null when the option is off (no default, or a 0 that means off).
 */
export function optionDefault(name: string, info: MethodInfo | undefined, rule: MethodRule): number | null {
  const spec =
    info?.options.find((o) => o.name === name) ??
    SHARED_OPTIONS.find((o) => o.name === name) ??
    rule.options?.find((o) => o.name === name);
  const d = spec?.default;
  if (typeof d !== 'number' || (d === 0 && OFF_WHEN_ZERO.has(name))) return null;
  return d;
}

/** The parameters and body of a def named by `fn`, or of a lambda; null for anything else. */
function definitionOf(checked: CheckedProgram, fn: A.Expr): { params: string[]; body: A.Expr } | null {
  if (fn.kind === 'Lambda') return { params: fn.params.map((p) => p.name), body: fn.body };
  if (fn.kind !== 'Name') return null;
  const sym = checked.refs.get(fn) ?? checked.symbols.get(fn.name);
  return sym?.kind === 'def' ? { params: sym.decl.params.map((p) => p.name), body: sym.decl.body } : null;
}

/** Applies a function-valued argument (a def's name or a one-parameter lambda) to `arg`. */
function callFunction(
  checked: CheckedProgram,
  fn: A.Expr,
  arg: Var,
  b: GraphBuilder,
  opts: { shapes?: Readonly<Record<string, Shape>> },
): Var {
  if (fn.kind === 'Lambda') {
    invariant(fn.params.length === 1, 'a function argument takes one parameter');
    return lowerExpr(checked, fn.body, b, { ...opts, locals: new Map([[fn.params[0]!.name, arg]]) });
  }
  invariant(fn.kind === 'Name', `a function argument must be a def name or a lambda, got ${fn.kind}`);
  const sym = checked.refs.get(fn) ?? checked.symbols.get(fn.name);
  invariant(sym?.kind === 'def', `'${fn.name}' is not a def`);
  invariant(sym.decl.params.length === 1, `def '${fn.name}' must take one parameter`);
  return lowerExpr(checked, sym.decl.body, b, { ...opts, locals: new Map([[sym.decl.params[0]!.name, arg]]) });
}

/** The compile-time number an argument denotes (literals, consts, dims, `inf`, arithmetic of those), or null. */
function constantOf(checked: CheckedProgram, e: A.Expr): number | null {
  if (e.kind === 'Name' && (e.name === 'true' || e.name === 'false')) return e.name === 'true' ? 1 : 0;
  const r = checkedConst(checked, e);
  return r.ok ? r.value : null;
}

/** The items a solve logs or records, deduplicated by display name (its `name =` or its source text). */
function outputItems(stmt: A.SolveStmt): A.OutputItem[] {
  const seen = new Set<string>();
  const out: A.OutputItem[] = [];
  for (const c of stmt.controls) {
    if (c.kind !== 'Log' && c.kind !== 'Record') continue;
    for (const it of c.items) {
      const key = it.name?.name ?? it.text;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(it);
    }
  }
  return out;
}

/**
 * The observe graph: the objective and every logged/recorded item at the current state. The objective's
 * name is bound to its value, so `log every 50: loss` reads it rather than lowering it again.
 */
function buildObserve(
  checked: CheckedProgram,
  stmt: A.SolveStmt,
  opts: { shapes?: Readonly<Record<string, Shape>> },
): { observe: Graph; logItems: LogItem[] } {
  const low = lowerObjective(checked, stmt, opts);
  const b = low.builder;
  const bound = bindObjective(checked, stmt);
  const locals = new Map([[stmt.name.name, low.objective]]);
  const logItems: LogItem[] = [];
  for (const it of outputItems(stmt)) {
    const name = it.name?.name ?? it.text;
    const v = lowerExpr(bound, it.expr, b, { ...opts, locals });
    b.output(name, v, 'log');
    logItems.push({ name, shape: v.shape });
  }
  return { observe: b.build(), logItems };
}

/**
 * The checker resolves the objective's name in run control to a let of the objective expression. Lowering
 * that let again would recompute the objective and, for particle objectives, meet `entropy(theta)` outside
 * the objective lowering; so those references are dropped and the name is bound (as a local) to the
 * objective value already in the graph.
 */
function bindObjective(checked: CheckedProgram, stmt: A.SolveStmt): CheckedProgram {
  const refs = new Map<A.NameRef | A.Ident, Sym>();
  for (const [k, sym] of checked.refs) {
    if (sym.kind === 'let' && sym.name === stmt.name.name && sym.decl.value === stmt.objective) continue;
    refs.set(k, sym);
  }
  return { ...checked, refs };
}

/** The until graph: the condition (0/1) at the current state, with the objective's name bound to its value. */
function buildUntil(
  checked: CheckedProgram,
  stmt: A.SolveStmt,
  cond: A.Expr,
  opts: { shapes?: Readonly<Record<string, Shape>> },
): Graph {
  const low = lowerObjective(checked, stmt, opts);
  const b = low.builder;
  const v = lowerExpr(bindObjective(checked, stmt), cond, b, { ...opts, locals: new Map([[stmt.name.name, low.objective]]) });
  b.output('until', v, 'cond');
  return b.build();
}
