/**
 * Building the step graph of one solve: lower the objective, append its reverse-mode gradient, then per
 * target the geometry's direction, the method's step, the domain projection and the prune mask, as ONE
 * graph with 'update' outputs and state slots; plus the observe and until graphs (compiler/step-program.ts).
 */
import type { Domain } from './check/checked.js';
import { gradInto } from './autodiff/reverse.js';
import { projectDomain } from './geometry/domains.js';
import type { StepTarget, TargetGeometry } from './geometry/registry.js';
import type { GraphBuilder } from './ir/builder.js';
import type { Shape, Var } from './ir/ir.js';
import { addWeightDecay, clipGlobalNorm } from './methods/options.js';
import type { MethodEnv, MethodRule } from './methods/registry.js';
import type { StateSlot } from './step-program.js';

/** One target with its compiled geometry. */
export interface UpdateTarget {
  readonly target: StepTarget;
  readonly geometry: TargetGeometry;
  /** The prune mask input (1 keep, 0 pruned), when the param has one. */
  readonly mask?: Var | null;
  /** 'lazy' for `per` params (rows outside the batch keep their state). */
  readonly rows?: 'lazy' | 'dense';
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
  const rowsOf = new Map(cfg.targets.map((t) => [t.target.name, t.rows]));
  const env: MethodEnv = {
    b,
    option: cfg.option,
    t: cfg.t,
    noise: cfg.noise,
    state: (target, slot, init = 0) => {
      const name = `${target.name}.${slot}`;
      if (!slots.some((s) => s.name === name)) {
        const rows = rowsOf.get(target.name);
        slots.push({ name, shape: target.x.shape, init, ...(rows ? { rows } : {}) });
      }
      return b.input(name, target.x.shape, 'state');
    },
    setState: (target, slot, value) => stateUpdates.push({ name: `${target.name}.${slot}`, value }),
  };

  cfg.targets.forEach((ut, i) => {
    const { target, geometry } = ut;
    const step = cfg.method.lower(env, { target, g: grads[i]!, direction: geometry.direction });
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
 * set, so it never meets the small sequential ids the objective lowering gives `randn(...)` calls.
 */
export function noiseStream(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h | 0x80000000) >>> 0;
}
