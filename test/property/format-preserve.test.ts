/**
 * The formatter keeps meaning on programs it has never seen: random expressions (random parentheses and
 * spacing, every operator, signs, calls, indexing, lambdas) and the examples with comments and whitespace
 * scattered through them. Each result parses to the same AST dump, keeps every comment in order, and
 * formats to itself; on the examples the optimized step graphs are compared too.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier/standalone';
import plugin from '../../compiler/format/plugin.js';
import { extractComments } from '../../compiler/format/comments.js';
import { parse } from '../../compiler/parse.js';
import { printAst } from '../../compiler/ast/print-ast.js';
import { lex, tokenEnd } from '../../grammar/lexer.js';
import { dump, front } from '../../compiler/pipeline.js';
import { memoryHost } from '../../compiler/host.js';

// prettier directly (not formatGd): the test must not rely on the guard formatGd runs itself.
const fmt = (text: string) => format(text, { parser: 'gd', plugins: [plugin] });
const ast = (text: string) => {
  const p = parse('p.gd', text);
  return p.diagnostics.some((d) => d.severity === 'error') ? null : printAst(p.program);
};
const comments = (text: string) => extractComments(text).map((c) => c.text);

const ws = fc.constantFrom('', ' ', '  ', '\n', ' \n  ', '\t');
const wrap = (s: string, parens: boolean, a: string, b: string) => (parens ? `(${a}${s}${b})` : s);

/** Random expression source text; parentheses appear at random, so the text may or may not need them. */
const expr: fc.Arbitrary<string> = fc.letrec<{ e: string; atom: string }>((tie) => ({
  atom: fc.oneof(
    fc.constantFrom('a', 'b', 'x', '1', '2.5', '3.', '.5', '1e-3', '"s"'),
    fc.tuple(tie('e'), tie('e')).map(([p, q]) => `f(${p}, k: ${q})`),
    fc.tuple(tie('e'), tie('e')).map(([p, q]) => `[${p}, ${q}]`),
    fc.tuple(tie('atom'), tie('e')).map(([t, i]) => `${t}[${i}, :, 1:, ::2]`),
    tie('atom').map((t) => `${t}.T`),
    tie('e').map((b) => `(u, v) => ${b}`),
  ),
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('atom'),
    fc
      .tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '^', '@', '<', '<=', '>', '>=', '==', '!='), tie('e'), fc.boolean(), ws, ws)
      .map(([l, op, r, p, a, b]) => wrap(`${l}${a}${op}${b}${r}`, p, a, b)),
    fc.tuple(fc.constantFrom('-', '+', '- -'), tie('e'), fc.boolean()).map(([s, o, p]) => wrap(`${s}${o}`, p, '', '')),
  ),
})).e;

describe('formatter properties', () => {
  it('random expressions keep their AST and format idempotently (400 programs)', async () => {
    let parsed = 0;
    await fc.assert(
      fc.asyncProperty(expr, expr, async (e1, e2) => {
        const src = `let p = ${e1}\nconst q = ${e2} # c\n`;
        const before = ast(src);
        if (before === null) return; // e.g. a chained comparison: not a program
        parsed++;
        const out = await fmt(src);
        expect(ast(out)).toBe(before);
        expect(await fmt(out)).toBe(out);
        expect(comments(out)).toEqual(['# c']);
      }),
      { numRuns: 400, seed: 7 },
    );
    expect(parsed).toBeGreaterThan(150);
  });

  const dir = join(import.meta.dirname, '../../examples');
  const files: Record<string, string> = {};
  for (const f of readdirSync(dir)) if (/\.(json|csv)$/.test(f)) files[`examples/${f}`] = readFileSync(join(dir, f), 'utf8');
  const host = memoryHost(files);
  const examples = readdirSync(dir)
    .filter((f) => f.endsWith('.gd'))
    .map((f) => ({ name: `examples/${f}`, text: readFileSync(join(dir, f), 'utf8') }))
    .filter((ex) => front(ex.name, ex.text, host).checked !== null); // examples still being written may not check yet

  /** Rewrites every gap between tokens: random whitespace and, at chosen gaps, a comment `# cK`. */
  function scatter(text: string, gaps: readonly string[], commentAt: ReadonlySet<number>): string {
    const { tokens } = lex(text);
    let out = '';
    tokens.forEach((t, i) => {
      if (i > 0) {
        const g = gaps[i % gaps.length]!;
        out += commentAt.has(i) ? ` # c${i}\n` : g === '' ? ' ' : g;
      }
      out += text.slice(t.startOffset, tokenEnd(t));
    });
    return `${out}\n`;
  }

  it('examples with scattered comments and whitespace keep AST, optimized IR and comments (100 programs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: examples.length - 1 }),
        fc.array(fc.constantFrom(' ', '\n', '   ', '\n\n', ' \n\t'), { minLength: 1, maxLength: 8 }),
        fc.uniqueArray(fc.nat({ max: 200 }), { maxLength: 6 }),
        async (ei, gaps, at) => {
          const ex = examples[ei]!;
          const src = scatter(ex.text, gaps, new Set(at));
          const frBefore = front(ex.name, src, host);
          expect(frBefore.checked).not.toBeNull();
          const out = await fmt(src);
          const frAfter = front(ex.name, out, host);
          expect(dump(frAfter, 'ast')).toBe(dump(frBefore, 'ast'));
          expect(dump(frAfter, 'opt')).toBe(dump(frBefore, 'opt'));
          expect(comments(out)).toEqual(comments(src));
          expect(await fmt(out)).toBe(out);
        },
      ),
      { numRuns: 100, seed: 11 },
    );
  });
});
