/**
 * CST → AST: a typed visitor (one method per grammar rule) that produces the nodes of ast.ts with spans.
 * It never throws on user input: a statement whose CST is incomplete after error recovery is left out
 * (the parse error has been reported already), so the returned program holds every statement that is whole.
 */
import { tokenMatcher, type CstNode, type IToken, type TokenType } from 'chevrotain';
import * as T from '../../grammar/tokens.js';
import type * as C from '../../grammar/cst.js';
import { decodeString } from '../../grammar/lexer.js';
import type * as A from './ast.js';
import type { Span } from '../diagnostics/span.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import * as D from '../diagnostics/constructors/syntax.js';

/** Thrown inside a statement whose CST lacks a part that recovery could not supply; caught per statement. */
class Incomplete {
  readonly incomplete = true;
}
const INCOMPLETE = new Incomplete();

/** The AST builder. Every grammar rule has a method (checked by `_coversEveryRule` below). */
class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  // ── Helpers ───────────────────────────────────────────────────────────────

  private span(start: number, end: number): Span {
    return { file: this.file, start, end };
  }

  /**
   * The span of a CST node, from its first to its last lexed token. The parser does not track node
   * locations (that doubles its allocation); spans are found here, only for the nodes that need one.
   * A node made only of recovery-inserted tokens has no span, so it is incomplete.
   */
  private nodeSpan(n: CstNode): Span {
    const start = cstStart(n);
    if (start < 0) throw INCOMPLETE;
    return this.span(start, cstEnd(n));
  }

  /**
   * The span from the first lexed token of `first` to the furthest end among `parts` (built nodes or
   * tokens; inserted tokens and absent parts are skipped). Cheaper than walking the CST for its ends.
   */
  private cover(first: readonly IToken[] | undefined, parts: readonly (Spanned | readonly IToken[] | null | undefined)[]): Span {
    let start = -1;
    for (const t of first ?? []) {
      if (!Number.isNaN(t.startOffset)) {
        start = t.startOffset;
        break;
      }
    }
    if (start < 0) throw INCOMPLETE;
    let end = start;
    for (const t of first ?? []) if (!Number.isNaN(t.startOffset)) end = Math.max(end, t.startOffset + t.image.length);
    for (const p of parts) {
      if (!p) continue;
      if (isTokenList(p)) {
        for (let i = p.length - 1; i >= 0; i--) {
          const t = p[i]!;
          if (!Number.isNaN(t.startOffset)) {
            end = Math.max(end, t.startOffset + t.image.length);
            break;
          }
        }
      } else end = Math.max(end, p.span.end);
    }
    return this.span(start, end);
  }

  /** Where an argument list ends: its `)`, or its last argument or `(` when recovery inserted the `)`. */
  private argsEnd(list: readonly C.ArgListCstNode[] | undefined, args: readonly A.Arg[]): readonly IToken[] | Spanned | null {
    const c = list?.[0]?.children;
    if (!c) return null;
    const close = c.RParen?.[0];
    if (close && !Number.isNaN(close.startOffset)) return c.RParen!;
    return args[args.length - 1] ?? c.LParen ?? null;
  }

  /** A real (lexed) token: inserted tokens carry no text, so a value built from one would be invented. */
  private tok(ts: readonly IToken[] | undefined, i = 0): IToken {
    const t = ts?.[i];
    if (!t || t.isInsertedInRecovery || Number.isNaN(t.startOffset)) throw INCOMPLETE;
    return t;
  }

  private tokSpan(t: IToken): Span {
    return this.span(t.startOffset, t.startOffset + t.image.length);
  }

  private node<N extends CstNode>(ns: readonly N[] | undefined, i = 0): N {
    const n = ns?.[i];
    if (!n) throw INCOMPLETE;
    return n;
  }

  private ident(t: IToken): A.Ident {
    return { kind: 'Ident', name: t.image, span: this.tokSpan(t) };
  }

  private idents(ts: readonly IToken[] | undefined): A.Ident[] {
    return (ts ?? []).filter((t) => !t.isInsertedInRecovery).map((t) => this.ident(t));
  }

  private exprs(ns: readonly C.ExpressionCstNode[] | undefined): A.Expr[] {
    return (ns ?? []).map((n) => this.expression(n));
  }

  private stringLit(t: IToken): A.StringLit {
    return { kind: 'String', value: decodeString(t.image), span: this.tokSpan(t) };
  }

  // ── Program and statements ────────────────────────────────────────────────

  program(n: C.ProgramCstNode): A.Program {
    const body = this.statements(n.children);
    return { kind: 'Program', file: this.file, body, span: this.span(0, this.text.length) };
  }

  /**
   * The statements among a node's children (the program's or a phase's), in source order. The CST
   * groups them by kind; each starts with its keyword, whose offset orders them. A statement left
   * incomplete by error recovery is skipped.
   */
  private statements(c: C.ProgramCstChildren): A.Stmt[] {
    const found: CstNode[] = [];
    for (const key of STATEMENT_KEYS) {
      const ns = c[key];
      if (ns) for (let i = 0; i < ns.length; i++) found.push(ns[i]!);
    }
    if (found.length > 1) found.sort((x, y) => ownStart(x) - ownStart(y));
    const out: A.Stmt[] = [];
    for (const node of found) {
      try {
        out.push(this.statement(node));
      } catch (e) {
        if (!(e instanceof Incomplete)) throw e;
      }
    }
    return out;
  }

  /** Dispatches on the rule that parsed a statement. */
  private statement(n: CstNode): A.Stmt {
    switch (n.name as (typeof STATEMENT_KEYS)[number]) {
      case 'dimDecl':
        return this.dimDecl(n as C.DimDeclCstNode);
      case 'constDecl':
        return this.constDecl(n as C.ConstDeclCstNode);
      case 'dataDecl':
        return this.dataDecl(n as C.DataDeclCstNode);
      case 'paramDecl':
        return this.paramDecl(n as C.ParamDeclCstNode);
      case 'particlesDecl':
        return this.particlesDecl(n as C.ParticlesDeclCstNode);
      case 'letDecl':
        return this.letDecl(n as C.LetDeclCstNode);
      case 'defDecl':
        return this.defDecl(n as C.DefDeclCstNode);
      case 'solveStmt':
        return this.solveStmt(n as C.SolveStmtCstNode);
      case 'phaseStmt':
        return this.phaseStmt(n as C.PhaseStmtCstNode);
      case 'pruneStmt':
        return this.pruneStmt(n as C.PruneStmtCstNode);
      case 'initStmt':
        return this.initStmt(n as C.InitStmtCstNode);
      case 'saveStmt':
        return this.saveStmt(n as C.SaveStmtCstNode);
      case 'importStmt':
        return this.importStmt(n as C.ImportStmtCstNode);
      case 'useStmt':
        return this.useStmt(n as C.UseStmtCstNode);
    }
  }

  dimDecl(n: C.DimDeclCstNode): A.DimDecl {
    const c = n.children;
    const name = this.ident(this.tok(c.Identifier));
    const value = this.expression(this.node(c.expression));
    return { kind: 'Dim', name, value, span: this.cover(c.KwDim, [value]) };
  }

  constDecl(n: C.ConstDeclCstNode): A.ConstDecl {
    const c = n.children;
    const name = this.ident(this.tok(c.Identifier));
    const value = this.expression(this.node(c.expression));
    return { kind: 'Const', name, value, span: this.cover(c.KwConst, [value]) };
  }

  dataDecl(n: C.DataDeclCstNode): A.DataDecl {
    const c = n.children;
    const name = this.ident(this.tok(c.Identifier));
    this.once(c.Equals, c.init, 'the initializer');
    this.once(c.KwBatch, c.batch, "'batch'");
    const init = c.init ? this.expression(c.init[0]!) : null;
    const batch = c.batch ? this.expression(c.batch[0]!) : null;
    const shape = c.shape ? this.shape(c.shape[0]!) : null;
    const span = this.cover(c.KwData, [name, shape, init, batch]);
    if (!init) {
      this.diagnostics.push(
        D.missingToken(this.span(span.end, span.end), `data '${name.name}' needs a value: expected '=' and an expression`, [], `for example: data ${name.name} = load("file.csv")`),
      );
      throw INCOMPLETE;
    }
    return { kind: 'Data', name, shape, init, batch, span };
  }

  paramDecl(n: C.ParamDeclCstNode): A.ParamDecl {
    const c = n.children;
    const name = this.ident(this.tok(c.Identifier));
    const shape = c.shape ? this.shape(c.shape[0]!) : null;
    this.once(c.KwIn, c.domain, "'in'");
    this.once(c.Equals, c.init, 'the initializer');
    this.once(c.KwPer, c.per, "'per'");
    const domain = c.domain ? this.domain(c) : null;
    const init = c.init ? this.expression(c.init[0]!) : null;
    const per = c.per ? this.ident(this.tok(c.per)) : null;
    return { kind: 'Param', name, shape, domain, init, per, span: this.cover(c.KwParam, [name, shape, domain, init, per]) };
  }

  particlesDecl(n: C.ParticlesDeclCstNode): A.ParticlesDecl {
    const c = n.children;
    const name = this.ident(this.tok(c.Identifier));
    const shape = this.shape(this.node(c.shape));
    this.once(c.Equals, c.init, 'the initializer');
    const init = c.init ? this.expression(c.init[0]!) : null;
    return { kind: 'Particles', name, shape, init, span: this.cover(c.KwParticles, [shape, init]) };
  }

  /**
   * A clause that may appear at most once (the first is kept): each repeat, from its keyword to its
   * value, is reported as GD1007 with a note at the first.
   */
  private once(keywords: readonly IToken[] | undefined, values: readonly (CstNode | IToken)[] | undefined, what: string): void {
    if (!keywords || !values || values.length < 2) return;
    const clause = (i: number): Span | undefined => {
      const kw = keywords[i];
      const v = values[i];
      if (!kw || !v || Number.isNaN(kw.startOffset)) return undefined;
      const end = isToken(v) ? (Number.isNaN(v.startOffset) ? -1 : v.startOffset + v.image.length) : cstEnd(v);
      return end > kw.startOffset ? this.span(kw.startOffset, end) : undefined;
    };
    const first = clause(0);
    for (let i = 1; i < values.length; i++) {
      const again = clause(i);
      if (again && first) this.diagnostics.push(D.duplicateClause(again, what, first));
    }
  }

  /** A param's domain, inline in its declaration: `in simplex`, `in ball(inf, 0.1)`. */
  private domain(c: C.ParamDeclCstChildren): A.DomainAnn {
    const name = this.ident(this.tok(c.domain));
    // The first argument list under the param is this domain's when it comes before any second `in`.
    const list = c.argList?.[0];
    const own = list && startOf(list.children.LParen) > name.span.start && startOf(list.children.LParen) < (c.KwIn?.[1]?.startOffset ?? Infinity);
    const args = own ? this.argList(list) : [];
    return { kind: 'Domain', name, args, span: this.cover(c.domain, [own ? this.argsEnd([list], args) : null]) };
  }

  shape(n: C.ShapeCstNode): A.ShapeAnn {
    const c = n.children;
    const dims = this.exprs(c.expression);
    return { kind: 'Shape', dims, span: this.cover(c.LBracket, [dims[dims.length - 1], c.Comma, c.RBracket]) };
  }

  letDecl(n: C.LetDeclCstNode): A.LetDecl {
    const c = n.children;
    const name = this.ident(this.tok(c.Identifier));
    const value = this.expression(this.node(c.expression));
    return { kind: 'Let', name, value, span: this.cover(c.KwLet, [value]) };
  }

  defDecl(n: C.DefDeclCstNode): A.DefDecl {
    const c = n.children;
    const name = this.ident(this.tok(c.name));
    const params = this.paramList(this.node(c.paramList));
    const body = this.expression(this.node(c.expression));
    return { kind: 'Def', name, params, body, span: this.cover(c.KwDef, [body]) };
  }

  paramList(n: C.ParamListCstNode): A.Ident[] {
    return this.idents(n.children.Identifier);
  }

  // ── Solving ───────────────────────────────────────────────────────────────

  solveStmt(n: C.SolveStmtCstNode): A.SolveStmt {
    const c = n.children;
    const name = this.ident(this.tok(c.Identifier));
    // Without `= EXPR` the objective is the earlier declaration of the same name (LANGUAGE.md §5).
    const objective: A.Expr = c.Equals ? this.expression(this.node(c.expression)) : { kind: 'Name', name: name.name, span: name.span };
    const targets = (c.target ?? []).map((t) => this.target(t));
    const method = this.method(c);
    const controls = this.controls(c);
    const sense = c.KwMaximize ? 'maximize' : 'minimize';
    return { kind: 'Solve', sense, name, objective, targets, method, controls, span: this.cover(c.KwMaximize ?? c.KwMinimize, [method, ...controls]) };
  }

  /** A sub-part that may be dropped when incomplete without losing the statement around it. */
  private optional<R>(build: () => R): R[] {
    try {
      return [build()];
    } catch (e) {
      if (e instanceof Incomplete) return [];
      throw e;
    }
  }

  target(n: C.TargetCstNode): A.Target {
    const c = n.children;
    const name = this.ident(this.tok(c.Identifier));
    const geometry = c.geometry ? this.geometry(c.geometry[0]!) : null;
    return { kind: 'Target', name, geometry, span: this.cover(c.Identifier, [geometry]) };
  }

  geometry(n: C.GeometryCstNode): A.GeometryAnn {
    const c = n.children;
    const name = this.ident(this.tok(c.name));
    const args = c.argList ? this.argList(c.argList[0]!) : [];
    const flags = this.idents(c.flag);
    return { kind: 'Geometry', name, args, flags, span: this.cover(c.name, [this.argsEnd(c.argList, args), c.flag]) };
  }

  /** The method, written inline in the solve statement: `by gd(lr: 0.1)`. */
  private method(c: C.SolveStmtCstChildren): A.MethodAnn {
    const name = this.ident(this.tok(c.method));
    const args = c.argList ? this.argList(c.argList[0]!) : [];
    return { kind: 'Method', name, args, span: this.cover(c.method, [this.argsEnd(c.argList, args)]) };
  }

  /** The control clauses in source order (the CST groups them by kind); an incomplete one is dropped. */
  private controls(c: C.SolveStmtCstChildren): A.Control[] {
    const found: CstNode[] = [];
    for (const key of CONTROL_KEYS) {
      const ns = c[key];
      if (ns) for (let i = 0; i < ns.length; i++) found.push(ns[i]!);
    }
    if (found.length > 1) found.sort((x, y) => ownStart(x) - ownStart(y));
    return found.flatMap((n) => this.optional(() => this.control(n)));
  }

  private control(n: CstNode): A.Control {
    switch (n.name as (typeof CONTROL_KEYS)[number]) {
      case 'forClause':
        return this.forClause(n as C.ForClauseCstNode);
      case 'untilClause':
        return this.untilClause(n as C.UntilClauseCstNode);
      case 'logClause':
        return this.logClause(n as C.LogClauseCstNode);
      case 'recordClause':
        return this.recordClause(n as C.RecordClauseCstNode);
      case 'checkpointClause':
        return this.checkpointClause(n as C.CheckpointClauseCstNode);
    }
  }

  forClause(n: C.ForClauseCstNode): A.Control {
    const c = n.children;
    const count = this.expression(this.node(c.expression));
    return { kind: 'For', count, span: this.cover(c.KwFor, [count, c.KwSteps]) };
  }

  untilClause(n: C.UntilClauseCstNode): A.Control {
    const c = n.children;
    const cond = this.expression(this.node(c.cond));
    const max = c.max ? this.expression(c.max[0]!) : null;
    return { kind: 'Until', cond, max, span: this.cover(c.KwUntil, [cond, max, c.KwSteps]) };
  }

  logClause(n: C.LogClauseCstNode): A.Control {
    const c = n.children;
    const every = this.expression(this.node(c.expression));
    const items = (c.outputItem ?? []).map((i) => this.outputItem(i));
    return { kind: 'Log', every, items, span: this.cover(c.KwLog, [every, c.Colon, items[items.length - 1]]) };
  }

  recordClause(n: C.RecordClauseCstNode): A.Control {
    const c = n.children;
    const items = (c.outputItem ?? []).map((i) => this.outputItem(i));
    const every = c.expression ? this.expression(c.expression[0]!) : null;
    const file = this.stringLit(this.tok(c.StringLit));
    return { kind: 'Record', items, every, file, span: this.cover(c.KwRecord, [file]) };
  }

  checkpointClause(n: C.CheckpointClauseCstNode): A.Control {
    const c = n.children;
    const every = this.expression(this.node(c.expression));
    return { kind: 'Checkpoint', every, span: this.cover(c.KwCheckpoint, [every]) };
  }

  outputItem(n: C.OutputItemCstNode): A.OutputItem {
    const c = n.children;
    const expr = this.expression(this.node(c.expression));
    const name = c.Identifier ? this.ident(this.tok(c.Identifier)) : null;
    const text = this.text.slice(expr.span.start, expr.span.end);
    return { kind: 'OutputItem', name, expr, text, span: this.span(name ? name.span.start : expr.span.start, expr.span.end) };
  }

  // ── Run-level statements ──────────────────────────────────────────────────

  phaseStmt(n: C.PhaseStmtCstNode): A.PhaseStmt {
    const c = n.children;
    const name = this.ident(this.tok(c.Identifier));
    const body = this.statements(c);
    return { kind: 'Phase', name, body, span: this.cover(c.KwPhase, [name, c.LBrace, body[body.length - 1], c.RBrace]) };
  }

  pruneStmt(n: C.PruneStmtCstNode): A.PruneStmt {
    const c = n.children;
    const target = this.ident(this.tok(c.target));
    const amount = this.expression(this.node(c.expression));
    const percent = c.Percent !== undefined && c.Percent.length > 0;
    const by = this.ident(this.tok(c.criterion));
    return { kind: 'Prune', target, amount, percent, by, span: this.cover(c.KwPrune, [by]) };
  }

  initStmt(n: C.InitStmtCstNode): A.InitStmt {
    const c = n.children;
    const target = this.ident(this.tok(c.Identifier));
    const value = this.expression(this.node(c.expression));
    return { kind: 'Init', target, value, span: this.cover(c.KwInit, [value]) };
  }

  saveStmt(n: C.SaveStmtCstNode): A.SaveStmt {
    const c = n.children;
    this.tok(c.Identifier);
    const names = this.idents(c.Identifier);
    const file = this.stringLit(this.tok(c.StringLit));
    return { kind: 'Save', names, file, span: this.cover(c.KwSave, [file]) };
  }

  importStmt(n: C.ImportStmtCstNode): A.ImportStmt {
    const path = this.stringLit(this.tok(n.children.StringLit));
    return { kind: 'Import', path, span: this.cover(n.children.KwImport, [path]) };
  }

  useStmt(n: C.UseStmtCstNode): A.UseStmt {
    const c = n.children;
    // Path parts are names, or the keyword `prune` (std.prune): merge the two token lists in source order.
    const parts = [...(c.Identifier ?? []), ...(c.KwPrune ?? [])].filter((t) => !t.isInsertedInRecovery);
    const path = parts.sort((a, b) => a.startOffset - b.startOffset).map((t) => this.ident(t));
    if (path.length === 0) throw INCOMPLETE;
    return { kind: 'Use', path, span: this.cover(c.KwUse, [path[path.length - 1]]) };
  }

  // ── Expressions ───────────────────────────────────────────────────────────

  /**
   * The grammar reads `operand (op operand)*` flat; this applies precedence by recursive descent
   * over that list, one level per row of the table in docs/grammar.md:
   *   comparison (non-chaining) < `+ -` < `* / @` < prefix sign < `^` (right-assoc) < postfix.
   */
  expression(n: C.ExpressionCstNode): A.Expr {
    const c = n.children;
    // Most expressions are a single primary (`1`, `x`, `f(a)`, `[1, 2]`): no ordering needed.
    if (!c.BinaryOp && !c.AddOp && !c.indexSuffix && !c.attrSuffix && !c.Arrow) return this.primary(c);
    const { operands, ops } = this.operands(c);
    if (ops.length === 0) return this.signed(operands[0]!.signs, operands[0]!.atom);
    return new Precedence(this, operands, ops).parse();
  }

  /**
   * Reads an expression's children as `operand (op operand)*`. The CST keeps each kind of token and
   * sub-node in its own list, in source order; operand k lies between binary operators k-1 and k,
   * so a cursor per list, advanced up to the next operator's offset, puts everything back in place
   * (every entry starts with a lexed token: the parser chose it by that token).
   */
  private operands(c: C.ExpressionCstChildren): { operands: Operand[]; ops: readonly IToken[] } {
    const ops = c.BinaryOp ?? NONE;
    const signs = c.AddOp ?? NONE;
    const nums = c.NumberLit ?? NONE;
    const strs = c.StringLit ?? NONE;
    const ids = c.Identifier ?? NONE;
    const tensors = c.tensorLit ?? [];
    const groups = c.group ?? [];
    const argLists = c.argList ?? [];
    const arrows = c.Arrow ?? NONE;
    const indexes = c.indexSuffix ?? [];
    const attrs = c.attrSuffix ?? [];
    let iSign = 0, iNum = 0, iStr = 0, iId = 0, iTensor = 0, iGroup = 0, iArgs = 0, iIndex = 0, iAttr = 0;
    const operands: Operand[] = [];
    for (let k = 0; k <= ops.length; k++) {
      const limit = k < ops.length ? ops[k]!.startOffset : Infinity;
      if (Number.isNaN(limit)) throw INCOMPLETE;
      // The primary is the earliest of the next number, string, name, tensor literal or group.
      const atNum = iNum < nums.length ? nums[iNum]!.startOffset : Infinity;
      const atStr = iStr < strs.length ? strs[iStr]!.startOffset : Infinity;
      const atId = iId < ids.length ? ids[iId]!.startOffset : Infinity;
      const atTensor = iTensor < tensors.length ? startOf(tensors[iTensor]!.children.LBracket) : Infinity;
      const atGroup = iGroup < groups.length ? startOf(groups[iGroup]!.children.LParen) : Infinity;
      const at = Math.min(atNum, atStr, atId, atTensor, atGroup);
      if (!(at < limit)) throw INCOMPLETE;
      const mySigns: IToken[] = [];
      while (iSign < signs.length && signs[iSign]!.startOffset < at) mySigns.push(signs[iSign++]!);
      let atom: A.Expr;
      if (at === atNum) atom = this.numberLit(nums[iNum++]!);
      else if (at === atStr) atom = this.stringLit(strs[iStr++]!);
      else if (at === atTensor) atom = this.tensorLit(tensors[iTensor++]!);
      else if (at === atGroup) atom = this.group(groups[iGroup++]!);
      else {
        const name = this.ident(ids[iId++]!);
        const list = argLists[iArgs];
        if (list && startOf(list.children.LParen) < limit) {
          iArgs++;
          const args = this.argList(list);
          atom = { kind: 'Call', callee: name, args, span: this.span(name.span.start, this.cover(list.children.LParen, [this.argsEnd([list], args)]).end) };
        } else if (arrows.length > 0 && arrows[0]!.startOffset > at && arrows[0]!.startOffset < limit) {
          // `x => body`: the body is the rest of the expression, a node of its own.
          const body = this.expression(this.node(c.body));
          atom = { kind: 'Lambda', params: [name], body, span: this.span(name.span.start, body.span.end) };
        } else atom = { kind: 'Name', name: name.name, span: name.span };
      }
      // Suffixes of this operand, in order: `x[0].T[1]`.
      for (;;) {
        const atIndex = iIndex < indexes.length ? startOf(indexes[iIndex]!.children.LBracket) : Infinity;
        const atAttr = iAttr < attrs.length ? startOf(attrs[iAttr]!.children.Dot) : Infinity;
        if (atIndex < atAttr && atIndex < limit) atom = this.suffix(atom, indexes[iIndex++]!);
        else if (atAttr < limit) atom = this.suffix(atom, attrs[iAttr++]!);
        else break;
      }
      operands.push({ signs: mySigns, atom });
    }
    return { operands, ops };
  }

  /** `atom` with prefix signs applied, innermost (last written) first. */
  signed(signs: readonly IToken[], atom: A.Expr): A.Expr {
    let e = atom;
    for (let i = signs.length - 1; i >= 0; i--) e = this.unary(signs[i]!, e);
    return e;
  }

  /** `-e` / `+e`, spanning from the sign to the end of its operand. */
  unary(sign: IToken, operand: A.Expr): A.Expr {
    return { kind: 'Unary', op: sign.image as '-' | '+', operand, span: this.span(sign.startOffset, operand.span.end) };
  }

  binary(op: IToken, left: A.Expr, right: A.Expr): A.Binary {
    return { kind: 'Binary', op: op.image as A.BinaryOp, left, right, opSpan: this.tokSpan(op), span: this.span(left.span.start, right.span.end) };
  }

  /** Comparisons do not chain: `a < b < c` is reported (GD1003) and read as `(a < b) < c`. */
  chainedComparison(op: IToken): void {
    this.diagnostics.push(D.unexpectedToken(this.tokSpan(op), `comparisons do not chain: found a second comparison '${op.image}'`, 'write (a < b) * (b < c) for "both hold"'));
  }

  /** Applies one `[...]` or `.name` suffix to `target`. */
  private suffix(target: A.Expr, s: C.IndexSuffixCstNode | C.AttrSuffixCstNode): A.Expr {
    if (s.name === 'indexSuffix') {
      const items = this.indexSuffix(s);
      const end = this.cover(s.children.LBracket, [items[items.length - 1], s.children.Comma, s.children.RBracket]).end;
      return { kind: 'Index', target, items, span: this.span(target.span.start, end) };
    }
    const name = this.attrSuffix(s);
    return { kind: 'Attr', target, name, span: this.span(target.span.start, name.span.end) };
  }

  private numberLit(t: IToken): A.NumberLit {
    return { kind: 'Number', value: Number(t.image), text: t.image, span: this.tokSpan(t) };
  }

  indexSuffix(n: C.IndexSuffixCstNode): A.IndexItem[] {
    const items = n.children.indexItem ?? [];
    if (items.some((i) => Object.keys(i.children).length === 0)) {
      // `x[]` or `x[1, ]`: the parser accepts an empty entry so that this message can be specific.
      this.diagnostics.push(D.invalidSlice(this.nodeSpan(n), 'empty index: expected an index or a slice in every position'));
      throw INCOMPLETE;
    }
    return items.map((i) => this.indexItem(i));
  }

  indexItem(n: C.IndexItemCstNode): A.IndexItem {
    const c = n.children;
    const span = this.nodeSpan(n);
    const part = (ns: readonly C.ExpressionCstNode[] | undefined) => (ns && ns[0] ? this.expression(ns[0]) : null);
    if (!c.Colon) return { kind: 'At', index: this.expression(this.node(c.start)), span };
    return { kind: 'Slice', start: part(c.start), stop: part(c.stop), step: part(c.step), span };
  }

  attrSuffix(n: C.AttrSuffixCstNode): A.Ident {
    return this.ident(this.tok(n.children.Identifier));
  }

  /** An expression that is one primary: a literal, a name, a call, brackets or parentheses. */
  private primary(c: C.ExpressionCstChildren): A.Expr {
    if (c.NumberLit) return this.numberLit(this.tok(c.NumberLit));
    if (c.StringLit) return this.stringLit(this.tok(c.StringLit));
    if (c.Identifier) {
      const name = this.ident(this.tok(c.Identifier));
      if (!c.argList) return { kind: 'Name', name: name.name, span: name.span };
      const args = this.argList(c.argList[0]!);
      return { kind: 'Call', callee: name, args, span: this.cover(c.Identifier, [this.argsEnd(c.argList, args)]) };
    }
    if (c.tensorLit) return this.tensorLit(c.tensorLit[0]!);
    if (c.group) return this.group(c.group[0]!);
    throw INCOMPLETE;
  }

  /** `( e )` groups (its span widened to the parentheses, so OutputItem.text and carets include them) or `(x, y) => body`. */
  group(n: C.GroupCstNode): A.Expr {
    const c = n.children;
    const items = this.exprs(c.expression);
    if (c.body) {
      const bad = items.filter((p) => p.kind !== 'Name');
      for (const p of bad) this.diagnostics.push(D.invalidLambda(p.span, 'a lambda parameter must be a plain name'));
      if (bad.length > 0) throw INCOMPLETE;
      const params = items.map((p): A.Ident => ({ kind: 'Ident', name: (p as A.NameRef).name, span: p.span }));
      const body = this.expression(this.node(c.body));
      return { kind: 'Lambda', params, body, span: this.cover(c.LParen, [body]) };
    }
    const span = this.cover(c.LParen, [items[items.length - 1], c.Comma, c.RParen]);
    if (items.length !== 1) {
      const what = items.length === 0 ? 'empty parentheses' : 'a comma-separated list in parentheses';
      this.diagnostics.push(D.unexpectedToken(span, `expected one expression in parentheses, found ${what}`, 'a lambda needs => and a body: (x, y) => expr'));
      throw INCOMPLETE;
    }
    return { ...items[0]!, span };
  }

  tensorLit(n: C.TensorLitCstNode): A.TensorLit {
    const c = n.children;
    const elements = this.exprs(c.expression);
    return { kind: 'Tensor', elements, span: this.cover(c.LBracket, [elements[elements.length - 1], c.Comma, c.RBracket]) };
  }

  /**
   * Arguments, with the two syntactic rules on them: positionals first (GD1010), no name twice
   * (GD1011). The CST holds the values in order plus the `name:` tokens; a name belongs to the
   * value in the same comma-separated position.
   */
  argList(n: C.ArgListCstNode): A.Arg[] {
    const c = n.children;
    const values = this.exprs(c.expression);
    const commas = c.Comma ?? [];
    if (values.length !== commas.length + (values.length > 0 ? 1 : 0)) throw INCOMPLETE;
    const names: (A.Ident | null)[] = values.map(() => null);
    let k = 0;
    for (const t of c.Identifier ?? []) {
      const real = this.tok([t]);
      while (k < commas.length && commas[k]!.startOffset < real.startOffset) k++;
      names[k] = this.ident(real);
    }
    const args = values.map((value, i): A.Arg => {
      const name = names[i]!;
      return { kind: 'Arg', name, value, span: this.span(name ? name.span.start : value.span.start, value.span.end) };
    });
    let firstNamed: A.Arg | undefined;
    const seen = new Map<string, A.Ident>();
    for (const a of args) {
      if (a.name) {
        firstNamed ??= a;
        const prev = seen.get(a.name.name);
        if (prev) this.diagnostics.push(D.duplicateNamedArgument(a.name.span, a.name.name, prev.span));
        else seen.set(a.name.name, a.name);
      } else if (firstNamed) {
        this.diagnostics.push(D.positionalAfterNamed(a.span, firstNamed.span));
      }
    }
    return args;
  }
}

