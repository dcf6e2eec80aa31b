/** Test harness for step lowering: builds update graphs around hand-written objectives and iterates them in the interpreter. */
import type * as A from '../../compiler/ast/ast.js';
import { gradInto } from '../../compiler/autodiff/reverse.js';
import type { Domain } from '../../compiler/check/checked.js';
import { euclideanGeometry } from '../../compiler/geometry/euclidean.js';
import type { GeometryEnv, StepTarget, TargetGeometry } from '../../compiler/geometry/registry.js';
import { GraphBuilder } from '../../compiler/ir/builder.js';
import type { Graph, Shape, Var } from '../../compiler/ir/ir.js';
import { interpret } from '../../compiler/ir/interpret.js';
import { evalOp } from '../../compiler/ir/interpret.js';
import '../../compiler/methods/builtin.js';
import { methodRule } from '../../compiler/methods/registry.js';
import { appendUpdate, noiseStream, optionDefault } from '../../compiler/step.js';
import { findMethod } from '../../compiler/check/geometries-methods.js';
import type { StateSlot } from '../../compiler/step-program.js';

export interface HarnessTarget {
  readonly name: string;
  readonly shape: Shape;
  readonly domain?: Domain;
  readonly role?: 'param' | 'particles';
  readonly geometry?: (env: GeometryEnv, target: StepTarget) => TargetGeometry;
}

export interface Harness {
  readonly graph: Graph;
  readonly slots: readonly StateSlot[];
}

const SPAN = { file: 'test.gd', start: 0, end: 0 };

/** A number literal node (domain and geometry arguments in tests). */
export function num(value: number): A.Expr {
  return { kind: 'Number', value, text: String(value), span: SPAN };
}

/** A name node (`entropy`, `inf`, a test function's name). */
export function name(n: string): A.Expr {
  return { kind: 'Name', name: n, span: SPAN };
}

/** A geometry annotation `name(args) flags`; named args are given as [name, expr] pairs. */
export function geometryAnn(
  n: string,
  args: readonly (A.Expr | readonly [string, A.Expr])[] = [],
  flags: readonly string[] = [],
): A.GeometryAnn {
  const ident = (x: string): A.Ident => ({ kind: 'Ident', name: x, span: SPAN });
  return {
    kind: 'Geometry',
    name: ident(n),
    args: args.map((a) =>
      Array.isArray(a)
        ? {
            kind: 'Arg',
            name: ident((a as readonly [string, A.Expr])[0]),
            value: (a as readonly [string, A.Expr])[1],
            span: SPAN,
          }
        : { kind: 'Arg', name: null, value: a as A.Expr, span: SPAN },
    ),
    flags: flags.map(ident),
    span: SPAN,
  };
}

/** Lowers the literals tests use: numbers and flat tensor literals. */
function literal(b: GraphBuilder, e: A.Expr): Var {
  if (e.kind === 'Number') return b.const(e.value);
  if (e.kind === 'Tensor' && e.elements.every((x) => x.kind === 'Number')) {
    return b.tensor(
      e.elements.map((x) => (x as A.NumberLit).value),
      [e.elements.length],
    );
  }
  throw new Error(`test env cannot lower a ${e.kind}`);
}

/** A GeometryEnv for tests: numbers only, `call` applies a JS builder function given as `fns[name]`. */
export function testGeometryEnv(b: GraphBuilder, fns: Record<string, (b: GraphBuilder, x: Var) => Var> = {}): GeometryEnv {
  let k = 0;
  return {
    b,
    expr: (e) => literal(b, e),
    call: (fn, arg) => {
      const name = fn.kind === 'Name' ? fn.name : '?';
      const f = fns[name];
      if (!f) throw new Error(`test env has no function ${name}`);
      return f(b, arg);
    },
    gradient: (of, wrt) => gradInto(b, of, [wrt])[0]!,
    noise: (shape) => b.op('randn', [b.input('rng', [2], 'rng')], { shape: [...shape], stream: noiseStream(`geo:${k++}`) }),
    definition: () => null,
    constant: (e) => (e.kind === 'Number' ? e.value : e.kind === 'Name' && e.name === 'inf' ? Infinity : null),
  };
}

/**
 * Builds a step: `objective(b, xs)` gives the scalar objective of the target vars; options are numbers,
 * or functions of (b, t) for schedules.
 */
