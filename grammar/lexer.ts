/**
 * Turns .gd source into tokens once per text, and reports lexical problems as plain data (grammar/ knows no diagnostics).
 * The scanner is hand-written (one switch on the character) and yields parallel arrays, so the fast parser
 * reads a file without one object per token; `lex` turns a scan into chevrotain tokens for the recovering
 * parser. The token definitions in tokens.ts stay the specification: test/unit/lexer.test.ts checks that
 * the scanner and a chevrotain Lexer built from them produce the same tokens and errors.
 */
import type { IToken, TokenType } from 'chevrotain';
import * as T from './tokens.js';

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

/** Tokens as parallel arrays: token i is `TOKEN_TYPES[types[i]]` at [starts[i], ends[i]). An unclosed string is a StringLit. */
export interface Scan {
  readonly count: number;
  readonly types: Uint16Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly problems: LexProblem[];
}

/** Token types by tokenTypeIdx (what `Scan.types` holds). */
export const TOKEN_TYPES: readonly TokenType[] = (() => {
  const out: TokenType[] = [];
  for (const t of T.allTokens) out[t.tokenTypeIdx!] = t;
  return out;
})();

const VALID_NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const ESCAPE = /\\(u\{[0-9A-Fa-f]{1,6}\}|.)/g;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '0': '\0' };

// Sticky copies of the literal patterns of tokens.ts: the scanner matches them where they can start.
const NUMBER = new RegExp((T.NumberLit.PATTERN as RegExp).source, 'y');
const STRING = new RegExp((T.StringLit.PATTERN as RegExp).source, 'y');
const UNTERMINATED = new RegExp((T.UnterminatedString.PATTERN as RegExp).source, 'y');

/** Whole words that are keywords (a keyword glued to more name characters is a name: `steps_total`). */
const KEYWORDS: ReadonlyMap<string, number> = new Map([...T.hardKeywords, ...T.softKeywords].map((t) => [(t.PATTERN as RegExp).source, t.tokenTypeIdx!]));

const idx = (t: TokenType): number => t.tokenTypeIdx!;
const ID = idx(T.Identifier);
const NUM = idx(T.NumberLit);
const STR = idx(T.StringLit);
const ARROW = idx(T.Arrow);
const EQEQ = idx(T.EqEq);
const NOTEQ = idx(T.NotEq);
const LTEQ = idx(T.LtEq);
const GTEQ = idx(T.GtEq);
/** Single-character tokens by character code (0: none). */
const SINGLE = new Uint8Array(128);
for (const [ch, t] of [
  ['+', T.Plus], ['-', T.Minus], ['*', T.Star], ['/', T.Slash], ['^', T.Caret], ['@', T.At], ['%', T.Percent],
  ['(', T.LParen], [')', T.RParen], ['[', T.LBracket], [']', T.RBracket], ['{', T.LBrace], ['}', T.RBrace],
  [',', T.Comma], [':', T.Colon], ['.', T.Dot], ['=', T.Equals], ['<', T.Lt], ['>', T.Gt],
] as const) SINGLE[ch.charCodeAt(0)] = idx(t);

const isWordStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isWordChar = (c: number) => isWordStart(c) || isDigit(c);
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/** Whether some token (or trivia) matches at `i`: where the lexer resumes after unexpected characters. */
function tokenStartsAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128 && SINGLE[c] !== 0) return true;
  if (isSpace(c) || isWordStart(c) || isDigit(c) || c === 35 /* # */ || c === 34 /* " */) return true;
  return c === 33 /* ! */ && text.charCodeAt(i + 1) === 61;
}

