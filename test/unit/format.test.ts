/** gd fmt's formatter (compiler/format): layout, comments kept, idempotent, meaning kept on every example. */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier';
import { formatGd } from '../../compiler/format/format.js';
import plugin from '../../compiler/format/plugin.js';
import { extractComments } from '../../compiler/format/comments.js';
import { dump, front } from '../../compiler/pipeline.js';
import { memoryHost } from '../../compiler/host.js';
import { parse } from '../../compiler/parse.js';
import { printAst } from '../../compiler/ast/print-ast.js';

const dir = join(import.meta.dirname, '../../examples');
const files: Record<string, string> = {};
for (const f of readdirSync(dir)) if (!f.endsWith('.gd') && !f.endsWith('.py') && !f.endsWith('.md')) files[`examples/${f}`] = readFileSync(join(dir, f), 'utf8');
const host = memoryHost(files);
const examples = readdirSync(dir)
  .filter((f) => f.endsWith('.gd'))
  .map((f) => ({ name: `examples/${f}`, text: readFileSync(join(dir, f), 'utf8') }));

/**
 * The AST dump and the optimized step graphs: what "the same program" means. An example that does not
 * check (yet) has no step graphs; its diagnostic codes stand in for them.
 */
function meaning(name: string, text: string): { ast: string; opt: string } {
  const fr = front(name, text, host);
  const opt = fr.checked ? dump(fr, 'opt') : `diagnostics: ${fr.diagnostics.map((d) => d.code).join(' ')}`;
  return { ast: dump(fr, 'ast'), opt };
}

describe('formatter on the examples', () => {
  it.each(examples)('$name: same AST and optimized IR, idempotent, comments kept', async ({ name, text }) => {
    const out = await formatGd(text, name);
    const before = meaning(name, text);
    const after = meaning(name, out);
    expect(after.ast).toBe(before.ast);
    expect(after.opt).toBe(before.opt);
    expect(before.opt.length).toBeGreaterThan(0);
    expect(before.ast.length).toBeGreaterThan(20);
    expect(await formatGd(out, name)).toBe(out);
    expect(extractComments(out).map((c) => c.text)).toEqual(extractComments(text).map((c) => c.text));
  });
});

describe('layout', () => {
  it('normalizes spacing, drops redundant parentheses and adds the needed ones', async () => {
    const src = 'param   w : [ 3 ]=zeros\nlet a=((w[0]))+ -(w[1]*2)^2 *(w[2]-1)\nlet b = (-w)^2 + 2^-w[0] - (w - 1) - (2 - 3)\n';
    expect(await formatGd(src)).toBe(
      'param w: [3] = zeros\nlet a = w[0] + -(w[1] * 2)^2 * (w[2] - 1)\nlet b = (-w)^2 + 2^-w[0] - (w - 1) - (2 - 3)\n',
    );
  });

  it('breaks a long solve into one clause per line and keeps a short one on a line', async () => {
    const short = 'param w: [2] = zeros\nminimize l = sum(w^2)\n  over w\n  by gd(lr: 0.1) for 10 steps\n';
    expect(await formatGd(short)).toBe('param w: [2] = zeros\nminimize l = sum(w^2) over w by gd(lr: 0.1) for 10 steps\n');
    const long = `param w: [2] = zeros\nminimize l = sum(w^2) + 0.5 * mean(abs(w)) + 0.25 * sum(exp(w)) over w by adam(lr: 0.1, beta1: 0.9) for 10 steps log every 5: l\n`;
    expect(await formatGd(long)).toBe(
      'param w: [2] = zeros\nminimize l = sum(w^2) + 0.5 * mean(abs(w)) + 0.25 * sum(exp(w))\n  over w\n  by adam(lr: 0.1, beta1: 0.9)\n  for 10 steps\n  log every 5: l\n',
    );
  });

  it('keeps one blank line where there were several, none where there were none', async () => {
    expect(await formatGd('dim n = 2\n\n\n\ndim m = 3\ndim k = 4\n')).toBe('dim n = 2\n\ndim m = 3\ndim k = 4\n');
  });

  it('keeps unnamed log items as written: their text names the metric', async () => {
    const src = 'param w: [2] = zeros\nminimize l = sum(w^2) over w by gd(lr: 0.1) for 10 steps log every 5: norm( w ,p: 1), g = norm( w )\n';
    const out = await formatGd(src);
    expect(out).toContain('log every 5: norm( w ,p: 1), g = norm(w)');
  });

  it('keeps end-of-line, own-line and dangling comments with their text', async () => {
    const src = [
      '# header',
      '',
      'dim n = 3 # trailing',
      '# before w',
      'param w: [n] = zeros',
      'phase p { # inside',
      '  minimize l = sum(w^2) # objective',
      '    over w # target',
      '    by gd( # no options',
      '    ) for 3 steps',
      '}',
      'phase q { # only a comment',
      '}',
      '# the end',
      '',
    ].join('\n');
    const out = await formatGd(src);
    expect(extractComments(out).map((c) => c.text)).toEqual(extractComments(src).map((c) => c.text));
    expect(await formatGd(out)).toBe(out);
    expect(printAst(parse('x.gd', out).program)).toBe(printAst(parse('x.gd', src).program));
    expect(out.startsWith('# header\n\ndim n = 3 # trailing\n# before w\nparam w: [n] = zeros\n')).toBe(true);
  });

  it('refuses a program with syntax errors and leaves it alone', async () => {
    await expect(formatGd('param w: [2] = \nminimize')).rejects.toThrow(/GD10/);
  });

  it('works as a prettier plugin', async () => {
    const out = await format('dim   n=3', { parser: 'gd', plugins: [plugin] });
    expect(out).toBe('dim n = 3\n');
    const byPath = await format('dim   n=3', { filepath: 'x.gd', plugins: [plugin] });
    expect(byPath).toBe('dim n = 3\n');
  });
});
