/**
 * Tokens straight to the AST, by recursive descent, for a file without syntax errors: the fast path of
 * compiler/parse.ts. It gives up (returns null) at the first thing that is not plainly valid — a syntax
 * error, or anything buildAst would report (a repeated clause, a chained comparison, a bad lambda or
 * argument order) — and parse.ts then runs the chevrotain parser and buildAst, which own error
 * recovery and every syntax message. So the two agree by construction on broken files, and on valid
 * files test/unit/direct-parse.test.ts checks that they build the same AST (docs/grammar.md, "Implementation notes").
 */
import type { TokenType } from 'chevrotain';
import * as T from '../../grammar/tokens.js';
import { decodeString, type Scan } from '../../grammar/lexer.js';
import type * as A from './ast.js';
import type { Span } from '../diagnostics/span.js';

/** Thrown to abandon the fast path; caught once, in `parseDirect`. */
class NotPlain {
  readonly notPlain = true;
}
const NOT_PLAIN = new NotPlain();

/** Token class per tokenTypeIdx: what the parser asks of a token, one array read instead of category lookups. */
const NAME = 1; // Identifier or a soft keyword (usable as a name)
const COMPARE = 2;
const ADD = 4;
const MUL = 8;
const STMT = 16; // starts a statement
const EXPR_START = 32; // can start an expression (FIRST of the grammar's `expression`)

const CLASS: number[] = [];
const mark = (t: TokenType, bits: number) => {
  CLASS[t.tokenTypeIdx!] = (CLASS[t.tokenTypeIdx!] ?? 0) | bits;
};
for (const t of [T.Identifier, ...T.softKeywords]) mark(t, NAME | EXPR_START);
for (const t of [T.EqEq, T.NotEq, T.LtEq, T.GtEq, T.Lt, T.Gt]) mark(t, COMPARE);
for (const t of [T.Plus, T.Minus]) mark(t, ADD | EXPR_START);
for (const t of [T.Star, T.Slash, T.At]) mark(t, MUL);
for (const t of [T.NumberLit, T.StringLit, T.LParen, T.LBracket]) mark(t, EXPR_START);
for (const t of [T.Dim, T.Const, T.Data, T.Param, T.Particles, T.Let, T.Def, T.Minimize, T.Maximize, T.Phase, T.Prune, T.Init, T.Save, T.Import, T.Use]) mark(t, STMT);

/** Token type indices (what `Scan.types` holds), as plain numbers for the hot paths below. */
const KArrow = T.Arrow.tokenTypeIdx!;
const KBatch = T.Batch.tokenTypeIdx!;
const KBy = T.By.tokenTypeIdx!;
const KCaret = T.Caret.tokenTypeIdx!;
const KCheckpoint = T.Checkpoint.tokenTypeIdx!;
const KColon = T.Colon.tokenTypeIdx!;
const KComma = T.Comma.tokenTypeIdx!;
const KConst = T.Const.tokenTypeIdx!;
const KData = T.Data.tokenTypeIdx!;
const KDef = T.Def.tokenTypeIdx!;
const KDim = T.Dim.tokenTypeIdx!;
const KDot = T.Dot.tokenTypeIdx!;
const KEquals = T.Equals.tokenTypeIdx!;
const KEvery = T.Every.tokenTypeIdx!;
const KFor = T.For.tokenTypeIdx!;
const KFrom = T.From.tokenTypeIdx!;
const KIdentifier = T.Identifier.tokenTypeIdx!;
const KImport = T.Import.tokenTypeIdx!;
const KIn = T.In.tokenTypeIdx!;
const KInit = T.Init.tokenTypeIdx!;
const KKeep = T.Keep.tokenTypeIdx!;
const KLBrace = T.LBrace.tokenTypeIdx!;
const KLBracket = T.LBracket.tokenTypeIdx!;
const KLParen = T.LParen.tokenTypeIdx!;
const KLet = T.Let.tokenTypeIdx!;
const KLog = T.Log.tokenTypeIdx!;
const KMax = T.Max.tokenTypeIdx!;
const KMaximize = T.Maximize.tokenTypeIdx!;
const KMinimize = T.Minimize.tokenTypeIdx!;
const KNumberLit = T.NumberLit.tokenTypeIdx!;
const KOver = T.Over.tokenTypeIdx!;
const KParam = T.Param.tokenTypeIdx!;
const KParticles = T.Particles.tokenTypeIdx!;
const KPer = T.Per.tokenTypeIdx!;
const KPercent = T.Percent.tokenTypeIdx!;
const KPhase = T.Phase.tokenTypeIdx!;
const KPrune = T.Prune.tokenTypeIdx!;
const KRBrace = T.RBrace.tokenTypeIdx!;
const KRBracket = T.RBracket.tokenTypeIdx!;
const KRParen = T.RParen.tokenTypeIdx!;
const KRecord = T.Record.tokenTypeIdx!;
const KSave = T.Save.tokenTypeIdx!;
const KSteps = T.Steps.tokenTypeIdx!;
const KStringLit = T.StringLit.tokenTypeIdx!;
const KTo = T.To.tokenTypeIdx!;
const KUntil = T.Until.tokenTypeIdx!;
const KUse = T.Use.tokenTypeIdx!;

