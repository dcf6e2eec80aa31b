/** Source text → AST plus syntax diagnostics: lexing, parsing with recovery, and AST building in one call. */
import { EOF, type IRecognitionException, type IToken } from 'chevrotain';
import { scan, tokensOf, tokenEnd, type LexProblem } from '../grammar/lexer.js';
import { parseTokens } from '../grammar/parser.js';
import * as T from '../grammar/tokens.js';
import type { ProgramCstNode } from '../grammar/cst.js';
import { buildAst } from './ast/build-ast.js';
import { parseDirect } from './ast/direct-parse.js';
import { deepStatements, MAX_NESTING, withoutStatements } from '../grammar/nesting.js';
import type { Program } from './ast/ast.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import { sortDiagnostics } from './diagnostics/diagnostic.js';
import type { Span } from './diagnostics/span.js';
import * as D from './diagnostics/constructors/syntax.js';

export interface ParseOutput {
  readonly program: Program;
  readonly diagnostics: Diagnostic[];
}

/**
 * Parses one file. Never throws on any input: every syntax error is reported (recovery is on), at most
 * one diagnostic per token, and the program holds every statement that could be built.
 */
export function parse(file: string, text: string): ParseOutput {
  let scanned = scan(text);
  // Statements nested deeper than every recursive walker can follow are reported and left out, first.
  const deep = deepStatements(scanned);
  const tooDeep = deep.map((d) => D.nestingTooDeep({ file, start: scanned.starts[d.at]!, end: scanned.ends[d.at]! }, MAX_NESTING));
  if (deep.length > 0) scanned = withoutStatements(scanned, deep);
  // Most files are valid: read them straight into the AST. Anything else takes the recovering parser.
  if (scanned.problems.length === 0) {
    const program = parseDirect(file, text, scanned);
    if (program) return { program, diagnostics: tooDeep };
  }
  const { tokens, problems } = tokensOf(text, scanned);
  const recovered = parseRecovering(file, text, tokens, problems);
  if (tooDeep.length === 0) return recovered;
  return { program: recovered.program, diagnostics: sortDiagnostics([...tooDeep, ...recovered.diagnostics]) };
}

/** The chevrotain parser (error recovery on) and buildAst: every syntax error of the file, and every whole statement. */
export function parseRecovering(file: string, text: string, tokens: IToken[], problems: readonly LexProblem[]): ParseOutput {
  const { cst, errors } = parseTokens(tokens);
  const diagnostics: Diagnostic[] = problems.map((p) => lexDiagnostic(file, p));
  const lexedAt = new Set(problems.map((p) => p.start));
  // A parse error on the token right after a dropped character, on the same line, echoes the lexical error.
  const echoes = new Set<number>();
  for (const p of problems) {
    if (p.kind !== 'unexpected-character') continue;
    const next = nextTokenStart(tokens, p.end);
    if (next >= 0 && !text.slice(p.end, next).includes('\n')) echoes.add(next);
  }
  // One diagnostic per token: the first error that lands on a token wins (later ones are recovery echoes).
  const taken = new Set<number>();
  for (const e of errors) {
    const d = parseDiagnostic(file, text, e);
    const key = d.span?.start ?? -1;
    if (taken.has(key) || lexedAt.has(key) || echoes.has(key)) continue;
    taken.add(key);
    diagnostics.push(d);
  }
  const built = buildAst(cst as ProgramCstNode, file, text);
  for (const d of built.diagnostics) {
    const key = d.span?.start ?? -1;
    if (taken.has(key) || lexedAt.has(key)) continue;
    taken.add(key);
    diagnostics.push(d);
  }
  return { program: built.program, diagnostics: sortDiagnostics(diagnostics) };
}

function lexDiagnostic(file: string, p: LexProblem): Diagnostic {
  const span: Span = { file, start: p.start, end: p.end };
  switch (p.kind) {
    case 'unexpected-character':
      return D.unexpectedCharacter(span, p.text);
    case 'unterminated-string':
      return D.unterminatedString(span);
    case 'invalid-escape':
      return D.invalidEscape(span, p.text);
    case 'invalid-number':
      return D.invalidNumber(span, p.text);
  }
}

