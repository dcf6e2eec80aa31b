/**
 * Gradient checking: the compiled reverse-mode gradient (run by the float64 interpreter) against
 * central finite differences, also in float64.
 *
 * Relative error, robust near zero: |a - b| / max(1, |a|, |b|) — an absolute error for small
 * gradients, a relative one for large. With step h = 1e-6 the finite-difference truncation error
 * of a smooth objective is O(h²)·f''' and the rounding error O(ε/h) ≈ 1e-10, so smooth objectives
 * agree to about 1e-8; kinks (relu, abs, max) within h of an input break the comparison by design.
 */
import { grad } from './autodiff/reverse.js';
import { InternalError } from './diagnostics/internal-error.js';
import type { Graph, Var } from './ir/ir.js';
import { interpret, type InterpretInputs } from './ir/interpret.js';
import { sizeOf } from './ir/ops.js';
import type { CheckedProgram } from './check/checked.js';
import { lowerObjective } from './ir/lower.js';
import { randnFill } from './ir/rng.js';

/** |a - b| / max(1, |a|, |b|); NaN or infinite disagreement counts as Infinity. */
export function relError(a: number, b: number): number {
  if (a === b) return 0;
  const e = Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));
  return Number.isFinite(e) ? e : Infinity;
}

export interface GraphGradcheck {
  /** The input differentiated against. */
  readonly input: string;
  readonly maxRelError: number;
  /** Reverse-mode gradient and finite-difference estimate, flat (NaN at coordinates not checked). */
  readonly analytic: Float64Array;
  readonly numeric: Float64Array;
}

export interface GradcheckGraphOptions {
  /** Finite-difference step (default 1e-6). */
  readonly h?: number;
  /** At most this many coordinates per input are checked (evenly spaced, always including the first and last); default all. */
  readonly maxElements?: number;
}

/** Evenly spaced coordinates 0..n-1, at most k of them (all when k >= n). */
export function sampleIndices(n: number, k: number): number[] {
  if (k >= n) return Array.from({ length: n }, (_, i) => i);
  if (k <= 1) return [0];
  return Array.from(new Set(Array.from({ length: k }, (_, i) => Math.round((i * (n - 1)) / (k - 1)))));
}

/**
 * Compares d(output `of`)/d(input) for each named input: reverse mode through `grad` vs central
 * differences with step h on the interpreter. `of` must name a scalar output of `g`.
 */
export function gradcheckGraph(g: Graph, of: string, wrt: readonly string[], values: InterpretInputs, opts: GradcheckGraphOptions = {}): GraphGradcheck[] {
  const h = opts.h ?? 1e-6;
  const ofOut = g.outputs.find((o) => o.name === of);
  if (!ofOut) throw new InternalError(`gradcheck: no output '${of}'`);
  const wrtVars: Var[] = wrt.map((name) => {
    const inp = g.inputs.find((i) => i.name === name);
    if (!inp) throw new InternalError(`gradcheck: no input '${name}'`);
    return inp.var;
  });
  const { graph, grads } = grad(g, ofOut.var, wrtVars);
  const withGrads: Graph = {
    ...graph,
    outputs: [{ var: ofOut.var, name: of, role: 'objective' }, ...grads.map((v, k) => ({ var: v, name: `d/d${wrt[k]}`, role: 'grad' as const }))],
  };
  const analytic = interpret(withGrads, values);
  const objectiveOnly: Graph = { ...g, outputs: [{ var: ofOut.var, name: of, role: 'objective' }] };
  const evalAt = (name: string, flat: Float64Array): number => interpret(objectiveOnly, { ...values, [name]: flat })[of]!.data[0]!;
  return wrt.map((name, k) => {
    const raw = values[name];
    const base = typeof raw === 'number' ? Float64Array.of(raw) : Float64Array.from(raw ?? []);
    const n = sizeOf(wrtVars[k]!.shape);
    const numeric = new Float64Array(n).fill(NaN);
    const checked = sampleIndices(n, opts.maxElements ?? n);
    for (const i of checked) {
      const x = base[i]!;
      const plus = Float64Array.from(base);
      plus[i] = x + h;
      const minus = Float64Array.from(base);
      minus[i] = x - h;
      numeric[i] = (evalAt(name, plus) - evalAt(name, minus)) / (2 * h);
    }
    const a = analytic[`d/d${name}`]!.data;
    let maxRelError = 0;
    for (const i of checked) maxRelError = Math.max(maxRelError, relError(a[i]!, numeric[i]!));
    return { input: name, maxRelError, analytic: Float64Array.from(a), numeric };
  });
}

export interface GradcheckOptions {
  /** 'init': the targets' initial values; 'random': standard normals (seeded), away from the kinks of zero inits. */
  readonly at: 'init' | 'random';
  readonly seed: number;
  /** The initial value of a param, particles or data symbol (flat, row-major). */
  readonly initialValues: (name: string) => Float64Array;
  /** Coordinates checked per target (default 64), to keep large targets cheap. */
  readonly maxElements?: number;
}

export interface GradcheckResult {
  readonly objective: string;
  readonly target: string;
  readonly maxRelError: number;
}

/**
 * Checks the compiled gradient of every solve's objective with respect to each of its targets.
 * The objective is the one lowerObjective produces: an `entropy(theta)` term is excluded (it is never
 * differentiated, see LANGUAGE.md §6), and `maximize` objectives are checked as written (ascent is the
 * geometry's business). The step counter t is 0 and the rng key is [seed, 0].
 */
export function gradcheck(checked: CheckedProgram, opts: GradcheckOptions): GradcheckResult[] {
  const results: GradcheckResult[] = [];
  let stream = 0;
  for (const item of checked.plan) {
    if (item.kind !== 'solve') continue;
    const low = lowerObjective(checked, item.stmt);
    const targetNames = new Set(low.targets.map((t) => t.name));
    const values: Record<string, Float64Array | number> = {};
    for (const inp of low.graph.inputs) {
      const n = sizeOf(inp.var.shape);
      if (inp.role === 'scalar') values[inp.name] = 0;
      else if (inp.role === 'rng') values[inp.name] = Float64Array.of(opts.seed, 0);
      else if (opts.at === 'random' && targetNames.has(inp.name)) values[inp.name] = randnFill(opts.seed, stream++, n);
      else values[inp.name] = opts.initialValues(inp.name);
    }
    const name = item.stmt.name.name;
    const checks = gradcheckGraph(low.graph, name, [...targetNames], values, { maxElements: opts.maxElements ?? 64 });
    for (const c of checks) results.push({ objective: name, target: c.input, maxRelError: c.maxRelError });
  }
  return results;
}