/** A token is its index in the scan. */
type Tok = number;

class DirectParser {
  private pos = 0;
  private readonly types: Uint16Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly count: number;
  /**
   * Lists are gathered here and copied out at their exact length: a JS array grown by push keeps
   * room for 17 elements, which for the AST's many one- and two-element lists was most of its memory.
   */
  private readonly stack: unknown[] = [];

  constructor(
    private readonly file: string,
    private readonly text: string,
    scan: Scan,
  ) {
    this.types = scan.types;
    this.starts = scan.starts;
    this.ends = scan.ends;
    this.count = scan.count;
  }

  /** The entries pushed since `base`, as an array of their own; the stack is back at `base`. */
  private take<X>(base: number): X[] {
    const out = this.stack.slice(base) as X[];
    this.stack.length = base;
    return out;
  }

  // ── Tokens ────────────────────────────────────────────────────────────────

  private is(type: number): boolean {
    return this.pos < this.count && this.types[this.pos] === type;
  }

  private isAt(at: number, type: number): boolean {
    return at < this.count && this.types[at] === type;
  }

  private has(bits: number, at = this.pos): boolean {
    return at < this.count && ((CLASS[this.types[at]!] ?? 0) & bits) !== 0;
  }

  private expect(type: number): Tok {
    if (!this.is(type)) throw NOT_PLAIN;
    return this.pos++;
  }

  private name(): A.Ident {
    if (!this.has(NAME)) throw NOT_PLAIN;
    return this.ident(this.pos++);
  }

  /** A node whose span is exactly its only part's shares that part's span object (spans are immutable, as buildAst's names show). */
  private span(start: number, end: number): Span {
    return { file: this.file, start, end };
  }

  private tokSpan(t: Tok): Span {
    return { file: this.file, start: this.starts[t]!, end: this.ends[t]! };
  }

  private image(t: Tok): string {
    return this.text.slice(this.starts[t]!, this.ends[t]!);
  }

  private start(t: Tok): number {
    return this.starts[t]!;
  }

  private end(t: Tok): number {
    return this.ends[t]!;
  }

  private ident(t: Tok): A.Ident {
    return { kind: 'Ident', name: this.image(t), span: this.tokSpan(t) };
  }

  private stringLit(t: Tok): A.StringLit {
    return { kind: 'String', value: decodeString(this.image(t)), span: this.tokSpan(t) };
  }

  // ── Program and statements ────────────────────────────────────────────────

  program(): A.Program {
    const body = this.statements();
    if (this.pos < this.count) throw NOT_PLAIN;
    return { kind: 'Program', file: this.file, body, span: this.span(0, this.text.length) };
  }

  private statements(): A.Stmt[] {
    const base = this.stack.length;
    while (this.has(STMT)) this.stack.push(this.statement());
    return this.take(base);
  }

