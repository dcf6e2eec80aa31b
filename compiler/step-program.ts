/**
 * The compiled form of one `minimize|maximize` statement: the step graph (objective, gradient, geometry,
 * method, projection as ONE IR graph) plus what the runtime needs to drive it. Produced by
 * compiler/step.ts, optimized by compiler/passes, executed by runtime/ and emitted by backends/ts.
 *
 * Graph input binding (by Input.role and Input.name):
 *  - 'param' / 'particles' named after the symbol: the current value. A `per B` param is fed only the rows
 *    of the current batch (shape [batch, ...]); the runtime gathers before and scatters after the step.
 *  - 'data' named after the symbol: the whole tensor, or the current minibatch (shape [batch, ...]).
 *  - 'state' named `<target>.<slot>` (e.g. `w.m`, `w.v`): optimizer state listed in `state`.
 *  - 'mask' named `<param>.mask`: a persistent prune mask (1 keep, 0 pruned).
 *  - 'rows' named `<param>.rows`: with `state: dense`, a `per B` param and its state are fed WHOLE and this
 *    input ([batch], row indices as floats) selects the batch rows inside the graph (ir/batch-rows.ts).
 *  - 'scalar' named `t`: the step counter of this solve, 0-based, as float32.
 *  - 'rng' named `rng`: shape [2] = (seed, global step index); randomness is a pure function of it.
 * Graph outputs: 'update' named like the input it replaces; 'objective' named after the solve's NAME
 * (the value before the step); 'log' items keyed by their display name; with BuildStepOptions.probe,
 * 'probe' named PROBE_OUTPUT: a scalar, finite iff the objective and every updated target are.
 */
import type { Graph, Shape } from './ir/ir.js';

/** The name of the step graph's 'probe' output (compiler/step.ts finiteProbe). */
export const PROBE_OUTPUT = 'finite';

export interface StateSlot {
  /** `<target>.<slot>`, e.g. `w.m`. */
  readonly name: string;
  readonly shape: Shape;
  /** Initial fill value (0 for moments, momentum buffers). */
  readonly init: number;
  /** For a `per` param: 'lazy' keeps rows outside the batch untouched; 'dense' updates all rows. */
  readonly rows?: 'lazy' | 'dense';
}

export interface LogItem {
  /** Display name: the item's `name =` or else its source text. */
  readonly name: string;
  readonly shape: Shape;
}

export interface StepProgram {
  /** The solve's objective name (`loss`). */
  readonly objective: string;
  readonly sense: 'minimize' | 'maximize';
  /** Names of the params/particles this solve updates. */
  readonly targets: readonly string[];
  /** One optimization step. */
  readonly step: Graph;
  /**
   * Evaluates the objective and the logged/recorded items at the current state (no update), run only
   * on logging steps and at the end. Outputs: 'objective' and 'log' roles.
   */
  readonly observe: Graph;
  /** Evaluates an `until` condition (output role 'cond'), or null. */
  readonly until: Graph | null;
  readonly state: readonly StateSlot[];
  readonly logItems: readonly LogItem[];
}
