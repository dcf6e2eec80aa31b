/**
 * The AST of a .gd program: readonly discriminated unions, no methods, every node with a span.
 * Spans locate nodes for diagnostics; they never take part in a node's meaning (print-ast omits them).
 */
import type { Span } from '../diagnostics/span.js';

/** An identifier occurrence: its text and where it stands. */
export interface Ident {
  readonly kind: 'Ident';
  readonly name: string;
  readonly span: Span;
}

// ── Expressions ──────────────────────────────────────────────────────────────

export interface NumberLit {
  readonly kind: 'Number';
  readonly value: number;
  /** The literal as written (e.g. "1e-3"), for messages and emitted code. */
  readonly text: string;
  readonly span: Span;
}

export interface StringLit {
  readonly kind: 'String';
  /** The decoded value (escapes resolved). */
  readonly value: string;
  readonly span: Span;
}

/** A reference to a declared name (dim, const, data, param, particles, let, def parameter, lambda parameter, builtin). */
export interface NameRef {
  readonly kind: 'Name';
  readonly name: string;
  readonly span: Span;
}

/** `[a, b, c]` — nested literals make higher-rank tensors. */
export interface TensorLit {
  readonly kind: 'Tensor';
  readonly elements: readonly Expr[];
  readonly span: Span;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '@' | '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface Binary {
  readonly kind: 'Binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  /** Span of the operator token itself (the whole expression's span is `span`). */
  readonly opSpan: Span;
  readonly span: Span;
}

export interface Unary {
  readonly kind: 'Unary';
  readonly op: '-' | '+';
  readonly operand: Expr;
  readonly span: Span;
}

/** A call argument: positional when `name` is null. */
export interface Arg {
  readonly kind: 'Arg';
  readonly name: Ident | null;
  readonly value: Expr;
  readonly span: Span;
}

/** `f(a, b, axis: 1)` — builtins, defs, initializers, schedules. The callee is always a plain name. */
export interface Call {
  readonly kind: 'Call';
  readonly callee: Ident;
  readonly args: readonly Arg[];
  readonly span: Span;
}

/** One entry inside `x[...]`: an index expression, or a slice `start:stop[:step]` (each part optional). */
export type IndexItem =
  | { readonly kind: 'At'; readonly index: Expr; readonly span: Span }
  | {
      readonly kind: 'Slice';
      readonly start: Expr | null;
      readonly stop: Expr | null;
      readonly step: Expr | null;
      readonly span: Span;
    };

export interface Index {
  readonly kind: 'Index';
  readonly target: Expr;
  readonly items: readonly IndexItem[];
  readonly span: Span;
}

/** `x.T` — the only attribute the language has; kept general so the checker can say "unknown attribute". */
export interface Attr {
  readonly kind: 'Attr';
  readonly target: Expr;
  readonly name: Ident;
  readonly span: Span;
}

/** `(x, y) => expr` — only meaningful as an argument of `pairwise`. */
export interface Lambda {
  readonly kind: 'Lambda';
  readonly params: readonly Ident[];
  readonly body: Expr;
  readonly span: Span;
}

export type Expr = NumberLit | StringLit | NameRef | TensorLit | Binary | Unary | Call | Index | Attr | Lambda;

// ── Declarations ─────────────────────────────────────────────────────────────

/** `dim n = 256` */
export interface DimDecl {
  readonly kind: 'Dim';
  readonly name: Ident;
  readonly value: Expr;
  readonly span: Span;
}

/** `const lam = 1e-3` */
export interface ConstDecl {
  readonly kind: 'Const';
  readonly name: Ident;
  readonly value: Expr;
  readonly span: Span;
}

/** A declared shape `[n, d]`; each entry is an expression over dims and integers (e.g. `n`, `784`, `2 * k`). */
export interface ShapeAnn {
  readonly kind: 'Shape';
  readonly dims: readonly Expr[];
  readonly span: Span;
}

/** `data X: [n, d] = load("X.csv") batch 64` */
export interface DataDecl {
  readonly kind: 'Data';
  readonly name: Ident;
  readonly shape: ShapeAnn | null;
  readonly init: Expr;
  /** Minibatch size along axis 0, when `batch K` is given. */
  readonly batch: Expr | null;
  readonly span: Span;
}

/** A param's domain: `simplex`, `positive`, `reals`, `box(lo, hi)`, `ball(inf, 8/255)`, `ball(2, r, center)`. */
export interface DomainAnn {
  readonly kind: 'Domain';
  readonly name: Ident;
  readonly args: readonly Arg[];
  readonly span: Span;
}

/** `param w: [d] in simplex = uniform per B` (init optional: defaults to zeros). */
export interface ParamDecl {
  readonly kind: 'Param';
  readonly name: Ident;
  readonly shape: ShapeAnn | null;
  readonly domain: DomainAnn | null;
  readonly init: Expr | null;
  /** `per B`: rows tied to the rows of batched data B (auto-decoding). */
  readonly per: Ident | null;
  readonly span: Span;
}

