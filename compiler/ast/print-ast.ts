/**
 * A stable, human-readable dump of an AST (`gd compile --dump ast`, golden tests): one line per
 * statement part, expressions fully parenthesised so precedence is visible, no spans, no file paths.
 */
import type * as A from './ast.js';
import { unreachable } from '../diagnostics/internal-error.js';

/** The dump of a whole program, one node per line, children indented by two spaces; ends with a newline. */
export function printAst(p: A.Program): string {
  const lines = ['Program'];
  for (const s of p.body) printStmt(s, 1, lines);
  return `${lines.join('\n')}\n`;
}

function printStmt(s: A.Stmt, depth: number, out: string[]): void {
  const line = (text: string, extra = 0) => out.push(`${'  '.repeat(depth + extra)}${text}`);
  switch (s.kind) {
    case 'Dim':
    case 'Const':
    case 'Let':
      line(`${s.kind} ${s.name.name} = ${printExpr(s.value)}`);
      return;
    case 'Data':
      line(`Data ${s.name.name}${s.shape ? ` : ${printShape(s.shape)}` : ''}`);
      line(`init ${printExpr(s.init)}`, 1);
      if (s.batch) line(`batch ${printExpr(s.batch)}`, 1);
      return;
    case 'Param':
      line(`Param ${s.name.name}${s.shape ? ` : ${printShape(s.shape)}` : ''}`);
      if (s.domain) line(`in ${printCallLike(s.domain.name, s.domain.args)}`, 1);
      if (s.init) line(`init ${printExpr(s.init)}`, 1);
      if (s.per) line(`per ${s.per.name}`, 1);
      return;
    case 'Particles':
      line(`Particles ${s.name.name} : ${printShape(s.shape)}`);
      if (s.init) line(`init ${printExpr(s.init)}`, 1);
      return;
    case 'Def':
      line(`Def ${s.name.name}(${s.params.map((p) => p.name).join(', ')}) = ${printExpr(s.body)}`);
      return;
    case 'Solve':
      line(`Solve ${s.sense} ${s.name.name}`);
      line(`objective ${printExpr(s.objective)}`, 1);
      for (const t of s.targets) line(`over ${t.name.name}${t.geometry ? ` in ${printGeometry(t.geometry)}` : ''}`, 1);
      line(`by ${printCallLike(s.method.name, s.method.args)}`, 1);
      for (const c of s.controls) line(printControl(c), 1);
      return;
    case 'Phase':
      line(`Phase ${s.name.name}`);
      for (const b of s.body) printStmt(b, depth + 1, out);
      return;
    case 'Prune':
      line(`Prune ${s.target.name} keep ${printExpr(s.amount)}${s.percent ? '%' : ''} by ${s.by.name}`);
      return;
    case 'Init':
      line(`Init ${s.target.name} from ${printExpr(s.value)}`);
      return;
    case 'Save':
      line(`Save ${s.names.map((n) => n.name).join(', ')} to ${JSON.stringify(s.file.value)}`);
      return;
    case 'Import':
      line(`Import ${JSON.stringify(s.path.value)}`);
      return;
    case 'Use':
      line(`Use ${s.path.map((n) => n.name).join('.')}`);
      return;
    default:
      unreachable(s, 'statement');
  }
}

function printControl(c: A.Control): string {
  switch (c.kind) {
    case 'For':
      return `for ${printExpr(c.count)} steps`;
    case 'Until':
      return `until ${printExpr(c.cond)}${c.max ? ` max ${printExpr(c.max)} steps` : ''}`;
    case 'Log':
      return `log every ${printExpr(c.every)}: ${c.items.map(printItem).join(', ')}`;
    case 'Record':
      return `record ${c.items.map(printItem).join(', ')}${c.every ? ` every ${printExpr(c.every)}` : ''} to ${JSON.stringify(c.file.value)}`;
    case 'Checkpoint':
      return `checkpoint every ${printExpr(c.every)}`;
    default:
      return unreachable(c, 'control');
  }
}

function printItem(i: A.OutputItem): string {
  return i.name ? `${i.name.name} = ${printExpr(i.expr)}` : printExpr(i.expr);
}

function printShape(s: A.ShapeAnn): string {
  return `[${s.dims.map(printExpr).join(', ')}]`;
}

function printGeometry(g: A.GeometryAnn): string {
  const flags = g.flags.map((f) => ` ${f.name}`).join('');
  return `${printCallLike(g.name, g.args)}${flags}`;
}

/** `name` alone when there are no arguments (a bare geometry, domain or method), else `name(args)`. */
function printCallLike(name: A.Ident, args: readonly A.Arg[]): string {
  return args.length === 0 ? name.name : `${name.name}(${args.map(printArg).join(', ')})`;
}

function printArg(a: A.Arg): string {
  return a.name ? `${a.name.name}: ${printExpr(a.value)}` : printExpr(a.value);
}

/** Expressions: every binary and unary operation in parentheses, so the tree's shape is unambiguous. */
export function printExpr(e: A.Expr): string {
  switch (e.kind) {
    case 'Number':
      return e.text;
    case 'String':
      return JSON.stringify(e.value);
    case 'Name':
      return e.name;
    case 'Tensor':
      return `[${e.elements.map(printExpr).join(', ')}]`;
    case 'Binary':
      return `(${printExpr(e.left)} ${e.op} ${printExpr(e.right)})`;
    case 'Unary':
      return `(${e.op}${printExpr(e.operand)})`;
    case 'Call':
      return `${e.callee.name}(${e.args.map(printArg).join(', ')})`;
    case 'Index':
      return `${printExpr(e.target)}[${e.items.map(printIndexItem).join(', ')}]`;
    case 'Attr':
      return `${printExpr(e.target)}.${e.name.name}`;
    case 'Lambda':
      return `((${e.params.map((p) => p.name).join(', ')}) => ${printExpr(e.body)})`;
    default:
      return unreachable(e, 'expression');
  }
}

function printIndexItem(i: A.IndexItem): string {
  if (i.kind === 'At') return printExpr(i.index);
  const part = (x: A.Expr | null) => (x ? printExpr(x) : '');
  return `${part(i.start)}:${part(i.stop)}${i.step ? `:${printExpr(i.step)}` : ''}`;
}
