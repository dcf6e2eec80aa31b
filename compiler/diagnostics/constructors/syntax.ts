/** Constructors for GD1xxx: lexical and syntax errors, one per code. */
import type { Diagnostic, DiagnosticNote } from '../diagnostic.js';
import { makeDiagnostic } from '../make.js';
import type { Span } from '../span.js';

export function unexpectedCharacter(span: Span, text: string): Diagnostic {
  return makeDiagnostic('GD1001', span, `unexpected character${text.length === 1 ? '' : 's'} '${text}'`, {
    help: 'comments start with #; strings use double quotes',
  });
}

export function unterminatedString(span: Span): Diagnostic {
  return makeDiagnostic('GD1002', span, 'unterminated string: the line ends before the closing "', {
    help: 'close the string with " on the same line',
  });
}

/** `message` reads "expected X, found Y". */
export function unexpectedToken(span: Span, message: string, help?: string): Diagnostic {
  return makeDiagnostic('GD1003', span, message, help ? { help } : {});
}

/** A token that should have been there is not; `span` sits right after the token it should follow. */
export function missingToken(span: Span, message: string, notes: readonly DiagnosticNote[] = [], help?: string): Diagnostic {
  return makeDiagnostic('GD1004', span, message, { notes, ...(help ? { help } : {}) });
}

export function unexpectedEndOfFile(span: Span, message: string): Diagnostic {
  return makeDiagnostic('GD1005', span, `unexpected end of file: ${message}`);
}

export function invalidNumber(span: Span, text: string): Diagnostic {
  return makeDiagnostic('GD1006', span, `invalid number '${text}'`, {
    help: 'numbers look like 3, 0.5, .5, 1e-3 or 2.5E+4; a name cannot start with a digit',
  });
}

export function invalidStatement(span: Span, message: string, help?: string): Diagnostic {
  return makeDiagnostic('GD1007', span, message, help ? { help } : {});
}

export function invalidShape(span: Span, message: string): Diagnostic {
  return makeDiagnostic('GD1008', span, message, { help: 'a shape is a bracketed list of sizes, e.g. [n, 10]' });
}

export function invalidLambda(span: Span, message: string): Diagnostic {
  return makeDiagnostic('GD1009', span, message, { help: 'a lambda looks like (x, y) => expr, with plain names as parameters' });
}

export function positionalAfterNamed(span: Span, firstNamed: Span): Diagnostic {
  return makeDiagnostic('GD1010', span, 'positional argument after a named argument', {
    notes: [{ message: 'the first named argument is here', span: firstNamed }],
    help: 'put positional arguments first, or name this one too',
  });
}

export function duplicateNamedArgument(span: Span, name: string, first: Span): Diagnostic {
  return makeDiagnostic('GD1011', span, `argument '${name}' is given twice`, {
    notes: [{ message: 'first given here', span: first }],
  });
}

export function invalidSlice(span: Span, message: string): Diagnostic {
  return makeDiagnostic('GD1012', span, message, { help: 'index with x[i], slice with x[a:b], x[:, 0], x[::2]' });
}

export function invalidControlClause(span: Span, message: string): Diagnostic {
  return makeDiagnostic('GD1013', span, message, {
    help: "run control reads: for N steps | until COND [max N steps] | log every K: ITEMS | record ITEMS [every K] to \"f.csv\" | checkpoint every K",
  });
}

export function invalidEscape(span: Span, text: string): Diagnostic {
  return makeDiagnostic('GD1014', span, `invalid escape '${text}' in string`, {
    help: 'known escapes: \\n \\t \\r \\0 \\" \\\\ \\u{hex}',
  });
}

/** A clause written twice in one declaration (`param w = zeros = ones`). */
export function duplicateClause(span: Span, what: string, first: Span): Diagnostic {
  return makeDiagnostic('GD1007', span, `${what} is given twice`, { notes: [{ message: 'first given here', span: first }] });
}

/** GD1015: an expression nesting deeper than the front end follows (brackets, signs, `^`, lambdas); the statement is left out. */
export function nestingTooDeep(span: Span, limit: number): Diagnostic {
  return makeDiagnostic('GD1015', span, `expression nested too deeply (more than ${limit} levels)`, {
    help: 'split it into let declarations',
  });
}