/** One operand of a flat operator chain: its prefix signs and its atom (primary with suffixes), built. */
interface Operand {
  readonly signs: readonly IToken[];
  readonly atom: A.Expr;
}

const NONE: readonly IToken[] = [];

/** Where the first of `ts` starts; Infinity when absent or inserted by recovery (then nothing is placed before it). */
function startOf(ts: readonly IToken[] | undefined): number {
  const t = ts?.[0];
  return t && !Number.isNaN(t.startOffset) ? t.startOffset : Infinity;
}

/** The statement rules, as keys of the program's (and a phase's) CST children. */
const STATEMENT_KEYS = [
  'dimDecl', 'constDecl', 'dataDecl', 'paramDecl', 'particlesDecl', 'letDecl', 'defDecl',
  'solveStmt', 'phaseStmt', 'pruneStmt', 'initStmt', 'saveStmt', 'importStmt', 'useStmt',
] as const satisfies readonly (keyof C.ProgramCstChildren)[];

/** The control-clause rules, as keys of a solve statement's CST children. */
const CONTROL_KEYS = ['forClause', 'untilClause', 'logClause', 'recordClause', 'checkpointClause'] as const satisfies readonly (keyof C.SolveStmtCstChildren)[];

/** The keyword each statement or clause rule starts with (always lexed: the parser chose the rule by it). */
const FIRST_KEYWORD: Readonly<Record<string, string>> = {
  dimDecl: 'KwDim', constDecl: 'KwConst', dataDecl: 'KwData', paramDecl: 'KwParam', particlesDecl: 'KwParticles',
  letDecl: 'KwLet', defDecl: 'KwDef', phaseStmt: 'KwPhase', pruneStmt: 'KwPrune', initStmt: 'KwInit',
  saveStmt: 'KwSave', importStmt: 'KwImport', useStmt: 'KwUse', forClause: 'KwFor', untilClause: 'KwUntil',
  logClause: 'KwLog', recordClause: 'KwRecord', checkpointClause: 'KwCheckpoint',
};

