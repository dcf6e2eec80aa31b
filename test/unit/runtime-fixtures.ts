/** Hand-built checked programs and step graphs for the runtime tests (independent of the parser, checker and step builder). */
import type * as A from '../../compiler/ast/ast.js';
import type { CheckedProgram, PlanItem, Sym } from '../../compiler/check/checked.js';
import { GraphBuilder } from '../../compiler/ir/builder.js';
import type { Graph, Var } from '../../compiler/ir/ir.js';
import type { StepProgram } from '../../compiler/step-program.js';

let offset = 0;
/** A fresh span (distinct offsets give distinct rng site streams). */
export const span = (): A.Ident['span'] => ({ file: 'test.gd', start: offset, end: ++offset });
export const ident = (name: string): A.Ident => ({ kind: 'Ident', name, span: span() });
export const num = (value: number): A.NumberLit => ({ kind: 'Number', value, text: String(value), span: span() });
export const name = (n: string): A.NameRef => ({ kind: 'Name', name: n, span: span() });
export const call = (callee: string, named: Record<string, A.Expr> = {}, positional: A.Expr[] = []): A.Call => ({
  kind: 'Call',
  callee: ident(callee),
  args: [
    ...positional.map((value): A.Arg => ({ kind: 'Arg', name: null, value, span: span() })),
    ...Object.entries(named).map(([k, value]): A.Arg => ({ kind: 'Arg', name: ident(k), value, span: span() })),
  ],
  span: span(),
});

export function dataSym(n: string, shape: number[], source: { load: string } | { expr: A.Expr }, batch: number | null = null): Sym {
  const init = 'expr' in source ? source.expr : call('load', {}, [{ kind: 'String', value: source.load, span: span() }]);
  const decl: A.DataDecl = { kind: 'Data', name: ident(n), shape: null, init, batch: batch === null ? null : num(batch), span: span() };
  return {
    kind: 'data',
    name: n,
    shape,
    source: 'expr' in source ? { kind: 'expr', expr: source.expr } : { kind: 'load', path: source.load, format: source.load.endsWith('.csv') ? 'csv' : source.load.endsWith('.npy') ? 'npy' : 'json' },
    batch,
    decl,
    span: decl.span,
  };
}

export function paramSym(n: string, shape: number[], init: A.Expr | null = null, per: string | null = null): Sym {
  const decl: A.ParamDecl = { kind: 'Param', name: ident(n), shape: null, domain: null, init, per: per ? ident(per) : null, span: span() };
  return { kind: 'param', name: n, shape, domain: { kind: 'reals' }, per, decl, span: decl.span };
}

export interface SolveOpts {
  readonly objective: string;
  readonly target: string;
  readonly steps: number;
  readonly logEvery?: number;
  readonly logItems?: readonly string[];
  readonly checkpointEvery?: number;
  readonly record?: { file: string; every: number; items: readonly string[] };
  readonly phase?: string;
}

export function solveItem(o: SolveOpts): PlanItem & { kind: 'solve' } {
  const item = (n: string): A.OutputItem => ({ kind: 'OutputItem', name: null, expr: name(n), text: n, span: span() });
  const controls: A.Control[] = [{ kind: 'For', count: num(o.steps), span: span() }];
  if (o.logEvery) controls.push({ kind: 'Log', every: num(o.logEvery), items: (o.logItems ?? [o.objective]).map(item), span: span() });
  if (o.record) controls.push({ kind: 'Record', every: num(o.record.every), items: o.record.items.map(item), file: { kind: 'String', value: o.record.file, span: span() }, span: span() });
  if (o.checkpointEvery) controls.push({ kind: 'Checkpoint', every: num(o.checkpointEvery), span: span() });
  const stmt: A.SolveStmt = {
    kind: 'Solve',
    sense: 'minimize',
    name: ident(o.objective),
    objective: name('x'),
    targets: [{ kind: 'Target', name: ident(o.target), geometry: null, span: span() }],
    method: { kind: 'Method', name: ident('gd'), args: [], span: span() },
    controls,
    span: span(),
  };
  return { kind: 'solve', phase: o.phase ?? null, stmt, steps: { kind: 'for', count: o.steps } };
}

