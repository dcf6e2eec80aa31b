/** Finds the comments of a .gd text: the lexer skips them, so they are read from the gaps between tokens. */
import { lex, tokenEnd } from '../../grammar/lexer.js';

/** A `# ...` comment: `text` is the comment as written (from `#`, trailing blanks removed), [start, end) its place. */
export interface GdComment {
  readonly kind: 'Comment';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const COMMENT = /#[^\n\r]*/g;

/**
 * Every comment of `text`, in order. Strings are tokens, so a `#` inside a string is never taken for a
 * comment; between tokens there is only whitespace and comments (or characters the lexer rejected,
 * which make the text unformattable anyway).
 */
export function extractComments(text: string): GdComment[] {
  const { tokens } = lex(text);
  const out: GdComment[] = [];
  let from = 0;
  const scan = (to: number) => {
    const gap = text.slice(from, to);
    for (const m of gap.matchAll(COMMENT)) {
      const raw = m[0].replace(/\s+$/, '');
      const start = from + m.index!;
      out.push({ kind: 'Comment', text: raw, start, end: start + raw.length });
    }
  };
  for (const t of tokens) {
    scan(t.startOffset);
    from = tokenEnd(t);
  }
  scan(text.length);
  return out;
}