/** Where a statement or clause starts: its keyword (`minimize` or `maximize` for a solve). */
function ownStart(n: CstNode): number {
  const key = n.name === 'solveStmt' ? (n.children['KwMinimize'] ? 'KwMinimize' : 'KwMaximize') : FIRST_KEYWORD[n.name];
  const t = key ? (n.children[key]?.[0] as IToken | undefined) : undefined;
  return t ? t.startOffset : Infinity;
}

const isToken = (x: CstNode | IToken): x is IToken => (x as IToken).tokenType !== undefined;

/** Anything with a span: every AST node. */
interface Spanned {
  readonly span: Span;
}

const isTokenList = (x: Spanned | readonly IToken[]): x is readonly IToken[] => Array.isArray(x);

/** Start offset of the first lexed token under `n`, or -1 when it has none (inserted tokens do not count). */
function cstStart(n: CstNode): number {
  let best = -1;
  const children = n.children;
  for (const key in children) {
    const list = children[key]!;
    for (let i = 0; i < list.length; i++) {
      const x = list[i]!;
      const at = isToken(x) ? (Number.isNaN(x.startOffset) ? -1 : x.startOffset) : cstStart(x);
      if (at >= 0) {
        if (best < 0 || at < best) best = at;
        break; // later entries of one key come later in the text
      }
    }
  }
  return best;
}

