/**
 * Emitted TypeScript stays valid and faithful whatever the program's names and strings are: params named
 * `constructor`, `__proto__`, `default` and `await`, and a load path with quotes and backslashes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, gd } from '../helpers/cli.js';
import { Scratch, emitFor } from '../helpers/emit-harness.js';
import { NameScope, num, str } from '../../compiler/backends/ts/names.js';

describe('names and literals', () => {
  it('reserved and special names become distinct valid identifiers', () => {
    const s = new NameScope();
    const ids = ['constructor', '__proto__', 'default', 'await', 'w.m', 'w_m', 'tf', '1x', ''].map((n) => s.id(n));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z_$][A-Za-z0-9_$]*$/);
      expect(() => new Function(`"use strict"; let ${id} = 1; return ${id};`)).not.toThrow();
    }
    expect(s.id('default')).toBe(ids[2]);
  });

  it('string and number literals evaluate back to the same value', () => {
    for (const v of ['a"b', "it's", 'back\\slash', 'line\nbreak', '\u2028\u2029', '${x}`']) expect(new Function(`return ${str(v)};`)()).toBe(v);
    for (const v of [0.1, -0, NaN, Infinity, -Infinity, 1e-300, 2 ** 53 + 2]) expect(Object.is(new Function(`return ${num(v)};`)(), v)).toBe(true);
  });
});

describe('a program with hostile names', () => {
  const scratch = new Scratch('names');
  afterAll(() => scratch.remove());
  const dataDir = join(scratch.dir, 'we"ird\\dir');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, "x'q.csv"), '1,2\n3,4\n5,6\n');
  const gdFile = relative(ROOT, join(scratch.dir, 'names.gd'));
  writeFileSync(
    join(ROOT, gdFile),
    [
      'data X: [3, 2] = load("we\\"ird\\\\dir/x\'q.csv")',
      'param constructor: [2] = zeros',
      'param __proto__: [2] = ones',
      'param default: [2] = zeros',
      'param await: [2] = zeros',
      'minimize loss = mean((X @ constructor - 1)^2) + sum(__proto__^2) + sum((default - 2)^2) + sum((await + 1)^2)',
      '  over constructor, __proto__, default, await by gd(lr: 0.01) for 40 steps',
      '  log every 10: loss',
      '',
    ].join('\n'),
  );

  it('type-checks under --strict and matches gd run; __proto__ is an own key with its closed-form value', async () => {
    const code = await emitFor(gdFile);
    scratch.write('names.ts', code);
    const tsc = scratch.tsc();
    expect(tsc.output).toBe('');
    const r = scratch.runModule('names', 'cpu', '{ seed: 0 }');
    expect(r.code, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as { objective: number; params: Record<string, number[]>; log: Record<string, number>[] };
    const ref = gd(['run', gdFile, '--json', '--quiet', '--backend', 'cpu', '--out', join(scratch.dir, 'run')]);
    expect(ref.code, ref.stderr).toBe(0);
    const want = JSON.parse(ref.stdout) as { objective: { value: number }; params: Record<string, { data: number[] }>; log: Record<string, number>[] };
    expect(Object.keys(got.params).sort()).toEqual(['__proto__', 'await', 'constructor', 'default']);
    expect(got.objective).toBe(Math.fround(want.objective.value));
    expect(Object.keys(want.params).sort()).toEqual(['__proto__', 'await', 'constructor', 'default']);
    for (const k of ['constructor', '__proto__', 'default', 'await']) {
      const mine = Object.getOwnPropertyDescriptor(got.params, k)!.value as number[];
      const theirs = Object.getOwnPropertyDescriptor(want.params, k)!.value as { data: number[] };
      expect(mine).toEqual(theirs.data.map(Math.fround));
    }
    // And the closed form for `__proto__` (its gradient is 2p): p <- (1 - 2 lr) p.
    const p = Object.getOwnPropertyDescriptor(got.params, '__proto__')!.value as number[];
    for (const x of p) expect(Math.abs(x - 0.98 ** 40)).toBeLessThan(1e-5 * 0.98 ** 40);
    expect(got.log.map((row) => row['step'])).toEqual([0, 10, 20, 30, 40]);
    got.log.forEach((row, i) => expect(row['loss']).toBe(Math.fround(want.log[i]!['loss']!)));
  });
});
