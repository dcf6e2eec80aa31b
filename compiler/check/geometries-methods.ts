/**
 * The known geometries and methods (LANGUAGE.md §4): their options with torch.optim defaults, and which
 * targets and domains each geometry fits. Standard-library modules add more through modules.ts; a
 * module's entries are visible only in programs that `use` it.
 */
import { lookupModule } from './modules.js';

export type TargetKind = 'param' | 'particles';

/** One method option; positional arguments bind options in this order. */
export interface OptionSpec {
  readonly name: string;
  readonly required: boolean;
  /** The default when absent (torch.optim's); null means "off" (no clipping). */
  readonly default: number | string | null;
  /**
   * scalar: any scalar expression (of `t`, params, consts: schedules allowed);
   * noise: an expression that broadcasts to the target's shape; word: one of `words`.
   */
  readonly kind: 'scalar' | 'noise' | 'word';
  readonly words?: readonly string[];
  readonly doc: string;
}

export interface MethodInfo {
  readonly name: string;
  readonly doc: string;
  /** The method's own options; SHARED_OPTIONS are accepted too (by name only). */
  readonly options: readonly OptionSpec[];
  /**
   * Options needed once per target, in `over` order: `<prefix><i>` for target i, else `fallback` (std.dsgd:
   * `L<i>` or `lr`). The checker reports a target with neither (GD3024); `what` names the option in it.
   */
  readonly perTarget?: { readonly prefix: string; readonly fallback: string; readonly what: string };
}

/**
 * How a geometry's arguments are checked:
 * none: no arguments; mirror: one potential (entropy | burg | quadratic | potential(phi));
 * precondition: a matrix/diagonal P, or `dual: hstar`; lp: one exponent p >= 1;
 * layerwise: one norm per target; options: named scalar arguments listed in `options`.
 */
export type GeometryArgs = 'none' | 'mirror' | 'precondition' | 'lp' | 'layerwise' | 'options';

export interface GeometryInfo {
  readonly name: string;
  readonly doc: string;
  readonly targets: readonly TargetKind[];
  readonly args: GeometryArgs;
  /** Bare words allowed after it (`l2 normalized`, `linf scaled`). */
  readonly flags: readonly string[];
  /** For args 'options' (and the `scaled: true` spelling of the flag): accepted named arguments. */
  readonly options?: readonly string[];
}

const opt = (name: string, dflt: number | string | null, doc: string, required = false): OptionSpec => ({
  name,
  required,
  default: dflt,
  kind: 'scalar',
  doc,
});
const LR = opt('lr', null, 'learning rate', true);

/** Options every method accepts. */
export const SHARED_OPTIONS: readonly OptionSpec[] = [
  opt('clip', null, 'clip the gradient to this global norm before the step'),
  opt('weight_decay', 0, 'L2 penalty added to the gradient (torch convention; adamw decouples it)'),
  { name: 'state', required: false, default: 'lazy', kind: 'word', words: ['lazy', 'dense'], doc: 'for `per` params: update optimizer state of batch rows only (lazy) or of all rows (dense)' },
  opt('batch_steps', 1, 'steps taken on each minibatch before the next one (a constant integer; semi-amortized auto-decoding)'),
];

export const CORE_METHODS: Readonly<Record<string, MethodInfo>> = {
  gd: { name: 'gd', doc: 'gradient descent: x ← x − lr·g (in the chosen geometry)', options: [LR] },
  sgd: {
    name: 'sgd',
    doc: 'stochastic gradient descent (gd on minibatches); noise: s adds lr·s·N(0, I)',
    options: [LR, { name: 'noise', required: false, default: 0, kind: 'noise', doc: 'gradient-noise scale s (may depend on x)' }],
  },
  momentum: { name: 'momentum', doc: 'heavy ball, torch.optim.SGD(momentum=beta): v = beta·v + g; x ← x − lr·v', options: [LR, opt('beta', 0.9, 'momentum')] },
  nesterov: { name: 'nesterov', doc: 'torch.optim.SGD(momentum=beta, nesterov=True)', options: [LR, opt('beta', 0.9, 'momentum')] },
  adam: {
    name: 'adam',
    doc: 'torch.optim.Adam (bias-corrected moments, eps outside the square root)',
    options: [opt('lr', 1e-3, 'learning rate'), opt('beta1', 0.9, 'first-moment decay'), opt('beta2', 0.999, 'second-moment decay'), opt('eps', 1e-8, 'denominator guard')],
  },
  adamw: {
    name: 'adamw',
    doc: 'torch.optim.AdamW (decoupled weight decay)',
    options: [
      opt('lr', 1e-3, 'learning rate'),
      opt('beta1', 0.9, 'first-moment decay'),
      opt('beta2', 0.999, 'second-moment decay'),
      opt('eps', 1e-8, 'denominator guard'),
      opt('weight_decay', 1e-2, 'decoupled weight decay'),
    ],
  },
  rmsprop: {
    name: 'rmsprop',
    doc: 'torch.optim.RMSprop: v = alpha·v + (1 − alpha)·g²; x ← x − lr·g/(sqrt(v) + eps)',
    options: [opt('lr', 1e-2, 'learning rate'), opt('alpha', 0.99, 'smoothing constant'), opt('eps', 1e-8, 'denominator guard')],
  },
  langevin: {
    name: 'langevin',
    doc: 'Langevin dynamics: a gd step plus sqrt(2·lr·temperature)·N(0, I)',
    options: [LR, opt('temperature', null, 'noise temperature', true)],
  },
  dsgd: { name: 'dsgd', doc: 'duality-structure gradient descent: one layerwise block per step, chosen greedily by the improvement bound', options: [LR] },
};

