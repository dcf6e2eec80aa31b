/** Turns .gd source into tokens once per text, and reports lexical problems as plain data (grammar/ knows no diagnostics). */
import { createTokenInstance, Lexer, type IToken } from 'chevrotain';
import { allTokens, NumberLit, StringLit, UnterminatedString } from './tokens.js';

/** A lexical problem at [start, end): an unknown character, an unclosed string, a bad escape or number. */
export interface LexProblem {
  readonly kind: 'unexpected-character' | 'unterminated-string' | 'invalid-escape' | 'invalid-number';
  readonly start: number;
  readonly end: number;
  /** The offending text. */
  readonly text: string;
}

export interface LexResult {
  readonly tokens: IToken[];
  readonly problems: LexProblem[];
}

// Built once: chevrotain's lexer analysis is the expensive part, lexing itself is cheap.
// 'onlyOffset' records start offsets only (no end offset, no lines): a token ends at startOffset +
// image.length, which `tokenEnd` computes; skipping line tracking makes lexing several times faster.
const lexer = new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true });

const VALID_NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const ESCAPE = /\\(u\{[0-9A-Fa-f]{1,6}\}|.)/g;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '0': '\0' };

/** Lexes `text`. Problems do not stop lexing: an unclosed string becomes a closed one so parsing can go on. */
export function lex(text: string): LexResult {
  const result = lexer.tokenize(text);
  const problems: LexProblem[] = result.errors.map((e) => ({
    kind: 'unexpected-character',
    start: e.offset,
    end: e.offset + e.length,
    text: text.slice(e.offset, e.offset + e.length),
  }));
  const tokens = result.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.tokenType === UnterminatedString) {
      problems.push({ kind: 'unterminated-string', start: t.startOffset, end: tokenEnd(t), text: t.image });
      const fixed = createTokenInstance(StringLit, t.image, t.startOffset, tokenEnd(t) - 1, NaN, NaN, NaN, NaN);
      tokens[i] = fixed;
      checkEscapes(fixed, problems);
    } else if (t.tokenType === StringLit) {
      checkEscapes(t, problems);
    } else if (t.tokenType === NumberLit && !VALID_NUMBER.test(t.image)) {
      problems.push({ kind: 'invalid-number', start: t.startOffset, end: tokenEnd(t), text: t.image });
    }
  }
  problems.sort((a, b) => a.start - b.start);
  return { tokens, problems };
}

/** The offset just past a lexed token (tokens carry only their start offset). */
export function tokenEnd(t: IToken): number {
  return t.startOffset + t.image.length;
}

function checkEscapes(t: IToken, problems: LexProblem[]): void {
  if (!t.image.includes('\\')) return;
  for (const m of t.image.matchAll(ESCAPE)) {
    if (decodeEscape(m[1]!) === undefined) {
      const start = t.startOffset + m.index!;
      problems.push({ kind: 'invalid-escape', start, end: start + m[0].length, text: m[0] });
    }
  }
}

function decodeEscape(body: string): string | undefined {
  if (body.startsWith('u{') && body.length > 3) {
    const cp = parseInt(body.slice(2, -1), 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : undefined;
  }
  return SIMPLE_ESCAPES[body];
}

/**
 * The value of a string token's image (quotes removed, escapes resolved; an unclosed string has no
 * closing quote to remove; an invalid escape stands for its own character, it was reported already).
 */
export function decodeString(image: string): string {
  const closed = image.length >= 2 && image.endsWith('"') && !isEscapedQuoteAtEnd(image);
  const body = image.slice(1, closed ? -1 : image.length);
  return body.replace(ESCAPE, (_, e: string) => decodeEscape(e) ?? e.slice(-1));
}

function isEscapedQuoteAtEnd(image: string): boolean {
  // `"abc\"` unterminated: the last quote is escaped when an odd number of backslashes precede it.
  let n = 0;
  for (let i = image.length - 2; i >= 1 && image[i] === '\\'; i--) n++;
  return n % 2 === 1;
}