/** End offset (exclusive) of the last lexed token under `n`, or -1 when it has none. */
function cstEnd(n: CstNode): number {
  let best = -1;
  const children = n.children;
  for (const key in children) {
    const list = children[key]!;
    for (let i = list.length - 1; i >= 0; i--) {
      const x = list[i]!;
      const at = isToken(x) ? (Number.isNaN(x.startOffset) ? -1 : x.startOffset + x.image.length) : cstEnd(x);
      if (at >= 0) {
        if (at > best) best = at;
        break;
      }
    }
  }
  return best;
}

/**
 * Precedence climbing over a flat `operand (op operand)*` list. The cursor is an operand index plus
 * how many of that operand's prefix signs have been applied; `ops[i]` sits between operand i and i+1.
 */
class Precedence {
  private i = 0;
  private sign = 0;

  constructor(
    private readonly b: AstBuilder,
    private readonly operands: readonly Operand[],
    private readonly ops: readonly IToken[],
  ) {}

  parse(): A.Expr {
    return this.comparison();
  }

  /** The operator after the current operand's atom, if it belongs to `cat`. */
  private peek(cat: TokenType): IToken | undefined {
    const op = this.ops[this.i];
    return op && tokenMatcher(op, cat) ? op : undefined;
  }

  private comparison(): A.Expr {
    let left = this.additive();
    let seen = false;
    for (let op = this.peek(T.CompareOp); op; op = this.peek(T.CompareOp)) {
      if (seen) this.b.chainedComparison(op);
      seen = true;
      this.advance();
      left = this.b.binary(op, left, this.additive());
    }
    return left;
  }

