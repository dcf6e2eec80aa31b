/** Lexer: token kinds, soft vs hard keywords, literals, and the lexical problems it reports. */
import { describe, expect, it } from 'vitest';
import { Lexer, tokenMatcher } from 'chevrotain';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeString, lex, tokenEnd } from '../../grammar/lexer.js';
import * as T from '../../grammar/tokens.js';

const kinds = (src: string) => lex(src).tokens.map((t) => t.tokenType.name);
const images = (src: string) => lex(src).tokens.map((t) => t.image);

describe('lexer', () => {
  it('lexes numbers in every documented spelling, and 8/255 as a division', () => {
    expect(images('1e-3 .5 2.5E+4 10 3. 8/255')).toEqual(['1e-3', '.5', '2.5E+4', '10', '3.', '8', '/', '255']);
    expect(kinds('8/255')).toEqual(['NumberLit', 'Slash', 'NumberLit']);
    expect(lex('1e-3 .5 2.5E+4').problems).toEqual([]);
  });

  it('skips comments and whitespace, newlines included', () => {
    expect(images('let a = 1 # the rest is ignored\n  # whole line\nlet b')).toEqual(['let', 'a', '=', '1', 'let', 'b']);
  });

  it('records where every token starts and ends', () => {
    const toks = lex('let  abc = 12').tokens;
    expect(toks.map((t) => [t.startOffset, tokenEnd(t)])).toEqual([
      [0, 3],
      [5, 8],
      [9, 10],
      [11, 13],
    ]);
  });

  it('keeps builtin names as plain identifiers and lets names start with keywords', () => {
    for (const name of ['exp', 'sum', 'mean', 'entropy', 'gd', 'adam', 'simplex', 'mirror', 'steps_total', 'data2', 'inner', 'format']) {
      expect(kinds(name)).toEqual(['Identifier']);
    }
  });

  it('makes soft keywords match the Identifier category but hard keywords not', () => {
    for (const word of ['log', 'max', 'steps', 'every', 'batch', 'per', 'keep', 'from', 'to']) {
      const [t] = lex(word).tokens;
      expect(t!.tokenType.name).not.toBe('Identifier');
      expect(tokenMatcher(t!, T.Identifier)).toBe(true);
    }
    for (const word of ['dim', 'data', 'param', 'in', 'over', 'by', 'for', 'until', 'record', 'checkpoint', 'minimize']) {
      const [t] = lex(word).tokens;
      expect(tokenMatcher(t!, T.Identifier)).toBe(false);
    }
  });

  it('lexes longest operators first', () => {
    expect(kinds('<= >= == != => < > = ^ @ %')).toEqual(['LtEq', 'GtEq', 'EqEq', 'NotEq', 'Arrow', 'Lt', 'Gt', 'Equals', 'Caret', 'At', 'Percent']);
  });

  it('decodes string escapes', () => {
    expect(decodeString(String.raw`"a\"b\\c\nd\te\u{41}"`)).toBe('a"b\\c\nd\teA');
    expect(decodeString('"plain"')).toBe('plain');
  });

  it('reports an unexpected character with its offset and goes on lexing', () => {
    const r = lex('let a = 3 $ 4');
    expect(r.problems).toEqual([{ kind: 'unexpected-character', start: 10, end: 11, text: '$' }]);
    expect(images('let a = 3 $ 4')).toEqual(['let', 'a', '=', '3', '4']);
  });

  it('reports an unterminated string and turns it into a string token', () => {
    const r = lex('import "lib/net.gd\nuse std.mfld');
    expect(r.problems).toEqual([{ kind: 'unterminated-string', start: 7, end: 18, text: '"lib/net.gd' }]);
    expect(r.tokens.map((t) => t.tokenType)).toEqual([T.Import, T.StringLit, T.Use, T.Identifier, T.Dot, T.Identifier]);
    expect(decodeString(r.tokens[1]!.image)).toBe('lib/net.gd');
  });

  it('reports invalid escapes and malformed numbers', () => {
    expect(lex(String.raw`"a\qb"`).problems).toEqual([{ kind: 'invalid-escape', start: 2, end: 4, text: '\\q' }]);
    expect(lex('1e 2x 3e+').problems.map((p) => [p.kind, p.text])).toEqual([
      ['invalid-number', '1e'],
      ['invalid-number', '2x'],
      ['invalid-number', '3e+'],
    ]);
  });
});

/**
 * The hand-written scanner against a chevrotain Lexer built from the token definitions of tokens.ts
 * (first match in order, keywords with `longer_alt`, unexpected characters dropped up to where a token
 * can start): same tokens, same offsets, same unexpected-character runs.
 */
describe('scanner matches the chevrotain lexer of tokens.ts', () => {
  const reference = new Lexer(T.allTokens, { positionTracking: 'onlyOffset' });
  function expectSame(text: string): void {
    const ref = reference.tokenize(text);
    const ours = lex(text);
    const refTokens = ref.tokens.map((t) => `${t.tokenType === T.UnterminatedString ? 'StringLit' : t.tokenType.name}@${t.startOffset}:${t.image}`);
    expect(ours.tokens.map((t) => `${t.tokenType.name}@${t.startOffset}:${t.image}`), JSON.stringify(text)).toEqual(refTokens);
    const refRuns = ref.errors.map((e) => `${e.offset}+${e.length}`);
    const ourRuns = ours.problems.filter((p) => p.kind === 'unexpected-character').map((p) => `${p.start}+${p.end - p.start}`);
    expect(ourRuns, JSON.stringify(text)).toEqual(refRuns);
  }

  it('on every example', () => {
    const dir = join(import.meta.dirname, '../../examples');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.gd'))) expectSame(readFileSync(join(dir, f), 'utf8'));
  });

  it('on random text made of the characters and words that matter', () => {
    const pieces = [
      ' ', '\n', '\t', '\r', '\v', '#', '"', '\\', 'a', '_', 'Z', '0', '7', '.', 'e', 'E', '+', '-', '=', '>', '<', '!', '*', '/', '^', '@', '%',
      '(', ')', '[', ']', '{', '}', ',', ':', '$', '?', '~', '`', "'", '\u00e9', '\u2003', '\ud83d\ude00', 'in', 'init', 'import', 'max', 'maximize',
      'steps', 'steps_total', 'log', 'per', 'param', 'particles', 'to', 'for', 'from', 'prune', 'dim', 'batch', '1e', '1e-3', '.5', '3.', '2x', '1.T',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (parts) => expectSame(parts.join(''))),
      { numRuns: 3000, seed: 7 },
    );
  });
});