const real = (t: IToken | undefined): t is IToken => t !== undefined && !Number.isNaN(t.startOffset) && t.tokenType !== EOF;

/** Constructs whose syntax errors have a more specific code than "unexpected token". */
const RULE_CODES: Readonly<Record<string, (span: Span, message: string) => Diagnostic>> = {
  indexItem: D.invalidSlice,
  indexSuffix: D.invalidSlice,
  shape: D.invalidShape,
  forClause: D.invalidControlClause,
  untilClause: D.invalidControlClause,
  logClause: D.invalidControlClause,
  recordClause: D.invalidControlClause,
  checkpointClause: D.invalidControlClause,
  program: D.invalidStatement,
};

/** The expression rules: an error inside one belongs to the construct that holds the expression. */
const EXPRESSION_RULES = new Set(['expression']);

/**
 * Chooses the code and the place of a parse error:
 * - the input ran out: GD1005 right after the last token;
 * - a required token or expression is absent and what follows starts a new statement (or, for a
 *   token, a new line): GD1004 right after the previous token, where the missing piece belongs;
 * - an error in an index, a shape, a control clause or between statements:
 *   that construct's own code (GD1009, GD1012, GD1008, GD1013, GD1007);
 * - otherwise GD1003 on the token found.
 */
function parseDiagnostic(file: string, text: string, e: IRecognitionException): Diagnostic {
  const found = e.token;
  const prev = (e as IRecognitionException & { previousToken?: IToken }).previousToken;
  const after: Span = real(prev) ? { file, start: tokenEnd(prev), end: tokenEnd(prev) } : { file, start: 0, end: 0 };
  if (!real(found)) {
    const end = trimmedEnd(text);
    const at = real(prev) ? after : { file, start: end, end };
    return D.unexpectedEndOfFile(at, e.message.replace(/, found the end of the file$/, ''));
  }
  const foundSpan: Span = { file, start: found.startOffset, end: tokenEnd(found) };
  const stack = e.context?.ruleStack ?? [];
  const mismatch = e.name === 'MismatchedTokenException';
  const inStatement = stack.length > 1;
  if (inStatement && real(prev) && (startsStatement(found) || (mismatch && startsNewLine(text, prev, found)))) {
    return D.missingToken(after, e.message, [{ message: `found ${describe(found)} here`, span: foundSpan }]);
  }
  let owner = stack.length - 1;
  while (owner > 0 && EXPRESSION_RULES.has(stack[owner]!)) owner--;
  const specific = RULE_CODES[stack[owner] ?? 'program'];
  if (stack[owner] === 'program' && owner === stack.length - 1) {
    const chained = found.tokenType.CATEGORIES?.includes(T.CompareOp) ?? false;
    return D.invalidStatement(foundSpan, e.message, chained ? 'comparisons do not chain: write (a < b) * (b < c)' : undefined);
  }
  if (specific && stack[owner] !== 'program') return specific(foundSpan, e.message);
  if (e.name === 'NotAllInputParsedException') return D.invalidStatement(foundSpan, e.message);
  return D.unexpectedToken(foundSpan, e.message);
}

/** Start offset of the first token at or after `offset` (-2 when none, which matches no span). */
function nextTokenStart(tokens: readonly IToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.startOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo < tokens.length ? tokens[lo]!.startOffset : -2;
}

function describe(t: IToken): string {
  return `'${t.image}'`;
}

function startsNewLine(text: string, prev: IToken, found: IToken): boolean {
  return text.slice(tokenEnd(prev), found.startOffset).includes('\n');
}

const STATEMENT_STARTS = new Set([T.Dim, T.Const, T.Data, T.Param, T.Particles, T.Let, T.Def, T.Minimize, T.Maximize, T.Phase, T.Prune, T.Init, T.Save, T.Import, T.Use]);

function startsStatement(t: IToken): boolean {
  return STATEMENT_STARTS.has(t.tokenType);
}

/** The offset just after the last non-blank character: where "end of file" is shown. */
function trimmedEnd(text: string): number {
  let i = text.length;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  return i;
}
