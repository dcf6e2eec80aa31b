/** Renders diagnostics for people (file:line:col, the source line, a caret underline, notes) and for machines (JSON). */
import type { Diagnostic } from './diagnostic.js';
import { CODES } from './codes.js';
import { lineCol, type Span } from './span.js';

/** Looks up a file's text by name; undefined when the file is unknown (then no excerpt is printed). */
export type SourceLookup = (file: string) => string | undefined;

export interface RenderOptions {
  /** Use ANSI colours. */
  readonly color?: boolean;
}

const ansi = (code: string, s: string, on: boolean) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

function location(span: Span, src: SourceLookup): string {
  const text = src(span.file);
  if (text === undefined) return span.file;
  const { line, col } = lineCol(text, span.start);
  return `${span.file}:${line}:${col}`;
}

/** The source line under a span with a caret/underline, or [] when the text is unavailable. */
function excerpt(span: Span, src: SourceLookup, color: boolean): string[] {
  const text = src(span.file);
  if (text === undefined) return [];
  const start = Math.max(0, Math.min(span.start, text.length));
  const { line, col } = lineCol(text, start);
  const lineStart = start - (col - 1);
  let lineEnd = text.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = text.length;
  const lineText = text.slice(lineStart, lineEnd).replace(/\r$/, '').replace(/\t/g, ' ');
  const width = Math.max(1, Math.min(span.end, lineEnd) - start);
  const gutter = String(line).length;
  const pad = ' '.repeat(gutter);
  const caret = (span.end > start ? '^'.repeat(width) : '^');
  return [
    `${pad} |`,
    `${line} | ${lineText}`,
    `${pad} | ${' '.repeat(col - 1)}${ansi('31;1', caret, color)}`,
  ];
}

/** Renders one diagnostic as the multi-line block users see. */
export function renderDiagnostic(d: Diagnostic, src: SourceLookup, opts: RenderOptions = {}): string {
  const color = opts.color ?? false;
  const sev = d.severity === 'error' ? ansi('31;1', 'error', color) : d.severity === 'warning' ? ansi('33;1', 'warning', color) : 'note';
  const where = d.span ? `${location(d.span, src)}: ` : '';
  const lines = [`${where}${sev}[${d.code}]: ${d.message}`];
  if (d.span) lines.push(...excerpt(d.span, src, color));
  for (const n of d.notes) {
    if (n.span) {
      lines.push(`note: ${n.message} (${location(n.span, src)})`);
      lines.push(...excerpt(n.span, src, color));
    } else {
      lines.push(`note: ${n.message}`);
    }
  }
  if (d.help) lines.push(`help: ${d.help}`);
  return lines.join('\n');
}

/** Renders a list of diagnostics separated by blank lines, with a summary line. */
export function renderDiagnostics(ds: readonly Diagnostic[], src: SourceLookup, opts: RenderOptions = {}): string {
  if (ds.length === 0) return '';
  const errors = ds.filter((d) => d.severity === 'error').length;
  const warnings = ds.filter((d) => d.severity === 'warning').length;
  const parts = ds.map((d) => renderDiagnostic(d, src, opts));
  const summary = [errors ? `${errors} error${errors === 1 ? '' : 's'}` : '', warnings ? `${warnings} warning${warnings === 1 ? '' : 's'}` : '']
    .filter(Boolean)
    .join(', ');
  return `${parts.join('\n\n')}\n\n${summary}`;
}

/** The JSON form of a diagnostic (`gd check --json`). Lines and columns are 1-based; endCol is exclusive. */
export interface DiagnosticJson {
  code: string;
  title: string;
  severity: string;
  message: string;
  file: string | null;
  line: number | null;
  col: number | null;
  endLine: number | null;
  endCol: number | null;
  notes: { message: string; file: string | null; line: number | null; col: number | null }[];
  help?: string;
}

export function diagnosticToJson(d: Diagnostic, src: SourceLookup): DiagnosticJson {
  const pos = (s: Span | undefined) => {
    if (!s) return { file: null, line: null, col: null, endLine: null, endCol: null };
    const text = src(s.file);
    if (text === undefined) return { file: s.file, line: null, col: null, endLine: null, endCol: null };
    const a = lineCol(text, s.start);
    const b = lineCol(text, s.end);
    return { file: s.file, line: a.line, col: a.col, endLine: b.line, endCol: b.col };
  };
  return {
    code: d.code,
    title: CODES[d.code].title,
    severity: d.severity,
    message: d.message,
    ...pos(d.span),
    notes: d.notes.map((n) => {
      const p = pos(n.span);
      return { message: n.message, file: p.file, line: p.line, col: p.col };
    }),
    ...(d.help ? { help: d.help } : {}),
  };
}