  private statement(): A.Stmt {
    const kw = this.pos++;
    switch (this.types[kw]) {
      case KDim: {
        const name = this.name();
        this.expect(KEquals);
        const value = this.expression();
        return { kind: 'Dim', name, value, span: this.span(this.start(kw), value.span.end) };
      }
      case KConst: {
        const name = this.name();
        this.expect(KEquals);
        const value = this.expression();
        return { kind: 'Const', name, value, span: this.span(this.start(kw), value.span.end) };
      }
      case KLet: {
        const name = this.name();
        this.expect(KEquals);
        const value = this.expression();
        return { kind: 'Let', name, value, span: this.span(this.start(kw), value.span.end) };
      }
      case KData:
        return this.dataDecl(kw);
      case KParam:
        return this.paramDecl(kw);
      case KParticles: {
        const name = this.name();
        this.expect(KColon);
        const shape = this.shape();
        let init: A.Expr | null = null;
        while (this.is(KEquals)) {
          if (init) throw NOT_PLAIN;
          this.pos++;
          init = this.expression();
        }
        return { kind: 'Particles', name, shape, init, span: this.span(this.start(kw), (init ?? shape).span.end) };
      }
      case KDef: {
        const name = this.name();
        this.expect(KLParen);
        const base = this.stack.length;
        if (!this.is(KRParen)) {
          this.stack.push(this.name());
          while (this.is(KComma)) {
            this.pos++;
            this.stack.push(this.name());
          }
        }
        const params = this.take<A.Ident>(base);
        this.expect(KRParen);
        this.expect(KEquals);
        const body = this.expression();
        return { kind: 'Def', name, params, body, span: this.span(this.start(kw), body.span.end) };
      }
      case KMinimize:
      case KMaximize:
        return this.solveStmt(kw);
      case KPhase: {
        const name = this.name();
        this.expect(KLBrace);
        const body = this.statements();
        const close = this.expect(KRBrace);
        return { kind: 'Phase', name, body, span: this.span(this.start(kw), this.end(close)) };
      }
      case KPrune: {
        const target = this.name();
        this.expect(KKeep);
        const amount = this.expression();
        const percent = this.is(KPercent);
        if (percent) this.pos++;
        this.expect(KBy);
        const by = this.name();
        return { kind: 'Prune', target, amount, percent, by, span: this.span(this.start(kw), by.span.end) };
      }
      case KInit: {
        const target = this.name();
        this.expect(KFrom);
        const value = this.expression();
        return { kind: 'Init', target, value, span: this.span(this.start(kw), value.span.end) };
      }
      case KSave: {
        const base = this.stack.length;
        this.stack.push(this.name());
        while (this.is(KComma)) {
          this.pos++;
          this.stack.push(this.name());
        }
        const names = this.take<A.Ident>(base);
        this.expect(KTo);
        const file = this.stringLit(this.expect(KStringLit));
        return { kind: 'Save', names, file, span: this.span(this.start(kw), file.span.end) };
      }
      case KImport: {
        const path = this.stringLit(this.expect(KStringLit));
        return { kind: 'Import', path, span: this.span(this.start(kw), path.span.end) };
      }
      case KUse: {
        const base = this.stack.length;
        this.stack.push(this.name());
        while (this.is(KDot)) {
          this.pos++;
          // `prune` is a hard keyword but also a std module's name (`use std.prune`).
          this.stack.push(this.is(KPrune) ? this.ident(this.pos++) : this.name());
        }
        const path = this.take<A.Ident>(base);
        return { kind: 'Use', path, span: this.span(this.start(kw), path[path.length - 1]!.span.end) };
      }
    }
    throw NOT_PLAIN;
  }

  /** `data NAME [: SHAPE]` then `= INIT` and `batch K` in either order, each once; the initializer is required. */
  private dataDecl(kw: Tok): A.DataDecl {
    const name = this.name();
    const shape = this.optionalShape();
    let init: A.Expr | null = null;
    let batch: A.Expr | null = null;
    let end = (shape ?? name).span.end;
    for (;;) {
      if (this.is(KEquals)) {
        if (init) throw NOT_PLAIN;
        this.pos++;
        init = this.expression();
        end = Math.max(end, init.span.end);
      } else if (this.is(KBatch)) {
        if (batch) throw NOT_PLAIN;
        this.pos++;
        batch = this.expression();
        end = Math.max(end, batch.span.end);
      } else break;
    }
    if (!init) throw NOT_PLAIN;
    return { kind: 'Data', name, shape, init, batch, span: this.span(this.start(kw), end) };
  }

  /** `param NAME [: SHAPE]` then `in DOMAIN`, `= INIT`, `per B` in any order, each once. */
  private paramDecl(kw: Tok): A.ParamDecl {
    const name = this.name();
    const shape = this.optionalShape();
    let domain: A.DomainAnn | null = null;
    let init: A.Expr | null = null;
    let per: A.Ident | null = null;
    let end = (shape ?? name).span.end;
    for (;;) {
      if (this.is(KIn)) {
        if (domain) throw NOT_PLAIN;
        this.pos++;
        const dname = this.name();
        const args = this.is(KLParen) ? this.argList() : null;
        const dend = args ? this.end(this.pos - 1) : dname.span.end;
        domain = { kind: 'Domain', name: dname, args: args ?? [], span: this.span(dname.span.start, dend) };
        end = Math.max(end, dend);
      } else if (this.is(KEquals)) {
        if (init) throw NOT_PLAIN;
        this.pos++;
        init = this.expression();
        end = Math.max(end, init.span.end);
      } else if (this.is(KPer)) {
        if (per) throw NOT_PLAIN;
        this.pos++;
        per = this.name();
        end = Math.max(end, per.span.end);
      } else break;
    }
    return { kind: 'Param', name, shape, domain, init, per, span: this.span(this.start(kw), end) };
  }

