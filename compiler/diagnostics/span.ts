/** Source spans: offsets into a file's text, kept beside nodes but never part of their meaning. */

/** A half-open range [start, end) of UTF-16 code-unit offsets into the text of `file`. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** A span covering both `a` and `b` (same file assumed). */
export function joinSpans(a: Span, b: Span): Span {
  return { file: a.file, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** A zero-width span at an offset. */
export function pointSpan(file: string, at: number): Span {
  return { file, start: at, end: at };
}

/** 1-based line and column of an offset in `text`. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.max(0, Math.min(offset, text.length));
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: end - lineStart + 1 };
}