export function buildHarness(opts: {
  targets: readonly HarnessTarget[];
  objective: (b: GraphBuilder, xs: readonly Var[]) => Var;
  method: string;
  options: Record<string, number | ((b: GraphBuilder, t: Var) => Var)>;
  sense?: 'minimize' | 'maximize';
  masks?: Record<string, true>;
}): Harness {
  const b = new GraphBuilder();
  const xs = opts.targets.map((t) => b.input(t.name, t.shape, t.role ?? 'param'));
  const objective = opts.objective(b, xs);
  b.output('f', objective, 'objective');
  const t = b.input('t', [], 'scalar');
  let k = 0;
  const noise = (shape: Shape) =>
    b.op('randn', [b.input('rng', [2], 'rng')], { shape: [...shape], stream: noiseStream(`m:${k++}`) });
  const genv = testGeometryEnv(b);
  const slots = appendUpdate(b, {
    sense: opts.sense ?? 'minimize',
    objective,
    targets: opts.targets.map((ht, i) => {
      const target: StepTarget = { name: ht.name, role: ht.role ?? 'param', x: xs[i]!, domain: ht.domain ?? { kind: 'reals' } };
      return {
        target,
        geometry: ht.geometry ? ht.geometry(genv, target) : euclideanGeometry(b),
        mask: opts.masks?.[ht.name] ? b.input(`${ht.name}.mask`, ht.shape, 'mask') : null,
      };
    }),
    method: methodRule(opts.method),
    option: (name) => {
      const v = opts.options[name];
      if (v === undefined) {
        const d = optionDefault(name, findMethod(opts.method, []), methodRule(opts.method));
        return d === null ? null : b.const(d);
      }
      return typeof v === 'number' ? b.const(v) : v(b, t);
    },
    t,
    noise,
    domainExpr: (e) => literal(b, e),
  });
  return { graph: b.build(), slots };
}

export interface RunResult {
  /** values[k][name] after k steps (k = 0 is the start). */
  readonly values: Record<string, number[]>[];
  readonly objective: number[];
}

/**
 * Iterates the step graph `steps` times from `init` (state slots start at their init values), feeding
 * t = k and rng = (seed, k). `float32` rounds every op's output with Math.fround (a float32 model).
 */
export function runSteps(
  h: Harness,
  init: Record<string, readonly number[]>,
  steps: number,
  opts: { seed?: number; extra?: Record<string, readonly number[]>; float32?: boolean } = {},
): RunResult {
  let cur: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(init)) cur[k] = [...v];
  for (const s of h.slots) cur[s.name] = new Array(s.shape.reduce((a, d) => a * d, 1)).fill(s.init);
  const values = [structuredClone(cur)];
  const objective: number[] = [];
  for (let k = 0; k < steps; k++) {
    const inputs = { ...cur, ...(opts.extra ?? {}), t: k, rng: [opts.seed ?? 0, k] };
    const out = opts.float32 ? interpret32(h.graph, inputs) : interpret(h.graph, inputs);
    const next: Record<string, number[]> = { ...cur };
    for (const o of h.graph.outputs) {
      if (o.role === 'update') next[o.name] = Array.from(out[o.name]!.data);
      if (o.role === 'objective') objective.push(out[o.name]!.data[0]!);
    }
    cur = next;
    values.push(structuredClone(cur));
  }
  return { values, objective };
}

/** The interpreter with every op's result rounded to float32 (inputs rounded too). */
export function interpret32(g: Graph, inputs: Record<string, readonly number[] | number>) {
  const env = new Map<number, { shape: Shape; data: Float64Array }>();
  for (const inp of g.inputs) {
    const raw = inputs[inp.name]!;
    const data = Float64Array.from(typeof raw === 'number' ? [raw] : raw, Math.fround);
    env.set(inp.var.id, { shape: inp.var.shape, data });
  }
  for (const e of g.eqns) {
    const r = evalOp(
      e.op,
      e.inputs.map((v) => env.get(v.id)!),
      e.attrs,
      e.out.shape,
    );
    env.set(e.out.id, { shape: r.shape, data: r.data.map(Math.fround) });
  }
  const out: Record<string, { shape: Shape; data: Float64Array }> = {};
  for (const o of g.outputs) out[o.name] = env.get(o.var.id)!;
  return out;
}
