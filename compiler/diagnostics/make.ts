/** The one place Diagnostic values are assembled; constructors/ call it, one constructor per code. */
import type { Code } from './codes.js';
import type { Diagnostic, DiagnosticNote, Severity } from './diagnostic.js';
import type { Span } from './span.js';

export interface MakeOptions {
  readonly notes?: readonly DiagnosticNote[];
  readonly help?: string;
  readonly severity?: Severity;
}

/** Builds a diagnostic. Only constructor modules should call this. */
export function makeDiagnostic(code: Code, span: Span | undefined, message: string, opts: MakeOptions = {}): Diagnostic {
  return {
    code,
    severity: opts.severity ?? 'error',
    message,
    ...(span ? { span } : {}),
    notes: opts.notes ?? [],
    ...(opts.help ? { help: opts.help } : {}),
  };
}

/** Formats a shape for messages: [200, 10], or "scalar" for []. */
export function showShape(shape: readonly (number | string)[]): string {
  return shape.length === 0 ? 'scalar []' : `[${shape.join(', ')}]`;
}