/** Scans `text`. Problems do not stop scanning: an unclosed string becomes a closed one so parsing can go on. */
export function scan(text: string): Scan {
  const n = text.length;
  // A token needs at least one character: n + 1 slots always suffice.
  let cap = Math.min(n + 1, 1024);
  let types = new Uint16Array(cap);
  let starts = new Int32Array(cap);
  let ends = new Int32Array(cap);
  const problems: LexProblem[] = [];
  let count = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    let type = 0;
    const start = i;
    if (isSpace(c)) {
      i++;
      while (i < n && isSpace(text.charCodeAt(i))) i++;
      continue;
    } else if (c === 35 /* # */) {
      i++;
      for (let d = text.charCodeAt(i); i < n && d !== 10 && d !== 13; d = text.charCodeAt(++i));
      continue;
    } else if (isWordStart(c)) {
      i++;
      while (i < n && isWordChar(text.charCodeAt(i))) i++;
      type = i - start <= 10 ? (KEYWORDS.get(text.slice(start, i)) ?? ID) : ID;
    } else if (isDigit(c) || (c === 46 /* . */ && isDigit(text.charCodeAt(i + 1)))) {
      NUMBER.lastIndex = i;
      NUMBER.test(text);
      i = NUMBER.lastIndex;
      type = NUM;
      if (!VALID_NUMBER.test(text.slice(start, i))) problems.push({ kind: 'invalid-number', start, end: i, text: text.slice(start, i) });
    } else if (c === 34 /* " */) {
      STRING.lastIndex = i;
      if (STRING.test(text)) i = STRING.lastIndex;
      else {
        UNTERMINATED.lastIndex = i;
        UNTERMINATED.test(text);
        i = UNTERMINATED.lastIndex;
        problems.push({ kind: 'unterminated-string', start, end: i, text: text.slice(start, i) });
      }
      type = STR;
      checkEscapes(text.slice(start, i), start, problems);
    } else {
      const d = text.charCodeAt(i + 1);
      if (c === 61 /* = */ && d === 62) type = ARROW;
      else if (c === 61 && d === 61) type = EQEQ;
      else if (c === 33 /* ! */ && d === 61) type = NOTEQ;
      else if (c === 60 /* < */ && d === 61) type = LTEQ;
      else if (c === 62 /* > */ && d === 61) type = GTEQ;
      if (type !== 0) i += 2;
      else if (c < 128 && SINGLE[c] !== 0) {
        type = SINGLE[c]!;
        i++;
      } else {
        // Unexpected characters: one problem for the whole run up to where some token can start.
        i++;
        while (i < n && !tokenStartsAt(text, i)) i++;
        problems.push({ kind: 'unexpected-character', start, end: i, text: text.slice(start, i) });
        continue;
      }
    }
    if (count === cap) {
      cap = Math.min(n + 1, cap * 4);
      const t2 = new Uint16Array(cap);
      const s2 = new Int32Array(cap);
      const e2 = new Int32Array(cap);
      t2.set(types);
      s2.set(starts);
      e2.set(ends);
      types = t2;
      starts = s2;
      ends = e2;
    }
    types[count] = type;
    starts[count] = start;
    ends[count] = i;
    count++;
  }
  if (problems.length > 1) problems.sort((a, b) => a.start - b.start);
  return { count, types, starts, ends, problems };
}

/** Lexes `text` into chevrotain tokens (for the recovering parser and the formatter). */
export function lex(text: string): LexResult {
  return tokensOf(text, scan(text));
}

/** The chevrotain tokens of a scan (the shape chevrotain's own lexer gives with positionTracking 'onlyOffset'). */
export function tokensOf(text: string, s: Scan): LexResult {
  const tokens: IToken[] = new Array<IToken>(s.count);
  for (let i = 0; i < s.count; i++) {
    const tokenType = TOKEN_TYPES[s.types[i]!]!;
    tokens[i] = { image: text.slice(s.starts[i]!, s.ends[i]!), startOffset: s.starts[i]!, tokenTypeIdx: s.types[i]!, tokenType } as IToken;
  }
  return { tokens, problems: s.problems };
}

/** The offset just past a lexed token (tokens carry only their start offset). */
export function tokenEnd(t: IToken): number {
  return t.startOffset + t.image.length;
}

function checkEscapes(image: string, at: number, problems: LexProblem[]): void {
  if (!image.includes('\\')) return;
  for (const m of image.matchAll(ESCAPE)) {
    if (decodeEscape(m[1]!) === undefined) {
      const start = at + m.index!;
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