/** `particles theta: [m, d] = randn(seed: 1)` */
export interface ParticlesDecl {
  readonly kind: 'Particles';
  readonly name: Ident;
  readonly shape: ShapeAnn;
  readonly init: Expr | null;
  readonly span: Span;
}

/** `let r = X @ w - y` */
export interface LetDecl {
  readonly kind: 'Let';
  readonly name: Ident;
  readonly value: Expr;
  readonly span: Span;
}

/** `def mlp(x, W1) = relu(x @ W1)` — pure, inlined at compile time. */
export interface DefDecl {
  readonly kind: 'Def';
  readonly name: Ident;
  readonly params: readonly Ident[];
  readonly body: Expr;
  readonly span: Span;
}

// ── Solving ──────────────────────────────────────────────────────────────────

/**
 * A geometry: `euclidean`, `mirror(entropy)`, `precondition(dual: hstar)`, `lp(3)`, `linf`,
 * `l2 normalized`, `linf scaled`, `layerwise(frobenius, spectral)`, `wasserstein`.
 * `flags` holds bare words written after the geometry (`normalized`).
 */
export interface GeometryAnn {
  readonly kind: 'Geometry';
  readonly name: Ident;
  readonly args: readonly Arg[];
  readonly flags: readonly Ident[];
  readonly span: Span;
}

/** One target of `over`: a param or particles name, with the geometry written right after it. */
export interface Target {
  readonly kind: 'Target';
  readonly name: Ident;
  readonly geometry: GeometryAnn | null;
  readonly span: Span;
}

/** `gd(lr: 0.1)`, `adam(lr: 1e-3, beta1: 0.9)`, `sgd(0.1, noise: 0.5)`. */
export interface MethodAnn {
  readonly kind: 'Method';
  readonly name: Ident;
  readonly args: readonly Arg[];
  readonly span: Span;
}

/** A logged/recorded item: `loss`, `gn = norm(grad(loss, w))`. `text` is the expression's source text (the key when unnamed). */
export interface OutputItem {
  readonly kind: 'OutputItem';
  readonly name: Ident | null;
  readonly expr: Expr;
  readonly text: string;
  readonly span: Span;
}

export type Control =
  | { readonly kind: 'For'; readonly count: Expr; readonly span: Span }
  | { readonly kind: 'Until'; readonly cond: Expr; readonly max: Expr | null; readonly span: Span }
  | { readonly kind: 'Log'; readonly every: Expr; readonly items: readonly OutputItem[]; readonly span: Span }
  | {
      readonly kind: 'Record';
      readonly items: readonly OutputItem[];
      readonly every: Expr | null;
      readonly file: StringLit;
      readonly span: Span;
    }
  | { readonly kind: 'Checkpoint'; readonly every: Expr; readonly span: Span };

/** `minimize loss = EXPR over w in mirror(entropy), v by gd(lr: 0.1) for 500 steps log every 50: loss` */
export interface SolveStmt {
  readonly kind: 'Solve';
  readonly sense: 'minimize' | 'maximize';
  readonly name: Ident;
  readonly objective: Expr;
  readonly targets: readonly Target[];
  readonly method: MethodAnn;
  readonly controls: readonly Control[];
  readonly span: Span;
}

/** `phase warmup { ... }` — statements run in order; params are shared with the rest of the program. */
export interface PhaseStmt {
  readonly kind: 'Phase';
  readonly name: Ident;
  readonly body: readonly Stmt[];
  readonly span: Span;
}

/** `prune W keep 10% by magnitude` — `amount` is the number before `%` (percent when `percent`, else a count). */
export interface PruneStmt {
  readonly kind: 'Prune';
  readonly target: Ident;
  readonly amount: Expr;
  readonly percent: boolean;
  readonly by: Ident;
  readonly span: Span;
}

/** `init z from EXPR` */
export interface InitStmt {
  readonly kind: 'Init';
  readonly target: Ident;
  readonly value: Expr;
  readonly span: Span;
}

/** `save w, p to "out.json"` */
export interface SaveStmt {
  readonly kind: 'Save';
  readonly names: readonly Ident[];
  readonly file: StringLit;
  readonly span: Span;
}

/** `import "lib/net.gd"` */
export interface ImportStmt {
  readonly kind: 'Import';
  readonly path: StringLit;
  readonly span: Span;
}

/** `use std.mfld` — `path` is ["std", "mfld"]. */
export interface UseStmt {
  readonly kind: 'Use';
  readonly path: readonly Ident[];
  readonly span: Span;
}

export type Decl = DimDecl | ConstDecl | DataDecl | ParamDecl | ParticlesDecl | LetDecl | DefDecl;
export type Stmt = Decl | SolveStmt | PhaseStmt | PruneStmt | InitStmt | SaveStmt | ImportStmt | UseStmt;

/** A whole file. `file` is the name diagnostics use (as given to the compiler). */
export interface Program {
  readonly kind: 'Program';
  readonly file: string;
  readonly body: readonly Stmt[];
  readonly span: Span;
}

export type Node = Program | Stmt | Expr | Ident | Arg | IndexItem | ShapeAnn | DomainAnn | GeometryAnn | Target | MethodAnn | OutputItem | Control;
