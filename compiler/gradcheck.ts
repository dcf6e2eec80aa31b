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
  /** Reverse-mode gradient and finite-difference estimate, flat. */
  readonly analytic: Float64Array;
  readonly numeric: Float64Array;
}

/**
 * Compares d(output `of`)/d(input) for each named input: reverse mode through `grad` vs central
 * differences with step h on the interpreter. `of` must name a scalar output of `g`.
 */
export function gradcheckGraph(g: Graph, of: string, wrt: readonly string[], values: InterpretInputs, h = 1e-6): GraphGradcheck[] {
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
    const numeric = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = base[i]!;
      const plus = Float64Array.from(base);
      plus[i] = x + h;
      const minus = Float64Array.from(base);
      minus[i] = x - h;
      numeric[i] = (evalAt(name, plus) - evalAt(name, minus)) / (2 * h);
    }
    const a = analytic[`d/d${name}`]!.data;
    let maxRelError = 0;
    for (let i = 0; i < n; i++) maxRelError = Math.max(maxRelError, relError(a[i]!, numeric[i]!));
    return { input: name, maxRelError, analytic: Float64Array.from(a), numeric };
  });
}
