/**
 * The canonical layout of a .gd program as a prettier printer: AST → prettier Doc.
 *
 * The AST has no parenthesis nodes, so parentheses are re-derived from the grammar's precedence
 * (docs/grammar.md): exactly where the tree needs them, which makes the output parse back to the same
 * tree. Three things are printed as written because they carry meaning in their spelling: number
 * literals (the AST keeps their text), string literals, and the expression of an unnamed log/record item
 * (its source text is the output's key in metrics.csv and records).
 */
import type { AstPath, Doc, ParserOptions, Printer } from 'prettier';
import { builders } from 'prettier/doc';
import type * as A from '../ast/ast.js';
import type { GdComment } from './comments.js';

const { group, indent, line, softline, hardline, literalline, join, lineSuffix, lineSuffixBoundary, breakParent, trim } = builders;

/** Any node the printer sees: the AST's nodes, plus the comments prettier hands to printComment. */
export type GdNode = A.Node | GdComment;

/** Comment bookkeeping prettier adds to the nodes it attaches comments to. */
interface Attached {
  comments?: (GdComment & { leading?: boolean; trailing?: boolean; printed?: boolean })[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- prettier's own signature for child paths
type Print = (selector?: string | number | (string | number)[] | AstPath<any>) => Doc;

// ── Where comments may attach, and the children prettier walks to find them ─────────────────────────

/** The child fields of each node kind that the printer prints through `print` (so comments on them are printed). */
const CHILD_KEYS = {
  Program: ['body'],
  Dim: ['value'],
  Const: ['value'],
  Let: ['value'],
  Data: ['shape', 'init', 'batch'],
  Param: ['shape', 'domain', 'init'],
  Particles: ['shape', 'init'],
  Def: ['body'],
  Solve: ['objective', 'targets', 'method', 'controls'],
  Phase: ['body'],
  Prune: ['amount'],
  Init: ['value'],
  Save: ['file'],
  Import: ['path'],
  Use: [],
  Number: [],
  String: [],
  Name: [],
  Tensor: ['elements'],
  Binary: ['left', 'right'],
  Unary: ['operand'],
  Call: ['args'],
  Arg: ['value'],
  Index: ['target', 'items'],
  At: ['index'],
  Slice: ['start', 'stop', 'step'],
  Attr: ['target'],
  Lambda: ['body'],
  Shape: ['dims'],
  Domain: ['args'],
  Method: ['args'],
  Geometry: ['args'],
  Target: ['geometry'],
  OutputItem: ['expr'],
  For: ['count'],
  Until: ['cond', 'max'],
  Log: ['every', 'items'],
  Record: ['items', 'every', 'file'],
  Checkpoint: ['every'],
  Ident: [],
  Comment: [],
} as const satisfies Record<GdNode['kind'], readonly string[]>;

/** Kinds printed through `print`: every kind but identifiers (printed inline) and comments. */
function canAttachComment(node: GdNode): boolean {
  return node.kind !== 'Ident' && node.kind !== 'Comment';
}

function getVisitorKeys(node: GdNode): readonly string[] {
  // An unnamed item is printed verbatim: comments inside it are part of that text (the parser drops them).
  if (node.kind === 'OutputItem' && node.name === null) return [];
  return CHILD_KEYS[node.kind] ?? [];
}

// ── Precedence ──────────────────────────────────────────────────────────────────────────────────────

/** Binding strength, loosest first: lambda < comparison < + - < * / @ < prefix sign < ^ < atoms (postfix). */
const BINARY_LEVEL = {
  '<': 1,
  '<=': 1,
  '>': 1,
  '>=': 1,
  '==': 1,
  '!=': 1,
  '+': 2,
  '-': 2,
  '*': 3,
  '/': 3,
  '@': 3,
  '^': 5,
} as const satisfies Record<A.BinaryOp, number>;
const UNARY_LEVEL = 4;
const ATOM_LEVEL = 6;

function level(e: A.Expr): number {
  switch (e.kind) {
    case 'Lambda':
      return 0;
    case 'Binary':
      return BINARY_LEVEL[e.op];
    case 'Unary':
      return UNARY_LEVEL;
    default:
      return ATOM_LEVEL;
  }
}

/** Whether `child`, in field `field` of `parent`, must be parenthesised to parse back to the same tree. */
function needsParens(child: A.Expr, parent: GdNode, field: string): boolean {
  const c = level(child);
  switch (parent.kind) {
    case 'Binary': {
      if (child.kind === 'Lambda') return true;
      const p = BINARY_LEVEL[parent.op];
      if (parent.op === '^') {
        // The base is a single operand; the exponent is read as a signed power (`2^-x`, `a^b^c`).
        return field === 'left' ? c < ATOM_LEVEL : c < UNARY_LEVEL;
      }
      if (child.kind === 'Unary') return false; // a sign binds tighter than every non-`^` operator
      if (field === 'left') return p === 1 ? c <= 1 : c < p; // comparisons do not chain
      return c <= p; // left-associative
    }
    case 'Unary':
      // A sign applies to a signed power: `-x^2` is `-(x^2)`, `--x` is `-(-x)`.
      return c < UNARY_LEVEL;
    case 'Index':
    case 'Attr':
      return field === 'target' && c < ATOM_LEVEL;
    default:
      return false;
  }
}

// ── Printing ────────────────────────────────────────────────────────────────────────────────────────

function print(path: AstPath<GdNode>, options: ParserOptions<GdNode>, print: Print): Doc {
  const node = path.node;
  const printed = printNode(path, options, print);
  const parent = path.parent as GdNode | null;
  const isExprKind = node.kind in EXPR_KINDS;
  const body = isExprKind && parent && path.key !== null && needsParens(node as A.Expr, parent, String(path.key)) ? ['(', printed, ')'] : printed;
  return withComments(node, body, options.originalText);
}

/**
 * The printer places every comment itself:
 * - leading comments: each on its own line before the node (a blank line after one is kept);
 * - trailing and dangling comments: at the end of the output line (on the next line when the comment
 *   stood on a line of its own). Two of them can fall on one output line (`a # x` then `.T # y` print
 *   as `a.T`); prettier would join them into `# x # y`, one comment. So every token of the program is
 *   preceded by a `lineSuffixBoundary` (see `flushBeforeTokens`): a comment still waiting for the end of
 *   the line is written, with a line break, before any further token but a comma.
 * Program and phase bodies print their dangling comments in place (printNode).
 */
function withComments(node: GdNode, body: Doc, text: string): Doc {
  const cs = (node as GdNode & Attached).comments;
  if (!cs || cs.length === 0) return body;
  const before: Doc[] = [];
  const after: Doc[] = [];
  const own = node.kind === 'Program' || node.kind === 'Phase';
  for (const c of cs) {
    if (c.leading) {
      c.printed = true;
      before.push(c.text, hardline, blankLineAfter(text, c.end) ? hardline : '');
    } else if (c.trailing || !own) {
      c.printed = true;
      // The first at the end of the line (unless it stood on a line of its own), the others below it.
      // (`trim` first: a space already written before a flushing token, `a + ...`, would make it two.)
      after.push(after.length > 0 || startsLine(text, c.start) ? hardline : [trim, ' '], c.text);
    }
  }
  return [...before, body, after.length ? [lineSuffix(after), breakParent] : ''];
}

/** Puts a `lineSuffixBoundary` before every piece of text outside comments (see withComments). */
function flushBeforeTokens(d: Doc): Doc {
  // A comma stays on the line of the item before it: `a, # note` (the token after it flushes the comment).
  if (typeof d === 'string') return /\S/.test(d) && !/^,\s*$/.test(d) ? [lineSuffixBoundary, d] : d;
  if (Array.isArray(d)) return d.map(flushBeforeTokens);
  switch (d.type) {
    case 'group':
      return { ...d, contents: flushBeforeTokens(d.contents) };
    case 'indent':
    case 'align':
    case 'label':
      return { ...d, contents: flushBeforeTokens(d.contents) } as Doc;
    case 'fill':
      return { ...d, parts: d.parts.map(flushBeforeTokens) } as Doc;
    case 'if-break':
      return { ...d, breakContents: flushBeforeTokens(d.breakContents), flatContents: flushBeforeTokens(d.flatContents) };
    default:
      return d; // line-suffix (a comment), lines, boundaries, break-parent, trim, cursor
  }
}

/** Whether only blanks precede `offset` on its line. */
function startsLine(text: string, offset: number): boolean {
  let i = offset - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return i < 0 || text[i] === '\n' || text[i] === '\r';
}

const EXPR_KINDS: Readonly<Record<string, true>> = {
  Number: true,
  String: true,
  Name: true,
  Tensor: true,
  Binary: true,
  Unary: true,
  Call: true,
  Index: true,
  Attr: true,
  Lambda: true,
};

/** Texts of the comments attached inside `path.node` but to none of its children; marks them printed. */
function danglingComments(path: AstPath<GdNode>, _options: ParserOptions<GdNode>): string[] {
  const node = path.node as GdNode & Attached;
  const out: string[] = [];
  for (const c of node.comments ?? []) {
    if (c.leading || c.trailing) continue;
    c.printed = true;
    out.push(c.text);
  }
  return out;
}

/** Statements one per line; one blank line kept where the source had at least one. */
function printStatements(path: AstPath<GdNode>, options: ParserOptions<GdNode>, print: Print, key: 'body'): Doc[] {
  const parts: Doc[] = [];
  const stmts = (path.node as A.Program | A.PhaseStmt).body;
  path.each((p) => {
    const i = p.index!;
    parts.push(print());
    if (i < stmts.length - 1) {
      parts.push(hardline);
      if (blankLineAfter(options.originalText, stmts[i]!.span.end)) parts.push(hardline);
    }
  }, key);
  return parts;
}

/** Whether the line after the one holding `offset` (after any comment on it) is blank. */
export function blankLineAfter(text: string, offset: number): boolean {
  let i = offset;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  if (text[i] === '#') while (i < text.length && text[i] !== '\n') i++;
  if (text[i] === '\r') i++;
  if (text[i] !== '\n') return false;
  i++;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r')) i++;
  return text[i] === '\n';
}

function commaList(docs: Doc[]): Doc {
  return join([',', line], docs);
}

/** `(a, b)` / `[a, b]`: on one line when it fits, else one item per line. */
function bracketed(open: string, items: Doc[], close: string): Doc {
  if (items.length === 0) return `${open}${close}`;
  return group([open, indent([softline, commaList(items)]), softline, close]);
}

function callLike(name: A.Ident, path: AstPath<GdNode>, print: Print): Doc {
  const args = (path.node as A.MethodAnn).args;
  return args.length === 0 ? name.name : [name.name, bracketed('(', path.map((p) => print(p), 'args'), ')')];
}

function optional(path: AstPath<GdNode>, print: Print, key: string, before: string, after = ''): Doc {
  const v = (path.node as unknown as Record<string, unknown>)[key];
  return v === null || v === undefined ? '' : [before, print(key), after];
}

function printNode(path: AstPath<GdNode>, options: ParserOptions<GdNode>, print: Print): Doc {
  const n = path.node;
  switch (n.kind) {
    case 'Program': {
      const dangling = danglingComments(path, options);
      const stmts = printStatements(path, options, print, 'body');
      const parts: Doc[] = [join(hardline, dangling), dangling.length && stmts.length ? hardline : '', ...stmts];
      return stmts.length || dangling.length ? flushBeforeTokens([...parts, hardline]) : '';
    }
    case 'Dim':
    case 'Const':
    case 'Let':
      return [n.kind.toLowerCase(), ' ', n.name.name, ' = ', print('value')];
    case 'Data':
      return ['data ', n.name.name, optional(path, print, 'shape', ': '), ' = ', print('init'), optional(path, print, 'batch', ' batch ')];
    case 'Param':
      return [
        'param ',
        n.name.name,
        optional(path, print, 'shape', ': '),
        optional(path, print, 'domain', ' in '),
        optional(path, print, 'init', ' = '),
        n.per ? [' per ', n.per.name] : '',
      ];
    case 'Particles':
      return ['particles ', n.name.name, ': ', print('shape'), optional(path, print, 'init', ' = ')];
    case 'Def':
      return ['def ', n.name.name, '(', n.params.map((p) => p.name).join(', '), ') = ', print('body')];
    case 'Solve': {
      const clauses: Doc[] = [
        ['over ', join(', ', path.map((p) => print(p), 'targets'))],
        ['by ', print('method')],
        ...path.map((p) => print(p), 'controls'),
      ];
      return group([n.sense, ' ', n.name.name, ' = ', print('objective'), indent(clauses.map((c) => [line, c]))]);
    }
    case 'Phase': {
      const dangling = danglingComments(path, options);
      const stmts = printStatements(path, options, print, 'body');
      if (stmts.length === 0 && dangling.length === 0) return ['phase ', n.name.name, ' {}'];
      const inner: Doc[] = [join(hardline, dangling), dangling.length && stmts.length ? hardline : '', ...stmts];
      const sep = dangling.length ? hardline : line;
      return group(['phase ', n.name.name, ' {', indent([sep, ...inner]), sep, '}']);
    }
    case 'Prune':
      return ['prune ', n.target.name, ' keep ', print('amount'), n.percent ? '%' : '', ' by ', n.by.name];
    case 'Init':
      return ['init ', n.target.name, ' from ', print('value')];
    case 'Save':
      return ['save ', n.names.map((x) => x.name).join(', '), ' to ', print('file')];
    case 'Import':
      return ['import ', print('path')];
    case 'Use':
      return ['use ', n.path.map((x) => x.name).join('.')];

    // Solve parts.
    case 'Target':
      return [n.name.name, optional(path, print, 'geometry', ' in ')];
    case 'Geometry':
      return [callLike(n.name, path, print), ...n.flags.map((f) => ` ${f.name}`)];
    case 'Method':
    case 'Domain':
      return callLike(n.name, path, print);
    case 'Shape':
      return ['[', join(', ', path.map((p) => print(p), 'dims')), ']'];
    case 'For':
      return ['for ', print('count'), ' steps'];
    case 'Until':
      return ['until ', print('cond'), optional(path, print, 'max', ' max ', ' steps')];
    case 'Log':
      return group(['log every ', print('every'), ':', indent([line, commaList(path.map((p) => print(p), 'items'))])]);
    case 'Record':
      return group(['record', indent([line, commaList(path.map((p) => print(p), 'items'))]), optional(path, print, 'every', ' every '), ' to ', print('file')]);
    case 'Checkpoint':
      return ['checkpoint every ', print('every')];
    case 'OutputItem':
      // Unnamed: the source text is the output's name, so it stays exactly as written.
      return n.name ? [n.name.name, ' = ', print('expr')] : join(literalline, n.text.split(/\r?\n/));

    // Expressions.
    case 'Number':
      return n.text;
    case 'String':
      return options.originalText.slice(n.span.start, n.span.end);
    case 'Name':
      return n.name;
    case 'Tensor':
      return bracketed('[', path.map((p) => print(p), 'elements'), ']');
    case 'Binary':
      return printBinary(path, print);
    case 'Unary':
      return [n.op, print('operand')];
    case 'Call':
      return [n.callee.name, bracketed('(', path.map((p) => print(p), 'args'), ')')];
    case 'Arg':
      return n.name ? [n.name.name, ': ', print('value')] : print('value');
    case 'Index':
      return [print('target'), '[', join(', ', path.map((p) => print(p), 'items')), ']'];
    case 'At':
      return print('index');
    case 'Slice':
      return [optional(path, print, 'start', ''), ':', optional(path, print, 'stop', ''), optional(path, print, 'step', ':')];
    case 'Attr':
      return [print('target'), '.', n.name.name];
    case 'Lambda':
      return ['(', n.params.map((p) => p.name).join(', '), ') => ', print('body')];
    case 'Ident':
      return n.name;
    case 'Comment':
      return n.text;
  }
}

/**
 * A chain of one precedence level (`a + b - c`, `x * y @ z`) as one group that breaks after operators;
 * `^` is written tight (`x^2`). Inner nodes of the chain carrying comments are printed as nodes of their own.
 */
function printBinary(path: AstPath<GdNode>, print: Print): Doc {
  const n = path.node as A.Binary;
  if (n.op === '^') return [print('left'), '^', print('right')];
  const parts = chain(path, print);
  return group([parts[0]!, indent(parts.slice(1))]);
}

function chain(path: AstPath<GdNode>, print: Print): Doc[] {
  const n = path.node as A.Binary;
  const left = n.left;
  const flat =
    left.kind === 'Binary' &&
    BINARY_LEVEL[left.op] === BINARY_LEVEL[n.op] &&
    BINARY_LEVEL[n.op] !== 1 &&
    !((left as A.Binary & Attached).comments?.length ?? 0);
  const head = flat ? (path.call((p) => chain(p, print), 'left') as Doc[]) : [print('left')];
  return [...head, [' ', n.op, line, print('right')]];
}

/**
 * An end-of-line comment written after an operator or keyword that follows a node (`x0 + # note`)
 * leads the next node instead of trailing the previous one: it stays after that token, where it was.
 * After a comma alone it keeps trailing the item before (the comma stays with that item).
 */
function handleEndOfLine(comment: GdComment & Decorated, text: string): boolean {
  const { precedingNode: prev, followingNode: next } = comment;
  if (!prev || !next || !('span' in prev)) return false;
  const between = text.slice(prev.span.end, comment.start).replace(/#[^\n\r]*/g, '');
  if (!/[^\s,]/.test(between)) return false;
  comment.leading = true;
  comment.trailing = false;
  comment.printed = false;
  ((next as GdNode & Attached).comments ??= []).push(comment);
  return true;
}

/** What prettier's comment attachment sets on a comment before the handlers run. */
interface Decorated {
  precedingNode?: GdNode;
  followingNode?: GdNode;
  leading?: boolean;
  trailing?: boolean;
  printed?: boolean;
}

export const gdPrinter: Printer<GdNode> = {
  handleComments: { endOfLine: (comment: GdComment & Decorated, text: string) => handleEndOfLine(comment, text) },
  print,
  getVisitorKeys: (node) => getVisitorKeys(node) as string[],
  canAttachComment,
  isBlockComment: () => false,
  willPrintOwnComments: () => true,
  printComment: (path) => (path.node as GdComment).text,
};
