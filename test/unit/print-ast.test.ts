/** printAst: a stable dump with no spans or paths, showing the tree's structure. */
import { describe, expect, it } from 'vitest';
import { parse } from '../../compiler/parse.js';
import { printAst, printExpr } from '../../compiler/ast/print-ast.js';

const dump = (src: string, file = 't.gd') => {
  const r = parse(file, src);
  expect(r.diagnostics).toEqual([]);
  return printAst(r.program);
};

describe('printAst', () => {
  it('dumps the quick start as an indented tree with parenthesised expressions', () => {
    const src = [
      'data X: [200, 10] = randn(seed: 1)',
      'param w: [10] = zeros',
      'minimize loss = 0.5 * mean((X @ w - y)^2) over w by gd(lr: 0.1) for 300 steps',
      '  log every 50: loss',
    ].join('\n');
    expect(dump(src)).toBe(
      [
        'Program',
        '  Data X : [200, 10]',
        '    init randn(seed: 1)',
        '  Param w : [10]',
        '    init zeros',
        '  Solve minimize loss',
        '    objective (0.5 * mean((((X @ w) - y) ^ 2)))',
        '    over w',
        '    by gd(lr: 0.1)',
        '    for 300 steps',
        '    log every 50: loss',
        '',
      ].join('\n'),
    );
  });

  it('dumps every kind of statement and clause', () => {
    const src = [
      'use std.mfld',
      'import "lib/net.gd"',
      'dim n = 8',
      'const lam = 1e-3',
      'data B: [n, 2] = load("b.csv") batch 4',
      'param z: [n, 3] in box(0, 1) = zeros per B',
      'particles t: [16, 2]',
      'let k = pairwise(t, (a, b) => -sqdist(a, b))',
      'def f(x, y) = x[:, 0:2].T @ y',
      'phase one {',
      '  maximize g = f(z, z) over z in l2 normalized, t by adam(lr: 0.1, beta1: 0.9)',
      '    until g > 1 max 10 steps record g, h = g^2 every 2 to "g.csv" checkpoint every 5',
      '}',
      'prune z keep 10% by magnitude',
      'prune z keep 3 by magnitude',
      'init z from B @ [[1, 0, 0], [0, 1, 0]]',
      'save z, t to "out.json"',
    ].join('\n');
    expect(dump(src)).toBe(
      [
        'Program',
        '  Use std.mfld',
        '  Import "lib/net.gd"',
        '  Dim n = 8',
        '  Const lam = 1e-3',
        '  Data B : [n, 2]',
        '    init load("b.csv")',
        '    batch 4',
        '  Param z : [n, 3]',
        '    in box(0, 1)',
        '    init zeros',
        '    per B',
        '  Particles t : [16, 2]',
        '  Let k = pairwise(t, ((a, b) => (-sqdist(a, b))))',
        '  Def f(x, y) = (x[:, 0:2].T @ y)',
        '  Phase one',
        '    Solve maximize g',
        '      objective f(z, z)',
        '      over z in l2 normalized',
        '      over t',
        '      by adam(lr: 0.1, beta1: 0.9)',
        '      until (g > 1) max 10 steps',
        '      record g, h = (g ^ 2) every 2 to "g.csv"',
        '      checkpoint every 5',
        '  Prune z keep 10% by magnitude',
        '  Prune z keep 3 by magnitude',
        '  Init z from (B @ [[1, 0, 0], [0, 1, 0]])',
        '  Save z, t to "out.json"',
        '',
      ].join('\n'),
    );
  });

  it('is independent of layout, comments and file name (no spans, no paths)', () => {
    const a = dump('let r = X @ w - y # residual\nminimize l = mean(r^2) over w by gd(lr: 0.1) for 3 steps', 'a/one.gd');
    const b = dump('let r =\n  X@w-y\n\n\nminimize l=mean(r ^ 2)\nover w\nby gd(lr:0.1)\nfor 3 steps', '/elsewhere/two.gd');
    expect(a).toBe(b);
    expect(a).not.toMatch(/one\.gd|two\.gd|\d+:\d+/);
  });

  it('prints expressions so that re-parsing them gives the same tree', () => {
    for (const src of ['-x^2', 'a @ b + c', '2^-1^2', '(a < b) * (c >= d)', 'x[::2, 1:, :3, -1]', '"q\\"uote"', '[[1, 2], [3, 4]].T']) {
      const once = printExpr((parse('t.gd', `let e = ${src}`).program.body[0] as { value: never }).value);
      const twice = printExpr((parse('t.gd', `let e = ${once}`).program.body[0] as { value: never }).value);
      expect(twice).toBe(once);
    }
  });
});
