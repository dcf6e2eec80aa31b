/** Source text → AST plus syntax diagnostics: lexing, parsing with recovery, and AST building in one call. */
import { EOF, type IRecognitionException, type IToken } from 'chevrotain';
import { lex, type LexProblem } from '../grammar/lexer.js';
import { parseTokens } from '../grammar/parser.js';
import * as T from '../grammar/tokens.js';
import type { ProgramCstNode } from '../grammar/cst.js';
import { buildAst } from './ast/build-ast.js';
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
  const { tokens, problems } = lex(text);
  const { cst, errors } = parseTokens(tokens);
  const diagnostics: Diagnostic[] = problems.map((p) => lexDiagnostic(file, p));
  const lexedAt = new Set(problems.map((p) => p.start));
  // One diagnostic per token: the first error that lands on a token wins (later ones are recovery echoes).
  const taken = new Set<number>();
  for (const e of errors) {
    const d = parseDiagnostic(file, text, e);
    const key = d.span?.start ?? -1;
    if (taken.has(key) || lexedAt.has(key)) continue;
    taken.add(key);
    diagnostics.push(d);
  }
  const built = buildAst(cst as ProgramCstNode, file, text);
  for (const d of built.diagnostics) {
    const key = d.span?.start ?? -1;
    if (taken.has(key)) continue;
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

/** Rules whose errors have a more specific code than "unexpected token". */
const RULE_CODES: readonly [string, (span: Span, message: string) => Diagnostic][] = [
  ['lambda', D.invalidLambda],
  ['indexItem', D.invalidSlice],
  ['indexSuffix', D.invalidSlice],
  ['shape', D.invalidShape],
  ['forClause', D.invalidControlClause],
  ['untilClause', D.invalidControlClause],
  ['logClause', D.invalidControlClause],
  ['recordClause', D.invalidControlClause],
  ['checkpointClause', D.invalidControlClause],
];

/**
 * Chooses the code and the place of a parse error:
 * - the input ran out: GD1005 right after the last token;
 * - a required token is absent and what follows starts a new line or a new statement: GD1004 right
 *   after the previous token (where it belongs, not on the next line);
 * - an error inside a lambda, an index, a shape or a control clause: that construct's own code;
 * - otherwise GD1003 on the token found.
 */
function parseDiagnostic(file: string, text: string, e: IRecognitionException): Diagnostic {
  const found = e.token;
  const prev = (e as IRecognitionException & { previousToken?: IToken }).previousToken;
  const after: Span = real(prev) ? { file, start: prev.endOffset! + 1, end: prev.endOffset! + 1 } : { file, start: 0, end: 0 };
  if (!real(found)) {
    const end = trimmedEnd(text);
    const at = real(prev) ? after : { file, start: end, end };
    return D.unexpectedEndOfFile(at, e.message);
  }
  const foundSpan: Span = { file, start: found.startOffset, end: found.endOffset! + 1 };
  const stack = e.context?.ruleStack ?? [];
  const innermost = stack[stack.length - 1];
  const specific = RULE_CODES.find(([rule]) => rule === innermost);
  if (e.name === 'MismatchedTokenException' && real(prev) && (startsNewLine(text, prev, found) || startsStatement(found))) {
    return D.missingToken(after, e.message, [{ message: `found ${describe(found)} here`, span: foundSpan }]);
  }
  if (specific) return specific[1](foundSpan, e.message);
  if (e.name === 'NotAllInputParsedException') return D.invalidStatement(foundSpan, e.message);
  return D.unexpectedToken(foundSpan, e.message);
}

function describe(t: IToken): string {
  return `'${t.image}'`;
}

function startsNewLine(text: string, prev: IToken, found: IToken): boolean {
  return text.slice(prev.endOffset! + 1, found.startOffset).includes('\n');
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
