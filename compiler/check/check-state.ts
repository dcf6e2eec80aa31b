/** The mutable state of one `check` run, shared by the declaration, solve and driver modules. */
import type { Program } from '../ast/ast.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { duplicateDeclaration } from '../diagnostics/constructors/names.js';
import type { Span } from '../diagnostics/span.js';
import type { CompilerHost } from '../host.js';
import type { PlanItem, Sym } from './checked.js';
import { newGlobalScope } from './scope.js';
import { newEnv, type Env } from './typecheck.js';

export interface CheckOptions {
  /** `--set name=value` for dims and consts. */
  readonly overrides?: Record<string, number>;
  /** Parses imported files (and std-module sources); without it, imports cannot be followed. */
  readonly parseFile?: (file: string, text: string) => { program: Program; diagnostics: Diagnostic[] };
}

export interface State {
  readonly env: Env;
  readonly host: CompilerHost;
  readonly opts: CheckOptions;
  readonly overrides: ReadonlyMap<string, number>;
  /** Override names that matched a dim or const. */
  readonly usedOverrides: Set<string>;
  /** `use`d std modules, in order. */
  readonly uses: string[];
  readonly plan: PlanItem[];
  /** Dims bound by inference (not by `dim`), with the span that bound them: conflicts are GD2015, not GD4003. */
  readonly inferredDims: Map<string, Span>;
  readonly phases: Map<string, Span>;
  /** Resolved paths of files being imported (innermost last), for cycle detection. */
  readonly importStack: string[];
  /** Resolved paths already imported (a diamond imports once). */
  readonly imported: Set<string>;
  /** Names of every global, in declaration order (the CheckedProgram's symbol order). */
  readonly order: string[];
}

export function newState(host: CompilerHost, opts: CheckOptions): State {
  const overrides = new Map<string, number>();
  for (const [k, v] of Object.entries(opts.overrides ?? {})) overrides.set(k, v);
  return {
    env: newEnv(newGlobalScope()),
    host,
    opts,
    overrides,
    usedOverrides: new Set(),
    uses: [],
    plan: [],
    inferredDims: new Map(),
    phases: new Map(),
    importStack: [],
    imported: new Set(),
    order: [],
  };
}

export function diag(st: State, d: Diagnostic): void {
  st.env.diags.push(d);
}

/**
 * Makes a global visible from here on. A name already visible is a duplicate (GD2002) and the new
 * declaration is dropped, so later uses keep meaning the first one.
 */
export function declareGlobal(st: State, sym: Sym): boolean {
  const prev = st.env.scope.visible.get(sym.name);
  if (prev) {
    if (prev !== sym) diag(st, duplicateDeclaration(sym.name, sym.span, prev.span));
    return false;
  }
  st.env.scope.visible.set(sym.name, sym);
  st.env.poisoned.delete(sym.name);
  st.order.push(sym.name);
  return true;
}

/** Marks a global whose declaration failed: later uses stay silent instead of cascading. */
export function poison(st: State, name: string): void {
  if (!st.env.scope.visible.has(name)) st.env.poisoned.add(name);
}