  private additive(): A.Expr {
    let left = this.multiplicative();
    for (let op = this.peek(T.AddOp); op; op = this.peek(T.AddOp)) {
      this.advance();
      left = this.b.binary(op, left, this.multiplicative());
    }
    return left;
  }

  private multiplicative(): A.Expr {
    let left = this.unary();
    for (let op = this.peek(T.MulOp); op; op = this.peek(T.MulOp)) {
      this.advance();
      left = this.b.binary(op, left, this.unary());
    }
    return left;
  }

  /** A prefix sign binds looser than `^`: `-x^2` is `-(x^2)`. */
  private unary(): A.Expr {
    const signs = this.operands[this.i]!.signs;
    if (this.sign < signs.length) {
      const s = signs[this.sign++]!;
      return this.b.unary(s, this.unary());
    }
    return this.power();
  }

  /** `^` is right-associative and its exponent may carry a sign: `a^b^c` = `a^(b^c)`, `2^-1`. */
  private power(): A.Expr {
    const base = this.operands[this.i]!.atom;
    const op = this.peek(T.Caret);
    if (!op) return base;
    this.advance();
    return this.b.binary(op, base, this.unary());
  }

  /** Steps over the operator after the current operand, onto the next operand's first sign. */
  private advance(): void {
    this.i++;
    this.sign = 0;
  }
}

// Every rule of the grammar has a builder method: a new rule without one is a type error here.
type RuleName = Exclude<keyof C.ICstNodeVisitor<unknown, unknown>, 'visit' | 'validateVisitor'>;
const _coversEveryRule = (b: AstBuilder): Record<RuleName, unknown> => b;
void _coversEveryRule;

/** Builds the AST of a parsed file; `text` is the source the CST came from (for spans and OutputItem.text). */
export function buildAst(cst: C.ProgramCstNode, file: string, text: string): { program: A.Program; diagnostics: Diagnostic[] } {
  const b = new AstBuilder(file, text);
  let program: A.Program;
  try {
    program = b.program(cst);
  } catch (e) {
    if (!(e instanceof Incomplete)) throw e;
    program = { kind: 'Program', file, body: [], span: { file, start: 0, end: text.length } };
  }
  return { program, diagnostics: b.diagnostics };
}
