/** grammar/ and compiler/ stay platform-neutral (the browser playground runs them): no Node modules, no `process`. */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
const NODE_ONLY = /^(node:|fs$|fs\/|path$|os$|process$|child_process$|url$|module$|worker_threads$|crypto$|buffer$|util$|stream$)/;

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const files = ['grammar', 'compiler'].flatMap((d) => tsFiles(join(ROOT, d)));

describe('platform-neutral front end and compiler', () => {
  it('has files to check', () => expect(files.length).toBeGreaterThan(50));

  it.each(files.map((f) => [relative(ROOT, f), f]))('%s imports no Node-only module and uses no `process`', (_name, file) => {
    // Comments are dropped first so prose may mention these names.
    const src = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    const specifiers = [...src.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
      (m) => m[1] ?? m[2] ?? m[3]!,
    );
    expect(specifiers.filter((s) => NODE_ONLY.test(s))).toEqual([]);
    expect(src).not.toMatch(/\bprocess\.(env|argv|exit|cwd|stdout|stderr|platform)\b/);
    expect(src).not.toMatch(/\b__dirname\b|\bBuffer\.from\b/);
  });
});
