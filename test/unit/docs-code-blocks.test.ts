/** Every ```gd code block in docs/ is a whole program that parses and checks clean. */
import { describe, expect, it } from 'vitest';
import '../../runtime/std/index.js'; // std modules register themselves, as the CLI does
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from '../../compiler/parse.js';
import { check } from '../../compiler/check/check.js';
import { memoryHost } from '../../compiler/host.js';
import { renderDiagnostics } from '../../compiler/diagnostics/render.js';

const ROOT = join(import.meta.dirname, '../..');

function mdFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? mdFiles(p) : p.endsWith('.md') ? [p] : [];
  });
}

const blocks = mdFiles(join(ROOT, 'docs')).flatMap((file) => {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/```gd\n([\s\S]*?)```/g)].map((m, i) => ({
    name: `${relative(ROOT, file)} #${i + 1}`,
    code: m[1]!,
  }));
});

describe('docs code blocks', () => {
  it('there are code blocks to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });
  it.each(blocks)('$name checks clean', ({ name, code }) => {
    const p = parse(name, code);
    const diags = [...p.diagnostics, ...(p.diagnostics.length ? [] : check(p.program, memoryHost({}), { parseFile: parse }).diagnostics)];
    const errors = diags.filter((d) => d.severity === 'error');
    expect(errors.length === 0 ? '' : renderDiagnostics(errors, () => code)).toBe('');
  });
});