export function checkedProgram(symbols: readonly Sym[], plan: readonly PlanItem[], file = 'test.gd'): CheckedProgram {
  return {
    program: { kind: 'Program', file, body: [], span: span() },
    symbols: new Map(symbols.map((s) => [s.name, s])),
    refs: new Map(),
    shapes: new Map(),
    plan,
    uses: [],
  };
}

/**
 * Least squares with heavy-ball momentum and optional Langevin-style noise, written directly in IR:
 *   loss = 0.5 mean((X w - y)^2), g = X^T (X w - y) / n, m <- beta m + g, w <- w - lr m (+ s·randn).
 * X: [rows, d] (rows = the batch size when batched), y: [rows].
 */
export function leastSquaresStep(rows: number, d: number, o: { lr: number; beta: number; noise?: number; extraLog?: boolean }): StepProgram {
  const objective = (b: GraphBuilder) => {
    const X = b.input('X', [rows, d], 'data');
    const y = b.input('y', [rows], 'data');
    const w = b.input('w', [d], 'param');
    const r = b.sub(b.reshape(b.matmul(X, b.reshape(w, [d, 1])), [rows]), y);
    return { X, w, r, loss: b.mul(0.5, b.mean(b.mul(r, r))) };
  };
  const s = new GraphBuilder();
  const { X, w, r, loss } = objective(s);
  const g = s.div(s.reshape(s.matmul(X, s.reshape(r, [rows, 1]), { transposeA: true }), [d]), rows);
  const m0 = s.input('w.m', [d], 'state');
  const m = s.add(s.mul(o.beta, m0), g);
  let w1: Var = s.sub(w, s.mul(o.lr, m));
  // The schedule reads t so that the scalar input is exercised: lr_t = lr / (1 + 0 * t).
  w1 = s.add(w1, s.mul(0, s.input('t', [], 'scalar')));
  if (o.noise) w1 = s.add(w1, s.mul(o.noise, s.op('randn', [s.input('rng', [2], 'rng')], { shape: [d], stream: 3 })));
  s.output('w', w1, 'update');
  s.output('w.m', m, 'update');
  s.output('loss', loss, 'objective');
  const ob = new GraphBuilder();
  const obs = objective(ob);
  ob.output('loss', obs.loss, 'objective');
  ob.output('loss', obs.loss, 'log');
  if (o.extraLog) ob.output('w', obs.w, 'log');
  return {
    objective: 'loss',
    sense: 'minimize',
    targets: ['w'],
    step: s.build(),
    observe: ob.build(),
    until: null,
    state: [{ name: 'w.m', shape: [d], init: 0 }],
    logItems: [{ name: 'loss', shape: [] }, ...(o.extraLog ? [{ name: 'w', shape: [d] }] : [])],
  };
}

/** w <- w * factor with objective sum(w^2) (objectiveBlowsUp) or a constant objective: a run that overflows. */
export function explodingStep(d: number, factor: number, objectiveBlowsUp: boolean): StepProgram {
  const mk = (b: GraphBuilder) => {
    const w = b.input('w', [d], 'param');
    const loss = objectiveBlowsUp ? b.sum(b.mul(w, w)) : b.add(b.mul(b.sum(b.op('sign', [b.op('abs', [w])])), 0), 1);
    return { w, loss };
  };
  const s = new GraphBuilder();
  const { w, loss } = mk(s);
  s.output('w', s.mul(w, factor), 'update');
  s.output('loss', loss, 'objective');
  const ob = new GraphBuilder();
  const o = mk(ob);
  ob.output('loss', o.loss, 'objective');
  ob.output('loss', o.loss, 'log');
  return { objective: 'loss', sense: 'minimize', targets: ['w'], step: s.build(), observe: ob.build(), until: null, state: [], logItems: [{ name: 'loss', shape: [] }] };
}

export type { Graph };
