/**
 * Finds, from the tokens alone and before any parser runs, the statements nested too deeply for the
 * recursive parts of the front end (both parsers, the AST builder, the checker, the formatter).
 *
 * Depth counts what makes those walkers recurse: each open `(` or `[`, each prefix sign and `^` of a
 * chain (`- - x`, `a ^ b ^ c` nest to the right; another binary operator ends the chain, since
 * `a + b + c` nests to the left and is walked iteratively), and each `=>` until its body ends (at the
 * closing bracket, or at `,` `:` `=` or a keyword on its level). A statement deeper than the limit is
 * cut out of the token stream by compiler/parse.ts and reported instead of parsed.
 */
import * as T from './tokens.js';
import type { Scan } from './lexer.js';

/** Deepest nesting the front end accepts; far beyond written programs, far below the stack's reach. */
export const MAX_NESTING = 256;

/** Tokens [from, to) of a statement that nests deeper than the limit; `at` is the token that crossed it. */
export interface DeepStatement {
  readonly from: number;
  readonly to: number;
  readonly at: number;
}

const enum K {
  Other,
  Statement, // starts a statement, or a `{` `}` of a phase
  Open,
  Close,
  Arrow,
  Sign, // `+` `-`: a prefix sign unless an operand ends just before it
  Caret,
  Binary, // any other binary operator
  Separator, // `,` `:` `=` and keywords: a new expression starts on this level
  OperandEnd, // a name, number, string: what a binary `+` or `-` follows
}

const KIND: K[] = [];
const set = (ts: readonly { tokenTypeIdx?: number }[], k: K) => {
  for (const t of ts) KIND[t.tokenTypeIdx!] = k;
};
set([T.Dim, T.Const, T.Data, T.Param, T.Particles, T.Let, T.Def, T.Minimize, T.Maximize, T.Phase, T.Prune, T.Init, T.Save, T.Import, T.Use, T.LBrace, T.RBrace], K.Statement);
set([T.LParen, T.LBracket], K.Open);
set([T.RParen, T.RBracket], K.Close);
set([T.Arrow], K.Arrow);
set([T.Plus, T.Minus], K.Sign);
set([T.Caret], K.Caret);
set([T.EqEq, T.NotEq, T.LtEq, T.GtEq, T.Lt, T.Gt, T.Star, T.Slash, T.At], K.Binary);
set([T.Comma, T.Colon, T.Equals, T.In, T.Over, T.By, T.For, T.Until, T.Record, T.Checkpoint], K.Separator);
set([T.Identifier, ...T.softKeywords, T.NumberLit, T.StringLit], K.OperandEnd);

/** The statements of `s` nesting deeper than `limit`, in order. Linear in the number of tokens. */
export function deepStatements(s: Scan, limit = MAX_NESTING): DeepStatement[] {
  const out: DeepStatement[] = [];
  // Per open level (index 0: the statement itself): the sign/`^` chain and the lambdas open on it.
  const chain: number[] = [0];
  const lambdas: number[] = [0];
  let depth = 0;
  let from = 0;
  let at = -1;
  let prev = K.Other;
  const deeper = (i: number) => {
    depth++;
    if (depth > limit && at < 0) at = i;
  };
  for (let i = 0; i < s.count; i++) {
    let k = KIND[s.types[i]!] ?? K.Other;
    if (k === K.Sign && (prev === K.OperandEnd || prev === K.Close)) k = K.Binary;
    const top = chain.length - 1;
    switch (k) {
      case K.Statement:
        if (at >= 0) out.push({ from, to: i, at });
        at = -1;
        depth = 0;
        chain.length = lambdas.length = 1;
        chain[0] = lambdas[0] = 0;
        from = s.types[i] === T.LBrace.tokenTypeIdx || s.types[i] === T.RBrace.tokenTypeIdx ? i + 1 : i;
        break;
      case K.Open:
        chain.push(0);
        lambdas.push(0);
        deeper(i);
        break;
      case K.Close:
        if (top > 0) depth -= 1 + chain.pop()! + lambdas.pop()!;
        break;
      case K.Arrow:
        lambdas[top]!++;
        deeper(i);
        break;
      case K.Sign:
      case K.Caret:
        chain[top]!++;
        deeper(i);
        break;
      case K.Binary:
        depth -= chain[top]!;
        chain[top] = 0;
        break;
      case K.Separator:
        depth -= chain[top]! + lambdas[top]!;
        chain[top] = lambdas[top] = 0;
        break;
    }
    prev = k;
  }
  if (at >= 0) out.push({ from, to: s.count, at });
  return out;
}

/** `s` without the tokens of `cut` (ranges in order, not overlapping). */
export function withoutStatements(s: Scan, cut: readonly DeepStatement[]): Scan {
  const types = new Uint16Array(s.count);
  const starts = new Int32Array(s.count);
  const ends = new Int32Array(s.count);
  let n = 0;
  let next = 0;
  for (let i = 0; i < s.count; i++) {
    while (next < cut.length && cut[next]!.to <= i) next++;
    if (next < cut.length && cut[next]!.from <= i) continue;
    types[n] = s.types[i]!;
    starts[n] = s.starts[i]!;
    ends[n] = s.ends[i]!;
    n++;
  }
  return { count: n, types, starts, ends, problems: s.problems };
}
