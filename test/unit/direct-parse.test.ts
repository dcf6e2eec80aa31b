/**
 * The fast path of the parser (compiler/ast/direct-parse.ts) against the recovering chevrotain parser +
 * buildAst, which defines the language: on every file both must agree — the fast path accepts exactly the
 * files the recovering parser reads without a diagnostic, and then builds the same AST (spans and key
 * order included). Files: every .gd of the repository, token-level mutants of the examples, and random
 * expression token soup (precedence, signs, `^`, slices, lambdas).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { scan, tokensOf } from '../../grammar/lexer.js';
import { parseRecovering } from '../../compiler/parse.js';
import { parseDirect } from '../../compiler/ast/direct-parse.js';

const root = join(import.meta.dirname, '../..');

function gdFiles(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir)) {
    if (f === 'node_modules' || f === 'dist' || f.startsWith('.')) continue;
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...gdFiles(p));
    else if (f.endsWith('.gd')) out.push(p);
  }
  return out;
}

/** 'fast' when the fast path built the AST (and it matches), 'slow' when both say the file needs recovery. */
function agree(text: string): 'fast' | 'slow' {
  const scanned = scan(text);
  const { tokens, problems } = tokensOf(text, scanned);
  const slow = parseRecovering('f.gd', text, tokens, problems);
  const fast = problems.length === 0 ? parseDirect('f.gd', text, scanned) : null;
  if (fast === null) {
    expect(slow.diagnostics.length, `fast path refused a file the recovering parser reads cleanly:\n${text}`).toBeGreaterThan(0);
    return 'slow';
  }
  expect(slow.diagnostics.map((d) => `${d.code} ${d.message}`), `fast path accepted a broken file:\n${text}`).toEqual([]);
  expect(JSON.stringify(fast), text).toBe(JSON.stringify(slow.program));
  return 'fast';
}

const tokenize = (s: string) => s.match(/[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\s+|./gs) ?? [];

describe('fast path agrees with the recovering parser', () => {
  const files = [...gdFiles(join(root, 'examples')), ...gdFiles(join(root, 'test')), ...gdFiles(join(root, 'runtime'))];

  it('on every .gd file of the repository', () => {
    expect(files.length).toBeGreaterThan(50);
    const seen = { fast: 0, slow: 0 };
    for (const f of files) seen[agree(readFileSync(f, 'utf8'))]++;
    // Most files are valid and take the fast path; the bad ones exercise the refusals.
    expect(seen.fast).toBeGreaterThan(40);
    expect(seen.slow).toBeGreaterThan(3);
  });

  it('on token-level mutants of the examples (deleted, duplicated, swapped tokens)', () => {
    const examples = files.filter((f) => f.includes('/examples/')).map((f) => tokenize(readFileSync(f, 'utf8')));
    const seen = { fast: 0, slow: 0 };
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.tuple(fc.nat(3), fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }), (pick, muts) => {
        let toks = [...examples[pick % examples.length]!];
        for (const [kind, a, b] of muts) {
          const n = toks.length;
          if (kind === 0) toks = toks.filter((_, i) => i !== a % n);
          else if (kind === 1) toks.splice(a % n, 0, toks[a % n]!);
          else [toks[a % n], toks[b % n]] = [toks[b % n]!, toks[a % n]!];
        }
        seen[agree(toks.join(''))]++;
      }),
      { numRuns: 1500, seed: 11 },
    );
    expect(seen.fast).toBeGreaterThan(100);
  });

  it('on random expression token soup', () => {
    const atoms = ['x', 'y', '2', '1e-3', 'f(', 'g(a: ', 'h(x, k: ', ')', '(', '[', ']', ',', ':', '.T', '+', '-', '*', '/', '@', '^', '<', '==', '=>', '"s"', 'log', 'max', '(x, y) =>'];
    const seen = { fast: 0, slow: 0 };
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...atoms), { minLength: 1, maxLength: 12 }), (parts) => {
        seen[agree(`let e = ${parts.join(' ')}\nminimize l = e over w by gd for 2 steps log every 1: e, v = e[0]\n`)]++;
      }),
      { numRuns: 4000, seed: 5 },
    );
    expect(seen.fast).toBeGreaterThan(100);
  });
});
