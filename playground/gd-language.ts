/** Syntax highlighting for .gd in CodeMirror: a line tokenizer built from the grammar's own token patterns and keyword lists. */
import { StreamLanguage, type StringStream } from '@codemirror/language';
import type { TokenType } from 'chevrotain';
import { Comment, hardKeywords, NumberLit, softKeywords, StringLit } from '../grammar/tokens.js';

/** A keyword token's spelling: its pattern is the word itself (grammar/tokens.ts `hard`/`soft`). */
const wordOf = (t: TokenType): string => (t.PATTERN as RegExp).source;

const HARD = new Set(hardKeywords.map(wordOf));
const SOFT = new Set(softKeywords.map(wordOf));

/** A grammar pattern anchored at the stream position (StringStream.match needs `^`). */
const anchored = (t: TokenType): RegExp => new RegExp(`^(?:${(t.PATTERN as RegExp).source})`);
const COMMENT = anchored(Comment);
const NUMBER = anchored(NumberLit);
const STRING = anchored(StringLit);
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATOR = /^(?:=>|==|!=|<=|>=|[<>=+\-*/^@%])/;

function token(stream: StringStream): string | null {
  if (stream.eatSpace()) return null;
  if (stream.match(COMMENT)) return 'comment';
  if (stream.match(STRING)) return 'string';
  // An unterminated string runs to the end of the line (the parser reports it as GD1002).
  if (stream.peek() === '"') {
    stream.skipToEnd();
    return 'string';
  }
  if (stream.match(NUMBER)) return 'number';
  const id = stream.match(IDENT) as RegExpMatchArray | null;
  if (id) {
    const word = id[0];
    const call = /^\s*\(/.test(stream.string.slice(stream.pos));
    if (HARD.has(word)) return 'keyword';
    // Soft keywords are names wherever the grammar does not expect them; a call (`log(p)`, `max(x)`) is one.
    if (SOFT.has(word) && !call) return 'keyword';
    return call ? 'variableName.function' : 'variableName';
  }
  if (stream.match(OPERATOR)) return 'operator';
  stream.next();
  return 'punctuation';
}

/** The .gd language for CodeMirror (comments toggle with `#`). */
export const gdLanguage = StreamLanguage.define<null>({
  name: 'gd',
  startState: () => null,
  token,
  languageData: { commentTokens: { line: '#' } },
});
