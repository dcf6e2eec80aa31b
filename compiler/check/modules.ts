/**
 * The standard-library module registry: which `use std.X` names exist, and what each adds — .gd source
 * (its defs and consts, checked like an import), methods and geometries. Runtime code registers the
 * content; the compiler only reads the registry, so it stays platform-neutral.
 */
import type { GeometryInfo, MethodInfo } from './geometries-methods.js';

export interface StdModule {
  /** e.g. "std.mfld" */
  readonly name: string;
  /** The paper (or topic) it implements, for docs and messages. */
  readonly paper: string;
  /** What it gives, in a few words. */
  readonly gives: string;
  /** .gd source whose defs and consts a `use` brings, or null. */
  readonly source: string | null;
  readonly methods: ReadonlyMap<string, MethodInfo>;
  readonly geometries: ReadonlyMap<string, GeometryInfo>;
}

interface Entry {
  name: string;
  paper: string;
  gives: string;
  source: string | null;
  methods: Map<string, MethodInfo>;
  geometries: Map<string, GeometryInfo>;
}

const entry = (name: string, paper: string, gives: string): Entry => ({ name, paper, gives, source: null, methods: new Map(), geometries: new Map() });

/** The modules of LANGUAGE.md §7, empty until their code registers content. */
const REGISTRY = new Map<string, Entry>(
  [
    entry('std.mirror', '(classical)', 'entropy, burg, quadratic, potential mirror maps'),
    entry('std.wasserstein', 'Mirror and Preconditioned Gradient Descent in Wasserstein Space', 'particle flows; Wasserstein mirror and preconditioned steps; energies'),
    entry('std.mfld', 'Improved Particle Approximation Error for Mean Field Neural Networks', 'mean-field two-layer nets; MFLD = particles + entropy'),
    entry('std.infinity', 'Adversarial flows (infinity-curves of maximal slope)', 'linf geometry, FGSM, iterative FGSM, normalized and signed GD'),
    entry('std.dsgd', 'The duality structure gradient descent algorithm', 'layerwise geometry, greedy block choice'),
    entry('std.unlearn', 'A More Practical Approach to Machine Unlearning', 'first-epoch gradient-ascent unlearning, calibrated stopping'),
    entry('std.semiamortized', 'Improving Ab-Initio Cryo-EM Reconstruction with Semi-Amortized Pose Inference', 'multi-head amortized encoder, then auto-decoding'),
    entry('std.latent', 'CircuitVAE', 'gradient descent in a learned latent space'),
    entry('std.sketch', 'Deep Sketched Output Kernel Regression', 'output-kernel sketch, sketched loss, decoding'),
    entry('std.longrun', 'What is the long-run distribution of SGD?', 'many-chain SGD ensembles, occupancy histograms'),
    entry('std.prune', 'Pruning is Optimal for Learning Sparse Features in High-Dimensions', 'magnitude pruning masks + GD on index models'),
  ].map((e) => [e.name, e]),
);

/** What a registration may add to a module. */
export interface ModuleContent {
  readonly paper?: string;
  readonly gives?: string;
  /** .gd source of defs and consts; replaces any earlier source. */
  readonly source?: string;
  readonly methods?: readonly MethodInfo[];
  readonly geometries?: readonly GeometryInfo[];
}

/** Adds content to a module (creating it when new). Later registrations of the same method or geometry name replace earlier ones. */
export function registerModule(name: string, content: ModuleContent): void {
  let e = REGISTRY.get(name);
  if (!e) {
    e = entry(name, content.paper ?? '', content.gives ?? '');
    REGISTRY.set(name, e);
  }
  if (content.paper !== undefined) e.paper = content.paper;
  if (content.gives !== undefined) e.gives = content.gives;
  if (content.source !== undefined) e.source = content.source;
  for (const m of content.methods ?? []) e.methods.set(m.name, m);
  for (const g of content.geometries ?? []) e.geometries.set(g.name, g);
}

/** The module named by a `use` path ("std.mfld"), if registered. */
export function lookupModule(name: string): StdModule | undefined {
  return REGISTRY.get(name);
}

/** Every registered module name, in registration order. */
export function moduleNames(): string[] {
  return [...REGISTRY.keys()];
}
