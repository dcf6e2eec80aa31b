/** The method registry: how directions become steps over time (torch.optim's update rules, state slots). */
import { InternalError } from '../diagnostics/internal-error.js';
import type { StepTarget } from '../geometry/registry.js';
import type { GraphBuilder } from '../ir/builder.js';
import type { Shape, Var } from '../ir/ir.js';

/** What a method lowering may ask of the step builder. */
export interface MethodEnv {
  readonly b: GraphBuilder;
  /** The option's value as an IR scalar (or tensor): the user's expression, else the default; null when absent. */
  readonly option: (name: string) => Var | null;
  /** The step counter t of this solve (0-based scalar input). */
  readonly t: Var;
  /** Declares optimizer state `<target>.<slot>` (a 'state' input filled with `init` at the start) and returns it. */
  readonly state: (target: StepTarget, slot: string, init?: number) => Var;
  /** Gives the state slot its value after the step ('update' output). */
  readonly setState: (target: StepTarget, slot: string, value: Var) => void;
  /** A fresh standard normal tensor (its own rng stream). */
  readonly noise: (shape: Shape) => Var;
}

/** One target as the method sees it. */
export interface MethodInput {
  readonly target: StepTarget;
  /** The gradient to descend (ascent already negated, clipped, L2 weight decay added). */
  readonly g: Var;
  /** The target's geometry: the vector the method accumulates for a gradient. */
  readonly direction: (g: Var) => Var;
}

/** The step for one target: x+ = geometry.apply(from, delta, noise, lr), then the domain projection. */
export interface MethodStep {
  /** The point the step starts from: x, or x (1 - lr wd) for decoupled weight decay. */
  readonly from: Var;
  /** lr times the method's update direction. */
  readonly delta: Var;
  /** Additive noise after the step (already scaled), or null. */
  readonly noise: Var | null;
  /** The step size (wasserstein's entropy noise uses it). */
  readonly lr: Var;
}

/** One option of a method, in positional order; `default` null means the option is absent unless written. */
export interface MethodOption {
  readonly name: string;
  readonly default: number | null;
}

export interface MethodRule {
  /**
   * The method's own options in positional order, with defaults — only for methods the checker's table
   * (check/geometries-methods.ts) does not list; for those, the table is the one source of defaults.
   */
  readonly options?: readonly MethodOption[];
  /**
   * Whether the method applies `weight_decay` itself (AdamW's decoupled decay). Otherwise the step
   * builder adds wd * x to the gradient first, torch's L2 convention.
   */
  readonly decoupledWeightDecay?: boolean;
  lower(env: MethodEnv, input: MethodInput): MethodStep;
  /**
   * For methods that couple the targets (dsgd picks one block per step): all targets at once, in
   * `over` order. When present it replaces `lower`.
   */
  lowerAll?(env: MethodEnv, inputs: readonly MethodInput[]): MethodStep[];
}

const registry: Record<string, MethodRule> = {};

/** Adds (or replaces) a method; std modules call this to extend the language. */
export function registerMethod(name: string, rule: MethodRule): void {
  registry[name] = rule;
}

/** The rule for `name`; the checker has already rejected unknown names, so a miss is a compiler bug. */
export function methodRule(name: string): MethodRule {
  const r = registry[name];
  if (!r) throw new InternalError(`no lowering registered for method '${name}'`);
  return r;
}

export function hasMethod(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(registry, name);
}

/** An option the method cannot do without; the checker reports a missing one (GD3005) before lowering. */
export function required(env: MethodEnv, name: string): Var {
  const v = env.option(name);
  if (!v) throw new InternalError(`method option '${name}' has neither a value nor a default`);
  return v;
}
