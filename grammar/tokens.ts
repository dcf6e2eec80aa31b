/** The token vocabulary of .gd: hard keywords, soft keywords (usable as names), operators, literals, trivia. */
import { createToken, Lexer, type TokenType } from 'chevrotain';

// Identifier comes first because keywords name it as their `longer_alt` (so `steps_total` is one name).
export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

/**
 * Hard keywords start a statement or separate the parts of one; they can never be names, which keeps
 * error recovery sharp: a statement keyword always resynchronises the parser.
 */
function hard(word: string): TokenType {
  return createToken({ name: kwName(word), pattern: new RegExp(word), longer_alt: Identifier });
}

/**
 * Soft keywords are structural only where the grammar expects them and plain names everywhere else
 * (`log every 10: loss` vs `log(p)`, `until c max 100 steps` vs `max(x)`, a data set called `batch`).
 * They belong to the Identifier category, so any rule consuming a name accepts them.
 */
function soft(word: string): TokenType {
  return createToken({ name: kwName(word), pattern: new RegExp(word), longer_alt: Identifier, categories: [Identifier] });
}

function kwName(word: string): string {
  return `Kw${word[0]!.toUpperCase()}${word.slice(1)}`;
}

// Statement starters.
export const Dim = hard('dim');
export const Const = hard('const');
export const Data = hard('data');
export const Param = hard('param');
export const Particles = hard('particles');
export const Let = hard('let');
export const Def = hard('def');
export const Minimize = hard('minimize');
export const Maximize = hard('maximize');
export const Phase = hard('phase');
export const Prune = hard('prune');
export const Init = hard('init');
export const Save = hard('save');
export const Import = hard('import');
export const Use = hard('use');
// Separators inside statements and control-clause starters.
export const In = hard('in');
export const Over = hard('over');
export const By = hard('by');
export const For = hard('for');
export const Until = hard('until');
export const Record = hard('record');
export const Checkpoint = hard('checkpoint');

// Soft keywords.
export const Log = soft('log');
export const Max = soft('max');
export const Steps = soft('steps');
export const Every = soft('every');
export const Batch = soft('batch');
export const Per = soft('per');
export const Keep = soft('keep');
export const From = soft('from');
export const To = soft('to');

/** Every keyword, hard then soft; order inside the lexer does not matter thanks to `longer_alt`. */
export const hardKeywords = [
  Dim, Const, Data, Param, Particles, Let, Def, Minimize, Maximize, Phase, Prune, Init, Save, Import, Use,
  In, Over, By, For, Until, Record, Checkpoint,
] as const;
export const softKeywords = [Log, Max, Steps, Every, Batch, Per, Keep, From, To] as const;

// Literals. A number is lexed greedily together with any letters glued to it (`2x`, `1e`), so a
// malformed literal is one token the front end can report as GD1006 instead of a confusing pair;
// a dot followed by a letter is left alone so that `1.T` reads as `1` `.T`.
export const NumberLit = createToken({
  name: 'NumberLit',
  pattern: /(?:\d+(?:\.(?![A-Za-z_])\d*)?|\.\d+)(?:[eE][+-]?\d*)?[A-Za-z_0-9]*/,
});
export const StringLit = createToken({ name: 'StringLit', pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*"/ });
/** A string that reaches the end of its line: reported as GD1002 and then parsed as if it were closed. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*\\?/,
});

// Operator categories: the parser consumes a category, the AST builder reads the actual token.
export const CompareOp = createToken({ name: 'CompareOp', pattern: Lexer.NA });
export const AddOp = createToken({ name: 'AddOp', pattern: Lexer.NA });
export const MulOp = createToken({ name: 'MulOp', pattern: Lexer.NA });
/** Every binary operator: expressions are parsed flat and precedence is applied by the AST builder. */
export const BinaryOp = createToken({ name: 'BinaryOp', pattern: Lexer.NA });

// Operators and punctuation (longer spellings first).
export const Arrow = createToken({ name: 'Arrow', pattern: /=>/ });
export const EqEq = createToken({ name: 'EqEq', categories: [CompareOp, BinaryOp], pattern: /==/ });
export const NotEq = createToken({ name: 'NotEq', categories: [CompareOp, BinaryOp], pattern: /!=/ });
export const LtEq = createToken({ name: 'LtEq', categories: [CompareOp, BinaryOp], pattern: /<=/ });
export const GtEq = createToken({ name: 'GtEq', categories: [CompareOp, BinaryOp], pattern: />=/ });
export const Lt = createToken({ name: 'Lt', categories: [CompareOp, BinaryOp], pattern: /</ });
export const Gt = createToken({ name: 'Gt', categories: [CompareOp, BinaryOp], pattern: />/ });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
export const Plus = createToken({ name: 'Plus', categories: [AddOp, BinaryOp], pattern: /\+/ });
export const Minus = createToken({ name: 'Minus', categories: [AddOp, BinaryOp], pattern: /-/ });
export const Star = createToken({ name: 'Star', categories: [MulOp, BinaryOp], pattern: /\*/ });
export const Slash = createToken({ name: 'Slash', categories: [MulOp, BinaryOp], pattern: /\// });
export const Caret = createToken({ name: 'Caret', categories: [BinaryOp], pattern: /\^/ });
export const At = createToken({ name: 'At', categories: [MulOp, BinaryOp], pattern: /@/ });
export const Percent = createToken({ name: 'Percent', pattern: /%/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /]/ });
export const LBrace = createToken({ name: 'LBrace', pattern: /{/ });
export const RBrace = createToken({ name: 'RBrace', pattern: /}/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const Dot = createToken({ name: 'Dot', pattern: /\./ });

// Trivia: newlines are not significant (every statement starts with a keyword).
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n\r]*/, group: Lexer.SKIPPED });

/** Lexer order: trivia, keywords before Identifier, literals, then operators with longer spellings first. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  CompareOp,
  AddOp,
  MulOp,
  BinaryOp,
  ...hardKeywords,
  ...softKeywords,
  Identifier,
  NumberLit,
  StringLit,
  UnterminatedString,
  Arrow,
  EqEq,
  NotEq,
  LtEq,
  GtEq,
  Lt,
  Gt,
  Equals,
  Plus,
  Minus,
  Star,
  Slash,
  Caret,
  At,
  Percent,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Comma,
  Colon,
  Dot,
];
