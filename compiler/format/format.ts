/**
 * `formatGd`: the canonical text of a .gd program, with the guarantees `gd fmt` promises checked on
 * every call: the result parses to the same AST (dump) and keeps every comment.
 */
import { format } from 'prettier/standalone';
import plugin, { parseForFormat } from './plugin.js';
import { extractComments } from './comments.js';
import { printAst } from '../ast/print-ast.js';
import { parse } from '../parse.js';

/** The formatted text; throws GdSyntaxError on a program with syntax errors, Error if a guarantee failed. */
export async function formatGd(text: string, file = 'input.gd'): Promise<string> {
  const before = parseForFormat(text, file);
  let out: string;
  try {
    out = await format(text, { parser: 'gd', plugins: [plugin], filepath: file });
  } catch (e) {
    // The printer recurses over the AST; an operator chain of many thousand terms (which parses and
    // checks: both walk it iteratively) is refused with a clear message instead of a stack overflow.
    if (e instanceof RangeError) throw new Error(`${file} is nested too deeply for the formatter (an expression of many thousand terms): left unchanged`);
    throw e;
  }
  const after = parse(file, out);
  if (after.diagnostics.some((d) => d.severity === 'error') || printAst(after.program) !== printAst(before)) {
    throw new Error(`formatting ${file} would change its meaning (a formatter bug): left unchanged`);
  }
  const texts = (t: string) => extractComments(t).map((c) => c.text);
  if (texts(out).join('\n') !== texts(text).join('\n')) {
    throw new Error(`formatting ${file} would lose or reorder comments (a formatter bug): left unchanged`);
  }
  return out;
}
