/** The geometry registry: how a target's gradient becomes a direction, and a scaled step a new point. */
import type * as A from '../ast/ast.js';
import type { Domain } from '../check/checked.js';
import { InternalError } from '../diagnostics/internal-error.js';
import type { GraphBuilder } from '../ir/builder.js';
import type { Shape, Var } from '../ir/ir.js';

/** One target of a solve, as the geometry and method lowerings see it. */
export interface StepTarget {
  readonly name: string;
  readonly role: 'param' | 'particles';
  /** The target's current value (a graph input). */
  readonly x: Var;
  /** Particles are always `reals`. */
  readonly domain: Domain;
}

/** How a particle objective's `lam * entropy(theta, estimator: ...)` term reaches the step (§6). */
export interface ParticleEntropy {
  /** The coefficient lam (an IR scalar, usually a constant). */
  readonly coef: Var;
  readonly estimator: 'langevin' | 'gaussian' | 'kde';
  /** The KDE bandwidth (kde only). */
  readonly bandwidth: Var | null;
}

/** What geometry lowerings may ask of the step builder. */
export interface GeometryEnv {
  readonly b: GraphBuilder;
  /** Lowers a value-valued argument expression (P, a radius, a center) in the step's scope. */
  readonly expr: (e: A.Expr) => Var;
  /** Applies a function-valued argument (a def name or a lambda, e.g. `phi`, `hstar`) to `arg`. */
  readonly call: (fn: A.Expr, arg: Var) => Var;
  /** The gradient of the scalar `of` with respect to `wrt`, appended by reverse mode. */
  readonly gradient: (of: Var, wrt: Var) => Var;
  /** A fresh standard normal tensor (its own rng stream). */
  readonly noise: (shape: Shape) => Var;
  /** The parameters and body of a function-valued argument (a def name or a lambda), or null. */
  readonly definition: (fn: A.Expr) => { readonly params: readonly string[]; readonly body: A.Expr } | null;
  /** The compile-time number an argument denotes (literals, consts, `inf`), or null. */
  readonly constant: (e: A.Expr) => number | null;
}

/**
 * A geometry compiled for one target. A step is `x+ = apply(from, delta, noise)` where
 * `delta = lr * u` and u is what the method made of `direction(g)` (for gd, u = direction(g)).
 */
export interface TargetGeometry {
  /** The vector the method works on: euclidean g, precondition P g, lp the normalized steepest direction. */
  direction(g: Var): Var;
  /**
   * The new point: euclidean `from - delta + noise`, mirror `grad phi*(grad phi(from) - delta + H^1/2 noise)`.
   * `noise` (already scaled, e.g. sqrt(2 lr T) xi) is null for noiseless methods; `lr` is the method's step size.
   */
  apply(from: Var, delta: Var, noise: Var | null, lr: Var): Var;
  /** Whether the target's domain projection follows `apply` (mirror maps that match the domain need none). */
  readonly projects: boolean;
}

export interface GeometryRule {
  /**
   * Compiles the geometry for one target. `ann` is the annotation (null for the default);
   * `extra` carries per-solve facts (wasserstein's inner geometry and entropy term, a layer index).
   */
  lower(env: GeometryEnv, ann: A.GeometryAnn | null, target: StepTarget, extra: GeometryExtra): TargetGeometry;
}

/** Per-solve facts some geometries need. */
export interface GeometryExtra {
  /** The geometry wasserstein composes with, for particles (euclidean when unannotated). */
  readonly inner?: TargetGeometry;
  readonly entropy?: ParticleEntropy | null;
  /** For `layerwise(...)`: the target's position in the group of targets it covers. */
  readonly layer?: number;
}

const registry: Record<string, GeometryRule> = {};

/** Adds (or replaces) a geometry; std modules call this to extend the language. */
export function registerGeometry(name: string, rule: GeometryRule): void {
  registry[name] = rule;
}

/** The rule for `name`; the checker has already rejected unknown names, so a miss is a compiler bug. */
export function geometryRule(name: string): GeometryRule {
  const r = registry[name];
  if (!r) throw new InternalError(`no lowering registered for geometry '${name}'`);
  return r;
}

/** Whether a geometry of this name is registered. */
export function hasGeometry(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(registry, name);
}

/** A named argument of an annotation, or the positional one at `index`. */
export function geometryArg(ann: A.GeometryAnn | null, name: string, index?: number): A.Expr | null {
  if (!ann) return null;
  const named = ann.args.find((a) => a.name?.name === name);
  if (named) return named.value;
  if (index === undefined) return null;
  const positional = ann.args.filter((a) => a.name === null);
  return positional[index]?.value ?? null;
}

/** Whether the bare word `flag` (e.g. `normalized`, `scaled`) follows the annotation. */
export function hasFlag(ann: A.GeometryAnn | null, flag: string): boolean {
  return ann?.flags.some((f) => f.name === flag) ?? false;
}
