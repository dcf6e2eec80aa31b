/**
 * The IR: a jaxpr-style flat list of typed equations over tensor variables, `%3:f32[4,8] = mul %1 %2`.
 * One Graph is one optimization step (objective, gradient, geometry, method, projection, logged values).
 * Nodes are immutable; source locations ride along in `loc` but never take part in equality or dumps.
 */
import type { Span } from '../diagnostics/span.js';
import type { OpName } from './ops.js';

/** Every tensor is float32 at run time (comparisons give 0/1); the interpreter evaluates in float64. */
export type Shape = readonly number[];

/** A value in the graph: defined once, by a graph input or by exactly one equation. */
export interface Var {
  readonly id: number;
  readonly shape: Shape;
}

/** Attribute values an op may carry (axes, target shapes, constants, seeds, ...). */
export type AttrValue = number | boolean | string | readonly number[] | null;
export type Attrs = Readonly<Record<string, AttrValue>>;

export interface Eqn {
  readonly out: Var;
  readonly op: OpName;
  readonly inputs: readonly Var[];
  readonly attrs: Attrs;
  /** Where in the .gd source this equation came from (diagnostics, emitted comments); ignored by equality. */
  readonly loc?: Span;
}

/**
 * What a graph input stands for. The runtime binds each input by role and name:
 * - param / particles: the current value of a target (or any param the step reads);
 * - data: a data tensor (the current minibatch when batched);
 * - state: optimizer state (momentum buffers, Adam moments), named `<param>.<slot>`;
 * - scalar: a run-time scalar such as the step counter `t` or a `--set` override kept as a uniform;
 * - rng: the RNG key for this step (counter-based; shape [2]: seed, step);
 * - rows: the row indices (as floats, [batch]) of the current minibatch of a `per` param whose step takes
 *   the whole table (`state: dense`), named `<param>.rows`.
 */
export type InputRole = 'param' | 'particles' | 'data' | 'state' | 'scalar' | 'rng' | 'mask' | 'rows';

export interface Input {
  readonly var: Var;
  readonly name: string;
  readonly role: InputRole;
}

/**
 * What a graph output stands for:
 * - update: the new value of the input with the same name (param, particles or state);
 * - objective: the objective's value at the start of the step;
 * - log: a logged/recorded item, keyed by its display name;
 * - grad: a gradient exposed for tools (gradcheck), named `d<objective>/d<target>`;
 * - cond: an `until` condition (0/1);
 * - value: anything else a caller asked for (e.g. an `init ... from` expression);
 * - probe: a scalar that is finite iff the step's objective and updated targets are (compiler/step.ts).
 */
export type OutputRole = 'update' | 'objective' | 'log' | 'grad' | 'cond' | 'value' | 'probe';

export interface Output {
  readonly var: Var;
  readonly name: string;
  readonly role: OutputRole;
}

export interface Graph {
  readonly inputs: readonly Input[];
  readonly eqns: readonly Eqn[];
  readonly outputs: readonly Output[];
}