  private optionalShape(): A.ShapeAnn | null {
    if (!this.is(KColon)) return null;
    this.pos++;
    return this.shape();
  }

  /** `[n, d]`, `[784]`, `[]`. */
  private shape(): A.ShapeAnn {
    const open = this.expect(KLBracket);
    const dims = this.expressionsUntil(KRBracket);
    const close = this.expect(KRBracket);
    return { kind: 'Shape', dims, span: this.span(this.start(open), this.end(close)) };
  }

  // ── Solving ───────────────────────────────────────────────────────────────

  private solveStmt(kw: Tok): A.SolveStmt {
    const name = this.name();
    let objective: A.Expr;
    if (this.is(KEquals)) {
      this.pos++;
      objective = this.expression();
    } else objective = { kind: 'Name', name: name.name, span: name.span };
    this.expect(KOver);
    const tbase = this.stack.length;
    this.stack.push(this.target());
    while (this.is(KComma)) {
      this.pos++;
      this.stack.push(this.target());
    }
    const targets = this.take<A.Target>(tbase);
    this.expect(KBy);
    const mname = this.name();
    const args = this.is(KLParen) ? this.argList() : null;
    const method: A.MethodAnn = {
      kind: 'Method',
      name: mname,
      args: args ?? [],
      span: this.span(mname.span.start, args ? this.end(this.pos - 1) : mname.span.end),
    };
    const cbase = this.stack.length;
    for (let c = this.control(); c; c = this.control()) this.stack.push(c);
    const controls = this.take<A.Control>(cbase);
    const last = controls.length > 0 ? controls[controls.length - 1]! : method;
    const sense = this.types[kw] === KMaximize ? 'maximize' : 'minimize';
    return { kind: 'Solve', sense, name, objective, targets, method, controls, span: this.span(this.start(kw), last.span.end) };
  }

  private target(): A.Target {
    const name = this.name();
    let geometry: A.GeometryAnn | null = null;
    if (this.is(KIn)) {
      this.pos++;
      geometry = this.geometry();
    }
    return { kind: 'Target', name, geometry, span: geometry ? this.span(name.span.start, geometry.span.end) : name.span };
  }

  /** `mirror(entropy)`, `l2 normalized`: flags are plain names only (not soft keywords). */
  private geometry(): A.GeometryAnn {
    const name = this.name();
    const args = this.is(KLParen) ? this.argList() : null;
    let end = args ? this.end(this.pos - 1) : name.span.end;
    const base = this.stack.length;
    while (this.is(KIdentifier)) {
      const f = this.ident(this.pos++);
      this.stack.push(f);
      end = f.span.end;
    }
    const flags = this.take<A.Ident>(base);
    return { kind: 'Geometry', name, args: args ?? [], flags, span: this.span(name.span.start, end) };
  }

  /** The next run-control clause, or null when none starts here. */
  private control(): A.Control | null {
    const kw = this.pos;
    if (kw >= this.count) return null;
    switch (this.types[kw]) {
      case KFor: {
        this.pos++;
        const count = this.expression();
        const steps = this.expect(KSteps);
        return { kind: 'For', count, span: this.span(this.start(kw), this.end(steps)) };
      }
      case KUntil: {
        this.pos++;
        const cond = this.expression();
        let max: A.Expr | null = null;
        let end = cond.span.end;
        if (this.is(KMax)) {
          this.pos++;
          max = this.expression();
          end = this.end(this.expect(KSteps));
        }
        return { kind: 'Until', cond, max, span: this.span(this.start(kw), end) };
      }
      case KLog: {
        this.pos++;
        this.expect(KEvery);
        const every = this.expression();
        this.expect(KColon);
        const items = this.outputItems();
        return { kind: 'Log', every, items, span: this.span(this.start(kw), items[items.length - 1]!.span.end) };
      }
      case KRecord: {
        this.pos++;
        const items = this.outputItems();
        let every: A.Expr | null = null;
        if (this.is(KEvery)) {
          this.pos++;
          every = this.expression();
        }
        this.expect(KTo);
        const file = this.stringLit(this.expect(KStringLit));
        return { kind: 'Record', items, every, file, span: this.span(this.start(kw), file.span.end) };
      }
      case KCheckpoint: {
        this.pos++;
        this.expect(KEvery);
        const every = this.expression();
        return { kind: 'Checkpoint', every, span: this.span(this.start(kw), every.span.end) };
      }
    }
    return null;
  }

