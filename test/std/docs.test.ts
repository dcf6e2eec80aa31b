/** Every ``` block in docs/std/*.md that starts with `use std.` is a program that parses and checks clean with the std modules registered. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { front } from '../../compiler/pipeline.js';
import { renderDiagnostics } from '../../compiler/diagnostics/render.js';
import { nodeFiles } from '../../runtime/node-files.js';
import '../../runtime/std/index.js';

const ROOT = join(import.meta.dirname, '../..');
const dir = join(ROOT, 'docs/std');
const blocks = readdirSync(dir)
  .filter((f) => f.endsWith('.md'))
  .flatMap((f) =>
    [...readFileSync(join(dir, f), 'utf8').matchAll(/```\n(use std\.[\s\S]*?)```/g)].map((m, i) => ({ name: `${f} #${i + 1}`, code: m[1]! })),
  );

describe('docs/std code blocks', () => {
  it('every module page has one', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });
  it.each(blocks)('$name checks clean', ({ code }) => {
    // Data paths in the examples resolve against examples/ (where the pages' programs live).
    const fr = front(join(ROOT, 'examples/doc-block.gd'), code, nodeFiles);
    const errors = fr.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length === 0 ? '' : renderDiagnostics(errors, (f) => fr.sources.get(f))).toBe('');
  });
});
