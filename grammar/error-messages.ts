/** Human wording for parse errors: "expected ')', found 'for'" instead of chevrotain's token-type names. */
import { EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import * as T from './tokens.js';

/** What people call each token kind when it is expected. */
const EXPECTED_NAMES: ReadonlyMap<TokenType, string> = new Map<TokenType, string>([
  [T.Identifier, 'a name'],
  [T.NumberLit, 'a number'],
  [T.StringLit, 'a string'],
  [T.CompareOp, 'a comparison'],
  [T.AddOp, "'+' or '-'"],
  [T.MulOp, "'*', '/' or '@'"],
  [EOF, 'the end of the file'],
]);

/** How each rule reads in "expected X": what the user was in the middle of writing. */
const RULE_WHAT: Readonly<Record<string, string>> = {
  program: 'a statement',
  statement: 'a statement (dim, const, data, param, particles, let, def, minimize, maximize, phase, prune, init, save, import or use)',
  control: "a run-control clause ('for', 'until', 'log', 'record' or 'checkpoint')",
  expression: 'an expression',
};

/** `'for'`, `a name`, `the end of the file`: how a token kind reads when it is what the parser wanted. */
export function expectedName(t: TokenType): string {
  const known = EXPECTED_NAMES.get(t);
  if (known) return known;
  const pattern = t.PATTERN;
  if (pattern instanceof RegExp) return `'${pattern.source.replace(/\\/g, '')}'`;
  return t.name;
}

/** How the token actually found reads in a message. */
export function foundName(tok: IToken): string {
  if (tok.tokenType === EOF) return 'the end of the file';
  if (tok.tokenType === T.NumberLit) return `number '${tok.image}'`;
  if (tok.tokenType === T.StringLit) return `string ${tok.image}`;
  if (tok.tokenType === T.Identifier) return `name '${tok.image}'`;
  if (T.hardKeywords.includes(tok.tokenType as never)) return `keyword '${tok.image}'`;
  return `'${tok.image}'`;
}

/** The first token of each alternative path, deduplicated, in grammar order. */
function firstTokens(paths: TokenType[][][]): TokenType[] {
  const seen: TokenType[] = [];
  for (const alt of paths) for (const path of alt) if (path[0] && !seen.includes(path[0])) seen.push(path[0]);
  return seen;
}

function oneOf(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? 'something else';
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

export const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    // Only the top-level repetition expects the end of the file: what it really wants is another statement.
    if (expected === EOF) return `expected ${RULE_WHAT.statement}, found ${foundName(actual)}`;
    return `expected ${expectedName(expected)}, found ${foundName(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `expected ${RULE_WHAT.statement}, found ${foundName(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, customUserDescription, ruleName }) {
    const what = customUserDescription ? RULE_WHAT[ruleName] ?? customUserDescription : oneOf(firstTokens(expectedPathsPerAlt).map(expectedName));
    return `expected ${what}, found ${foundName(actual[0]!)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, customUserDescription }) {
    const what = customUserDescription ?? oneOf(firstTokens([expectedIterationPaths]).map(expectedName));
    return `expected ${what}, found ${foundName(actual[0]!)}`;
  },
};