  private outputItems(): A.OutputItem[] {
    const base = this.stack.length;
    this.stack.push(this.outputItem());
    while (this.is(KComma)) {
      this.pos++;
      this.stack.push(this.outputItem());
    }
    return this.take(base);
  }

  /** `loss` or `gn = norm(grad(loss, w))`. */
  private outputItem(): A.OutputItem {
    let name: A.Ident | null = null;
    if (this.has(NAME) && this.isAt(this.pos + 1, KEquals)) {
      name = this.ident(this.pos);
      this.pos += 2;
    }
    const expr = this.expression();
    const text = this.text.slice(expr.span.start, expr.span.end);
    return { kind: 'OutputItem', name, expr, text, span: name ? this.span(name.span.start, expr.span.end) : expr.span };
  }

  // ── Expressions ───────────────────────────────────────────────────────────
  // Precedence, loosest first (docs/grammar.md): comparison (non-chaining) < `+ -` < `* / @` <
  // prefix sign < `^` (right-associative, its exponent may carry a sign) < postfix `[...]` `.name`.

  expression(): A.Expr {
    const left = this.additive();
    if (!this.has(COMPARE)) return left;
    const op = this.pos++;
    const e = this.binary(op, left, this.additive());
    // `a < b < c` is reported by buildAst (GD1003): not plain.
    if (this.has(COMPARE)) throw NOT_PLAIN;
    return e;
  }

  private additive(): A.Expr {
    let left = this.multiplicative();
    while (this.has(ADD)) {
      const op = this.pos++;
      left = this.binary(op, left, this.multiplicative());
    }
    return left;
  }

  private multiplicative(): A.Expr {
    let left = this.unary();
    while (this.has(MUL)) {
      const op = this.pos++;
      left = this.binary(op, left, this.unary());
    }
    return left;
  }

  /** Prefix signs apply to a power: `-x^2` is `-(x^2)`; the last written sign is innermost. */
  private unary(): A.Expr {
    const first = this.pos;
    while (this.has(ADD)) this.pos++;
    const signs = this.pos;
    let e = this.power();
    for (let i = signs - 1; i >= first; i--) {
      e = { kind: 'Unary', op: this.image(i) as '-' | '+', operand: e, span: this.span(this.start(i), e.span.end) };
    }
    return e;
  }

  private power(): A.Expr {
    const base = this.postfix();
    if (!this.is(KCaret)) return base;
    const op = this.pos++;
    return this.binary(op, base, this.unary());
  }

  private binary(op: Tok, left: A.Expr, right: A.Expr): A.Binary {
    return {
      kind: 'Binary',
      op: this.image(op) as A.BinaryOp,
      left,
      right,
      opSpan: this.tokSpan(op),
      span: this.span(left.span.start, right.span.end),
    };
  }

  /** A primary with its suffixes, in order: `x[0].T[1]`. */
  private postfix(): A.Expr {
    let e = this.primary();
    for (;;) {
      if (this.is(KLBracket)) {
        this.pos++;
        const base = this.stack.length;
        this.stack.push(this.indexItem());
        while (this.is(KComma)) {
          this.pos++;
          this.stack.push(this.indexItem());
        }
        const items = this.take<A.IndexItem>(base);
        const close = this.expect(KRBracket);
        e = { kind: 'Index', target: e, items, span: this.span(e.span.start, this.end(close)) };
      } else if (this.is(KDot)) {
        this.pos++;
        const name = this.name();
        e = { kind: 'Attr', target: e, name, span: this.span(e.span.start, name.span.end) };
      } else return e;
    }
  }

