/** The Diagnostic value: what every phase reports about user input (user errors are values, not exceptions). */
import type { Span } from './span.js';
import type { Code } from './codes.js';

export type Severity = 'error' | 'warning' | 'note';

/** A secondary location attached to a diagnostic, e.g. "declared here". */
export interface DiagnosticNote {
  readonly message: string;
  readonly span?: Span;
}

export interface Diagnostic {
  readonly code: Code;
  readonly severity: Severity;
  readonly message: string;
  /** Where the problem is; absent only for diagnostics about no file (CLI usage). */
  readonly span?: Span;
  readonly notes: readonly DiagnosticNote[];
  /** One line telling the user what to do, when there is something to say. */
  readonly help?: string;
}

/** True when any diagnostic is an error. */
export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** Sort by file, then position, then code: the order users read them in. */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort((a, b) => {
    const fa = a.span?.file ?? '';
    const fb = b.span?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const sa = a.span?.start ?? -1;
    const sb = b.span?.start ?? -1;
    if (sa !== sb) return sa - sb;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}
