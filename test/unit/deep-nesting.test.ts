/**
 * Deeply nested programs never crash the front end: 10,000 nested parentheses, 5,000 nested calls and
 * long sign, `^`, bracket or lambda chains are one GD1015 on the token that crossed the limit (the
 * statement is left out, the rest of the file is still parsed and checked), while a 100,000-term
 * `w + w + ... + w` chain — deep only to the left, walked iteratively — parses, checks and lowers.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '../../compiler/parse.js';
import { check } from '../../compiler/check/check.js';
import { memoryHost } from '../../compiler/host.js';
import { dump, front } from '../../compiler/pipeline.js';
import { formatGd } from '../../compiler/format/format.js';
import { MAX_NESTING } from '../../grammar/nesting.js';
import { gd } from '../helpers/cli.js';

const P = 'param w: [3] = zeros\n';
const SOLVE = 'minimize f = sum((w - a)^2) over w by gd(lr: 0.1) for 2 steps\n';

/** Parses and checks `src`; returns the codes of every diagnostic and the parse result. */
function front2(src: string) {
  const p = parse('d.gd', src);
  const c = check(p.program, memoryHost({}), {});
  return { p, codes: [...p.diagnostics, ...c.diagnostics].map((d) => d.code) };
}

/** Offset of the `n`-th (1-based) occurrence of `needle` in the `let` of `src`. */
function nth(src: string, needle: string, n: number): number {
  let at = src.indexOf('let a') - 1;
  for (let k = 0; k < n; k++) at = src.indexOf(needle, at + 1);
  return at;
}

describe('nesting deeper than the limit is GD1015, not a stack overflow', () => {
  const shapes: Record<string, { src: string; at: number }> = (() => {
    const parens = `${P}let a = ${'('.repeat(10_000)}w${')'.repeat(10_000)}\n`;
    const calls = `${P}let a = ${'exp('.repeat(5_000)}w${')'.repeat(5_000)}\n`;
    const signs = `${P}let a = ${'-'.repeat(10_000)}w\n`;
    const carets = `${P}let a = ${Array(10_000).fill('w').join('^')}\n`;
    const brackets = `${P}let a = ${'['.repeat(5_000)}1${']'.repeat(5_000)}\n`;
    const lambdas = `${P}let a = pairwise(${'x => '.repeat(5_000)}x, w)\n`;
    const index = `${P}let a = ${'w['.repeat(3_000)}0${']'.repeat(3_000)}\n`;
    const L = MAX_NESTING + 1;
    return {
      '10,000 nested parentheses': { src: parens, at: nth(parens, '(', L) },
      '5,000 nested calls': { src: calls, at: nth(calls, '(', L) },
      '10,000 prefix signs': { src: signs, at: nth(signs, '-', L) },
      "a 10,000-term '^' chain": { src: carets, at: nth(carets, '^', L) },
      '5,000 nested tensor literals': { src: brackets, at: nth(brackets, '[', L) },
      '5,000 nested lambdas': { src: lambdas, at: nth(lambdas, '=>', L - 1) },
      '3,000 nested indexes': { src: index, at: nth(index, '[', L) },
    };
  })();

  for (const [name, { src, at }] of Object.entries(shapes)) {
    it(name, () => {
      const { p } = front2(src);
      expect(p.diagnostics.map((d) => d.code)).toEqual(['GD1015']);
      const d = p.diagnostics[0]!;
      expect(d.message).toBe(`expression nested too deeply (more than ${MAX_NESTING} levels)`);
      expect(d.span!.start).toBe(at);
      // The deep statement is left out; the param before it is kept.
      expect(p.program.body.map((s) => s.kind)).toEqual(['Param']);
    });
  }

  it('the rest of the file is still parsed, and its syntax errors reported', () => {
    const src = `${P}let a = ${'('.repeat(1000)}w\nlet b = = 1\nlet c = w\n`;
    const { p } = front2(src);
    expect(p.diagnostics.map((d) => d.code)).toEqual(['GD1015', 'GD1003']);
    expect(p.program.body.map((s) => s.kind === 'Let' && s.name.name)).toEqual([false, 'c']);
  });

  it('nesting up to the limit parses, checks, lowers and formats', async () => {
    const depth = MAX_NESTING - 1;
    const half = Math.floor(depth / 2); // `-(` counts two levels: a sign and a parenthesis
    const src = `${P}let a = ${'-('.repeat(half)}w${')'.repeat(half)} + ${'exp('.repeat(depth)}w${')'.repeat(depth)}\n${SOLVE}`;
    const fr = front('d.gd', src, memoryHost({}));
    expect(fr.diagnostics.map((d) => d.code)).toEqual([]);
    expect(dump(fr, 'ir').match(/= exp /g)).toHaveLength(depth);
    // formatGd itself checks that its output parses back to the same AST.
    const formatted = await formatGd(src, 'd.gd');
    expect(formatted.match(/exp\(/g)).toHaveLength(depth);
  });

  it('gd check exits 1 with the message and the place', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gd-deep-'));
    try {
      const file = join(dir, 'deep.gd');
      writeFileSync(file, `${P}let a = ${'('.repeat(10_000)}w${')'.repeat(10_000)}\n`);
      const r = gd(['check', file]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`deep.gd:2:${8 + MAX_NESTING + 1}: error[GD1015]: expression nested too deeply (more than ${MAX_NESTING} levels)`);
      expect(r.stderr).not.toMatch(/RangeError|Maximum call stack/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('long left-deep chains are accepted and walked iteratively', () => {
  const N = 100_000;
  const chain = `${P}let a = ${Array(N).fill('w').join(' + ')}\n${SOLVE}`;

  it(`a ${N.toLocaleString('en-US')}-term sum parses, checks and lowers`, () => {
    const fr = front('d.gd', chain, memoryHost({}));
    expect(fr.diagnostics).toEqual([]);
    // One add per '+' in the objective's graph.
    expect(dump(fr, 'ir').match(/= add /g)?.length).toBe(N - 1);
  });

  it('the formatter refuses it with a message (left unchanged), not a stack overflow', async () => {
    await expect(formatGd(chain, 'd.gd')).rejects.toThrow(/nested too deeply for the formatter/);
  });

  it('a 100,000-term numeric chain checks without diagnostics', () => {
    const src = `${P}let a = ${Array(N).fill('1').join('+')}\n`;
    expect(front2(src).codes).toEqual([]);
  });

  it('the CLI check of the sum succeeds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gd-chain-'));
    try {
      const file = join(dir, 'chain.gd');
      writeFileSync(file, chain);
      const r = gd(['check', file]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