  /** `i`, `:`, `a:`, `:b`, `a:b`, `a:b:c`, `::2`; an empty entry is reported by buildAst. */
  private indexItem(): A.IndexItem {
    const first = this.pos;
    if (first >= this.count) throw NOT_PLAIN;
    const start = this.has(EXPR_START) ? this.expression() : null;
    if (!this.is(KColon)) {
      if (!start) throw NOT_PLAIN;
      return { kind: 'At', index: start, span: start.span };
    }
    this.pos++;
    const stop = this.has(EXPR_START) ? this.expression() : null;
    let step: A.Expr | null = null;
    if (this.is(KColon)) {
      this.pos++;
      step = this.has(EXPR_START) ? this.expression() : null;
    }
    return { kind: 'Slice', start, stop, step, span: this.span(this.start(first), this.end(this.pos - 1)) };
  }

  private primary(): A.Expr {
    const t = this.pos;
    if (t >= this.count) throw NOT_PLAIN;
    switch (this.types[t]) {
      case KNumberLit: {
        this.pos++;
        const text = this.image(t);
        return { kind: 'Number', value: Number(text), text, span: this.tokSpan(t) };
      }
      case KStringLit:
        this.pos++;
        return this.stringLit(t);
      case KLBracket: {
        this.pos++;
        const elements = this.expressionsUntil(KRBracket);
        const close = this.expect(KRBracket);
        return { kind: 'Tensor', elements, span: this.span(this.start(t), this.end(close)) };
      }
      case KLParen:
        return this.group(t);
    }
    if (!this.has(NAME)) throw NOT_PLAIN;
    this.pos++;
    if (this.is(KLParen)) {
      const callee = this.ident(t);
      const args = this.argList();
      return { kind: 'Call', callee, args, span: this.span(this.start(t), this.end(this.pos - 1)) };
    }
    if (this.is(KArrow)) {
      const param = this.ident(t);
      this.pos++;
      const body = this.expression();
      return { kind: 'Lambda', params: [param], body, span: this.span(this.start(t), body.span.end) };
    }
    return { kind: 'Name', name: this.image(t), span: this.tokSpan(t) };
  }

  /** `( e )` (its span widened to the parentheses) or a lambda `(x, y) => body`. */
  private group(open: Tok): A.Expr {
    this.pos++;
    const items = this.expressionsUntil(KRParen);
    const close = this.expect(KRParen);
    if (this.is(KArrow)) {
      this.pos++;
      const params = items.map((p): A.Ident => {
        if (p.kind !== 'Name') throw NOT_PLAIN;
        return { kind: 'Ident', name: p.name, span: p.span };
      });
      const body = this.expression();
      return { kind: 'Lambda', params, body, span: this.span(this.start(open), body.span.end) };
    }
    if (items.length !== 1) throw NOT_PLAIN;
    return { ...items[0]!, span: this.span(this.start(open), this.end(close)) };
  }

  /** `e (, e)*` or nothing, before `close` (which is left for the caller). */
  private expressionsUntil(close: number): A.Expr[] {
    if (this.is(close)) return [];
    const base = this.stack.length;
    this.stack.push(this.expression());
    while (this.is(KComma)) {
      this.pos++;
      this.stack.push(this.expression());
    }
    return this.take(base);
  }

  /** `( args )`: positionals first, no name twice (otherwise buildAst reports it: not plain). */
  private argList(): A.Arg[] {
    this.expect(KLParen);
    if (this.is(KRParen)) {
      this.pos++;
      return [];
    }
    const base = this.stack.length;
    let named = false;
    for (;;) {
      let name: A.Ident | null = null;
      if (this.has(NAME) && this.isAt(this.pos + 1, KColon)) {
        name = this.ident(this.pos);
        this.pos += 2;
        for (let i = base; named && i < this.stack.length; i++) if ((this.stack[i] as A.Arg).name?.name === name.name) throw NOT_PLAIN;
        named = true;
      } else if (named) throw NOT_PLAIN;
      const value = this.expression();
      this.stack.push({ kind: 'Arg', name, value, span: name ? this.span(name.span.start, value.span.end) : value.span });
      if (!this.is(KComma)) break;
      this.pos++;
    }
    this.expect(KRParen);
    return this.take(base);
  }

}

/**
 * The AST of a file whose tokens form a plainly valid program, or null when they do not (then the
 * chevrotain parser and buildAst must run: they recover from errors and report them).
 */
export function parseDirect(file: string, text: string, scan: Scan): A.Program | null {
  try {
    return new DirectParser(file, text, scan).program();
  } catch (e) {
    if (e instanceof NotPlain) return null;
    throw e;
  }
}