const geo = (name: string, targets: readonly TargetKind[], args: GeometryArgs, doc: string, flags: readonly string[] = [], options?: readonly string[]): GeometryInfo => ({
  name,
  doc,
  targets,
  args,
  flags,
  ...(options ? { options } : {}),
});

export const CORE_GEOMETRIES: Readonly<Record<string, GeometryInfo>> = {
  euclidean: geo('euclidean', ['param'], 'none', 'x ← x − lr·g, then projection onto the domain'),
  mirror: geo('mirror', ['param', 'particles'], 'mirror', 'mirror descent: ∇φ(x⁺) = ∇φ(x) − lr·g'),
  precondition: geo('precondition', ['param', 'particles'], 'precondition', 'x ← x − lr·P·g, or x ← x − lr·∇h*(g) with `dual: hstar`'),
  lp: geo('lp', ['param'], 'lp', 'steepest descent in the l_p norm', ['normalized', 'scaled'], ['scaled']),
  linf: geo('linf', ['param'], 'none', 'steepest descent in the l∞ norm: sign(g)', ['normalized', 'scaled'], ['scaled']),
  l1: geo('l1', ['param'], 'none', 'steepest descent in the l1 norm (moves the largest coordinate)', ['normalized', 'scaled'], ['scaled']),
  l2: geo('l2', ['param'], 'none', 'steepest descent in the l2 norm (`normalized`: g/|g|)', ['normalized', 'scaled'], ['scaled']),
  wasserstein: geo('wasserstein', ['particles'], 'none', 'the Wasserstein gradient of the first variation (implied for particles)'),
  layerwise: geo('layerwise', ['param'], 'layerwise', 'one norm per target block (frobenius, spectral, l2, linf); used by dsgd'),
};

/** The potentials of mirror(...) and the domains each needs (null: any domain). */
export const MIRROR_POTENTIALS: Readonly<Record<string, { readonly domains: readonly string[] | null; readonly takesFunction: boolean }>> = {
  entropy: { domains: ['simplex', 'positive'], takesFunction: false },
  burg: { domains: ['positive'], takesFunction: false },
  quadratic: { domains: null, takesFunction: false },
  potential: { domains: null, takesFunction: true },
};

export const LAYERWISE_NORMS: readonly string[] = ['frobenius', 'spectral', 'l2', 'linf'];

/** The method called `name` in a program that uses the given std modules. */
export function findMethod(name: string, uses: readonly string[]): MethodInfo | undefined {
  if (Object.hasOwn(CORE_METHODS, name)) return CORE_METHODS[name];
  for (const u of uses) {
    const m = lookupModule(u)?.methods.get(name);
    if (m) return m;
  }
  return undefined;
}

/** The geometry called `name` in a program that uses the given std modules. */
export function findGeometry(name: string, uses: readonly string[]): GeometryInfo | undefined {
  if (Object.hasOwn(CORE_GEOMETRIES, name)) return CORE_GEOMETRIES[name];
  for (const u of uses) {
    const g = lookupModule(u)?.geometries.get(name);
    if (g) return g;
  }
  return undefined;
}

export function methodNames(uses: readonly string[]): string[] {
  return [...Object.keys(CORE_METHODS), ...uses.flatMap((u) => [...(lookupModule(u)?.methods.keys() ?? [])])];
}

export function geometryNames(uses: readonly string[]): string[] {
  return [...Object.keys(CORE_GEOMETRIES), ...uses.flatMap((u) => [...(lookupModule(u)?.geometries.keys() ?? [])])];
}
