/**
 * The checker's entry point: walks a program top to bottom (following imports and `use`), resolving
 * names, evaluating dims and consts, inferring shapes and checking run statements, and returns the
 * CheckedProgram with every diagnostic found.
 */
import type * as A from '../ast/ast.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { duplicateDeclaration, importCycle, importNotFound, notImportable, unknownModule } from '../diagnostics/constructors/names.js';
import { duplicatePhase, expressionTooDeep } from '../diagnostics/constructors/semantics.js';
import { MAX_DEPTH } from './typecheck.js';
import { unknownOverride } from '../diagnostics/constructors/cli.js';
import { resolveRelative, type CompilerHost } from '../host.js';
import type { CheckedProgram, Sym } from './checked.js';
import { declareGlobal, diag, newState, poison, type CheckOptions, type State } from './check-state.js';
import { checkConst, checkData, checkDim, checkLet, checkParam, checkParticles } from './declarations.js';
import { lookupModule, moduleNames } from './modules.js';
import { suggest } from './scope.js';
import { checkInitStmt, checkPrune, checkSave, checkSolve } from './solve.js';

export type { CheckOptions } from './check-state.js';

export interface CheckResult {
  /** Null only when errors make the program meaningless. */
  readonly checked: CheckedProgram | null;
  /** Every diagnostic, in the order found (the driver sorts them). */
  readonly diagnostics: Diagnostic[];
}

/** Checks a parsed program. Never throws on user input, whatever the AST holds. */
export function check(program: A.Program, host: CompilerHost, opts: CheckOptions = {}): CheckResult {
  const st = newState(host, opts);
  st.imported.add(program.file);
  st.importStack.push(program.file);
  try {
    collect(st, program.body);
    walk(st, program.body, null, program.file, false);
  } catch (e) {
    // Only a stack overflow on a pathological program is turned into a diagnostic; compiler bugs still surface.
    if (!(e instanceof RangeError)) throw e;
    diag(st, expressionTooDeep(MAX_DEPTH, program.span));
  }
  st.importStack.pop();
  reportUnusedOverrides(st);
  const diagnostics = st.env.diags;
  const symbols = new Map<string, Sym>();
  for (const n of st.order) {
    const s = st.env.scope.visible.get(n);
    if (s) symbols.set(n, s);
  }
  const checked: CheckedProgram = {
    program,
    symbols,
    refs: st.env.refs,
    shapes: st.env.shapes,
    plan: st.plan,
    uses: st.uses,
  };
  return { checked: hasErrors(diagnostics) ? null : checked, diagnostics };
}

/**
 * Before the walk: every global name's first declaration (so a use before it can point there) and every
 * def (defs are visible everywhere, so calls between them, and recursion, are seen).
 */
function collect(st: State, body: readonly A.Stmt[]): void {
  const env = st.env;
  const nonDef = new Set<string>();
  const visit = (stmts: readonly A.Stmt[]) => {
    for (const s of stmts) {
      if (s.kind === 'Phase') {
        visit(s.body);
        continue;
      }
      if (!isDecl(s)) continue;
      const name = s.name.name;
      if (!env.scope.declared.has(name)) env.scope.declared.set(name, s.name.span);
      if (s.kind !== 'Def') nonDef.add(name);
      else if (!env.defs.has(name) && !nonDef.has(name)) addDef(st, s);
    }
  };
  visit(body);
}

function isDecl(s: A.Stmt): s is A.Decl {
  return s.kind === 'Dim' || s.kind === 'Const' || s.kind === 'Data' || s.kind === 'Param' || s.kind === 'Particles' || s.kind === 'Let' || s.kind === 'Def';
}

function addDef(st: State, d: A.DefDecl): void {
  const sym = { kind: 'def' as const, name: d.name.name, decl: d, span: d.name.span };
  const params = d.params.map((p) => ({ kind: 'local' as const, name: p.name, span: p.span }));
  st.env.defs.set(d.name.name, { sym, params });
}

function checkDef(st: State, d: A.DefDecl): void {
  const seen = new Map<string, A.Ident>();
  for (const p of d.params) {
    const first = seen.get(p.name);
    if (first) {
      diag(st, duplicateDeclaration(p.name, p.span, first.span));
      return;
    }
    seen.set(p.name, p);
  }
  // A def not hoisted (its name was taken by an earlier declaration) still gets its GD2002 from declareGlobal.
  if (!st.env.defs.has(d.name.name) && !st.env.scope.visible.has(d.name.name)) addDef(st, d);
  const entry = st.env.defs.get(d.name.name);
  declareGlobal(st, entry && entry.sym.decl === d ? entry.sym : { kind: 'def', name: d.name.name, decl: d, span: d.name.span });
}

