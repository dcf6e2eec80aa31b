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

// ── the playground ─────────────────────────────────────────────────────────
// The page reuses runtime/run.ts; the playground build swaps a few runtime/ modules for its own and maps
// some Node built-ins to stubs (playground/build/browser-map.ts). Walking the page's relative imports
// here finds a new Node import on its path in milliseconds, instead of as a failed build in the e2e test.
import { dirname } from 'node:path';
import { STUBBED_BUILTINS, SUBSTITUTES } from '../../playground/build/browser-map.js';
import * as nodeStubs from '../../playground/node-stubs.js';

/** Every import of a file: specifier and the value names it imports (type-only names dropped; '*' for a namespace). */
function importsOf(file: string): { spec: string; names: string[] }[] {
  const src = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const out: { spec: string; names: string[] }[] = [];
  for (const m of src.matchAll(/(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm)) {
    if (m[5] || m[6]) {
      out.push({ spec: (m[5] ?? m[6])!, names: [] });
      continue;
    }
    if (m[2]) continue; // import type / export type
    const clause = m[3]!;
    const names: string[] = [];
    if (/\*\s+as\s/.test(clause) || /^\*$/.test(clause.trim())) names.push('*');
    const braces = /\{([^}]*)\}/.exec(clause);
    if (braces) {
      for (const part of braces[1]!.split(',').map((p) => p.trim()).filter(Boolean)) {
        if (part.startsWith('type ')) continue;
        names.push(part.split(/\s+as\s+/)[0]!.trim());
      }
    }
    out.push({ spec: m[4]!, names });
  }
  return out;
}

describe('the playground reaches Node built-ins only through its stubs', () => {
  const entries = readdirSync(join(ROOT, 'playground'))
    .filter((f) => f.endsWith('.ts') && f !== 'vite.config.ts')
    .map((f) => join(ROOT, 'playground', f));
  const seen = new Set<string>();
  const builtins: { from: string; spec: string; names: string[] }[] = [];
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const { spec, names } of importsOf(file)) {
      if (spec.startsWith('.')) {
        let target = join(dirname(file), spec).replace(/\.js$/, '.ts');
        const sub = SUBSTITUTES[relative(ROOT, target)];
        if (sub) target = join(ROOT, sub);
        if (target.endsWith('.ts')) queue.push(target);
      } else if (NODE_ONLY.test(spec)) {
        builtins.push({ from: relative(ROOT, file), spec, names });
      }
    }
  }

  it('walks the page, the compiler and the run loop', () => {
    const files = [...seen].map((f) => relative(ROOT, f));
    expect(files).toContain('runtime/run.ts');
    expect(files).toContain('compiler/pipeline.ts');
    expect(files).not.toContain('runtime/backend.ts');
  });

  it.each(STUBBED_BUILTINS)('stubs every name the page\'s modules import from node:%s', (mod) => {
    const used = builtins.filter((b) => b.spec === `node:${mod}`).flatMap((b) => b.names.map((n) => `${b.from}: ${n}`));
    const missing = used.filter((u) => !(u.slice(u.indexOf(': ') + 2) in nodeStubs));
    expect(missing).toEqual([]);
  });

  it('reaches no other Node built-in', () => {
    const other = builtins.filter((b) => !STUBBED_BUILTINS.some((m) => b.spec === `node:${m}`)).map((b) => `${b.from} imports ${b.spec}`);
    expect(other).toEqual([]);
  });
});
