/**
 * The checker's output, the typed AST: every name resolved to a symbol, every expression's concrete
 * shape, every dim and const evaluated, and the run plan flattened in execution order.
 * Later phases (IR lowering, runtime) read only this, never re-deriving names or shapes.
 */
import type * as A from '../ast/ast.js';
import type { Span } from '../diagnostics/span.js';

/** A concrete shape: every dim is known at compile time (dims may be overridden with --set). */
export type Shape = readonly number[];

/** A param's domain with its arguments evaluated to numbers where they are constants. */
export type Domain =
  | { readonly kind: 'reals' }
  | { readonly kind: 'positive' }
  | { readonly kind: 'simplex' }
  | { readonly kind: 'box'; readonly lo: A.Expr; readonly hi: A.Expr }
  /** `p` is 1, 2 or Infinity; `center` null means the origin (or the param's initial value: see docs). */
  | { readonly kind: 'ball'; readonly p: number; readonly radius: A.Expr; readonly center: A.Expr | null };

/** Where data comes from. Load paths are resolved against the .gd file's folder. */
export type DataSource =
  | { readonly kind: 'load'; readonly path: string; readonly format: 'csv' | 'json' | 'npy' }
  | { readonly kind: 'expr'; readonly expr: A.Expr };

export type Sym =
  | { readonly kind: 'dim'; readonly name: string; readonly value: number; readonly span: Span }
  | { readonly kind: 'const'; readonly name: string; readonly value: number; readonly span: Span }
  | {
      readonly kind: 'data';
      readonly name: string;
      readonly shape: Shape;
      readonly source: DataSource;
      /** Minibatch size along axis 0, or null when the data is used whole. */
      readonly batch: number | null;
      readonly decl: A.DataDecl;
      readonly span: Span;
    }
  | {
      readonly kind: 'param';
      readonly name: string;
      readonly shape: Shape;
      readonly domain: Domain;
      /** Name of the batched data this param's rows are tied to (`per B`), or null. */
      readonly per: string | null;
      readonly decl: A.ParamDecl;
      readonly span: Span;
    }
  | { readonly kind: 'particles'; readonly name: string; readonly shape: Shape; readonly decl: A.ParticlesDecl; readonly span: Span }
  | { readonly kind: 'let'; readonly name: string; readonly shape: Shape; readonly decl: A.LetDecl; readonly span: Span }
  | { readonly kind: 'def'; readonly name: string; readonly decl: A.DefDecl; readonly span: Span }
  /** A def's or lambda's own parameter, visible only inside its body. */
  | { readonly kind: 'local'; readonly name: string; readonly span: Span };

/** One step of the run plan, in execution order (phases flattened; `phase` names the enclosing phase). */
export type PlanItem =
  | { readonly kind: 'solve'; readonly phase: string | null; readonly stmt: A.SolveStmt; readonly steps: StepSpec }
  | { readonly kind: 'prune'; readonly phase: string | null; readonly stmt: A.PruneStmt }
  | { readonly kind: 'init'; readonly phase: string | null; readonly stmt: A.InitStmt }
  | { readonly kind: 'save'; readonly phase: string | null; readonly stmt: A.SaveStmt };

/** How long a solve runs: a fixed count, or until a condition holds (with an optional cap). */
export type StepSpec =
  | { readonly kind: 'for'; readonly count: number }
  | { readonly kind: 'until'; readonly cond: A.Expr; readonly max: number | null };

export interface CheckedProgram {
  /** The main file's AST. */
  readonly program: A.Program;
  /** Every global symbol, in declaration order (imports' defs/consts included). */
  readonly symbols: ReadonlyMap<string, Sym>;
  /** What each NameRef (and Call callee Ident) in the program refers to; builtins map to none. */
  readonly refs: ReadonlyMap<A.NameRef | A.Ident, Sym>;
  /** The shape of every checked expression node (def bodies are checked per call site, so not keyed here). */
  readonly shapes: ReadonlyMap<A.Expr, Shape>;
  /** The run plan in order. */
  readonly plan: readonly PlanItem[];
  /** Standard-library modules named by `use`, e.g. "std.mfld". */
  readonly uses: readonly string[];
}