/** Checks statements in order. `imported` files may hold only dims, consts, defs, imports and uses. */
function walk(st: State, body: readonly A.Stmt[], phase: string | null, file: string, imported: boolean): void {
  for (const s of body) {
    switch (s.kind) {
      case 'Import':
        doImport(st, s, file);
        break;
      case 'Use':
        doUse(st, s);
        break;
      case 'Dim':
        checkDim(st, s);
        break;
      case 'Const':
        checkConst(st, s);
        break;
      case 'Def':
        checkDef(st, s);
        break;
      default:
        if (imported) {
          diag(st, notImportable(describeStmt(s), file, s.span));
          // Uses of the name in the importing program would only echo this error.
          if (isDecl(s)) poison(st, s.name.name);
          break;
        }
        switch (s.kind) {
          case 'Data':
            checkData(st, s, file);
            break;
          case 'Param':
            checkParam(st, s);
            break;
          case 'Particles':
            checkParticles(st, s);
            break;
          case 'Let':
            checkLet(st, s);
            break;
          case 'Solve':
            checkSolve(st, s, phase);
            break;
          case 'Prune':
            checkPrune(st, s, phase);
            break;
          case 'Init':
            checkInitStmt(st, s, phase);
            break;
          case 'Save':
            checkSave(st, s, phase);
            break;
          case 'Phase': {
            const first = st.phases.get(s.name.name);
            if (first) diag(st, duplicatePhase(s.name.name, s.name.span, first));
            else st.phases.set(s.name.name, s.name.span);
            walk(st, s.body, s.name.name, file, false);
            break;
          }
        }
    }
  }
}

function describeStmt(s: A.Stmt): string {
  switch (s.kind) {
    case 'Data':
      return `data '${s.name.name}'`;
    case 'Param':
      return `param '${s.name.name}'`;
    case 'Particles':
      return `particles '${s.name.name}'`;
    case 'Let':
      return `let '${s.name.name}'`;
    case 'Solve':
      return `the solve '${s.name.name}'`;
    case 'Phase':
      return `phase '${s.name.name}'`;
    default:
      return `a ${s.kind.toLowerCase()} statement`;
  }
}

/** Follows `import "x.gd"`: its dims, consts and defs become globals here. */
function doImport(st: State, s: A.ImportStmt, file: string): void {
  const rel = s.path.value;
  const path = resolveRelative(file, rel);
  const at = st.importStack.indexOf(path);
  if (at >= 0) {
    diag(st, importCycle([...st.importStack.slice(at), path], s.path.span));
    return;
  }
  if (st.imported.has(path)) return;
  const text = st.host.readText(path);
  if (text === undefined) {
    diag(st, importNotFound(rel, path, s.path.span));
    return;
  }
  const parseFile = st.opts.parseFile;
  if (!parseFile) {
    diag(st, importNotFound(rel, `${path} (this checker was given no parser to read it)`, s.path.span));
    return;
  }
  st.imported.add(path);
  const parsed = parseFile(path, text);
  st.env.diags.push(...parsed.diagnostics);
  importBody(st, parsed.program, path);
}

function importBody(st: State, program: A.Program, path: string): void {
  st.importStack.push(path);
  // Hoist the imported file's defs too, unless the name is taken already.
  for (const s of program.body) {
    if (s.kind === 'Def' && !st.env.defs.has(s.name.name) && !st.env.scope.visible.has(s.name.name)) addDef(st, s);
    if (isDecl(s) && !st.env.scope.declared.has(s.name.name)) st.env.scope.declared.set(s.name.name, s.name.span);
  }
  walk(st, program.body, null, path, true);
  st.importStack.pop();
}

/** `use std.X`: records the module and brings its .gd source's defs and consts. */
function doUse(st: State, s: A.UseStmt): void {
  const name = s.path.map((p) => p.name).join('.');
  const span = s.path.length ? { file: s.path[0]!.span.file, start: s.path[0]!.span.start, end: s.path[s.path.length - 1]!.span.end } : s.span;
  const mod = lookupModule(name);
  if (!mod) {
    const known = moduleNames();
    diag(st, unknownModule(name, span, known, suggest(name, known)));
    return;
  }
  if (st.uses.includes(name)) return;
  st.uses.push(name);
  if (mod.source !== null && st.opts.parseFile) {
    const file = `<${name}>`;
    if (st.imported.has(file)) return;
    st.imported.add(file);
    const parsed = st.opts.parseFile(file, mod.source);
    st.env.diags.push(...parsed.diagnostics);
    importBody(st, parsed.program, file);
  }
}

function reportUnusedOverrides(st: State): void {
  const known = [...st.env.scope.visible.values()].filter((s) => s.kind === 'dim' || s.kind === 'const').map((s) => s.name);
  for (const name of st.overrides.keys()) {
    if (!st.usedOverrides.has(name)) diag(st, unknownOverride(name, known));
  }
}
