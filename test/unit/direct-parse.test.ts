/**
 * The fast path of the parser (compiler/ast/direct-parse.ts) against the recovering chevrotain parser +
 * buildAst, which defines the language: on every file both must agree — the fast path accepts exactly the
 * files the recovering parser reads without a diagnostic, and then builds the same AST (spans and key
 * order included). Files: every .gd of the repository, token-level mutants of the examples, random
 * expression token soup (precedence, signs, `^`, slices, lambdas) and programs generated from the grammar.
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

/** Random programs from a small generator of every statement, clause and expression form. */
// A fixed LCG: the same programs every run.
let seed = 777;
const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
const pick = <X,>(xs: X[]) => xs[rnd(xs.length)]!;
const names = ['x', 'w', 'log', 'max', 'steps', 'every', 'batch', 'per', 'keep', 'from', 'to', 'T', 'l2'];
const N = () => pick(names);
const ops = ['+', '-', '*', '/', '@', '^', '<', '==', '>='];
function E(d = 0): string {
  const r = rnd(d > 3 ? 3 : 14);
  switch (r) {
    case 0: return N(); case 1: return String(rnd(9)); case 2: return `${N()}(${E(d + 1)})`;
    case 3: return `${N()}(${E(d + 1)}, ${N()}: ${E(d + 1)})`; case 4: return `${E(d + 1)} ${pick(ops)} ${E(d + 1)}`;
    case 5: return `-${E(d + 1)}`; case 6: return `(${E(d + 1)})`; case 7: return `[${E(d + 1)}, ${E(d + 1)}]`;
    case 8: return `${N()}[${rnd(2) ? E(d + 1) : ''}:${rnd(2) ? E(d + 1) : ''}${rnd(2) ? ':' + E(d + 1) : ''}]`;
    case 9: return `${N()}.T`; case 10: return `${N()} => ${E(d + 1)}`; case 11: return `(${N()}, ${N()}) => ${E(d + 1)}`;
    case 12: return `${E(d + 1)}[${E(d + 1)}, :]`; default: return `${E(d + 1)} ${pick(ops)} -${E(d + 1)}`;
  }
}
const opt = (s: string) => (rnd(2) ? s : '');
function S(d = 0): string {
  switch (rnd(d > 0 ? 10 : 11)) {
    case 0: return `let ${N()} = ${E()}`;
    case 1: return `param ${N()}${opt(`: [${E()}]`)}${opt(` in ${N()}${opt(`(${E()})`)}`)}${opt(` = ${E()}`)}${opt(` per ${N()}`)}`;
    case 2: return `data ${N()}${opt(`: [${E()}, ${E()}]`)} = ${E()}${opt(` batch ${E()}`)}`;
    case 3: return `${pick(['minimize', 'maximize'])} ${N()}${opt(` = ${E()}`)} over ${N()}${opt(` in ${N()}${opt('(entropy)')}${opt(' normalized')}`)}${opt(`, ${N()}`)} by ${N()}${opt(`(${N()}: ${E()})`)}${opt(` for ${E()} steps`)}${opt(` until ${E()}${opt(` max ${E()} steps`)}`)}${opt(` log every ${E()}: ${opt(`${N()} = `)}${E()}${opt(`, ${E()}`)}`)}${opt(` record ${E()}${opt(` every ${E()}`)} to "f.csv"`)}${opt(` checkpoint every ${E()}`)}`;
    case 4: return `prune ${N()} keep ${E()}${opt(' %')} by ${N()}`;
    case 5: return `init ${N()} from ${E()}`;
    case 6: return `save ${N()}${opt(`, ${N()}`)} to "o.json"`;
    case 7: return `use ${N()}.${pick([N(), 'prune'])}`;
    case 8: return `def ${N()}(${opt(N())}) = ${E()}`;
    case 9: return `particles ${N()}: [${E()}]${opt(` = ${E()}`)}`;
    default: return `phase ${N()} { ${S(1)} ${S(1)} }`;
  }
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

  it('on programs generated from the grammar (every statement and clause, soft keywords as names)', () => {
    const seen = { fast: 0, slow: 0 };
    for (let k = 0; k < 3000; k++) seen[agree([S(), S(), S()].join(rnd(2) ? '\n' : ' '))]++;
    // Nearly all are valid: the comparison is of ASTs, not of refusals.
    expect(seen.fast).toBeGreaterThan(2500);
  });
});
