/**
 * The checker never throws: on random ASTs (any node in any position, including ones the parser never
 * builds) and on the partial ASTs error recovery leaves after syntax errors; and it stays fast on 10,000 lines.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as A from '../../compiler/ast/ast.js';
import { check } from '../../compiler/check/check.js';
import { parse } from '../../compiler/parse.js';
import { memoryHost } from '../../compiler/host.js';

const sp = (start: number): A.Ident['span'] => ({ file: 'r.gd', start, end: start + 1 });
const NAMES = ['w', 'X', 'y', 'n', 't', 'f', 'theta', 'zeros', 'uniform', 'inf', 'sum', 'mean', 'grad', 'pairwise', 'entropy', 'load', 'randn', 'q', 'T'];
const name = fc.constantFrom(...NAMES);
const ident = name.map((n): A.Ident => ({ kind: 'Ident', name: n, span: sp(n.length) }));

const { expr } = fc.letrec<{ expr: A.Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.double({ min: -5, max: 300, noNaN: true }).map((v): A.Expr => ({ kind: 'Number', value: v, text: String(v), span: sp(1) })),
    name.map((n): A.Expr => ({ kind: 'Name', name: n, span: sp(2) })),
    fc.string({ maxLength: 6 }).map((v): A.Expr => ({ kind: 'String', value: v, span: sp(3) })),
    fc.array(tie('expr'), { maxLength: 3 }).map((elements): A.Expr => ({ kind: 'Tensor', elements, span: sp(4) })),
    fc
      .tuple(fc.constantFrom<A.BinaryOp>('+', '-', '*', '/', '^', '@', '<', '=='), tie('expr'), tie('expr'))
      .map(([op, left, right]): A.Expr => ({ kind: 'Binary', op, left, right, opSpan: sp(5), span: sp(5) })),
    tie('expr').map((operand): A.Expr => ({ kind: 'Unary', op: '-', operand, span: sp(6) })),
    fc
      .tuple(ident, fc.array(fc.tuple(fc.option(ident), tie('expr')), { maxLength: 3 }))
      .map(([callee, args]): A.Expr => ({
        kind: 'Call',
        callee,
        args: args.map(([n, value]) => ({ kind: 'Arg', name: n, value, span: sp(7) })),
        span: sp(7),
      })),
    fc
      .tuple(tie('expr'), fc.array(fc.oneof(tie('expr').map((index): A.IndexItem => ({ kind: 'At', index, span: sp(8) })), fc.tuple(fc.option(tie('expr')), fc.option(tie('expr'))).map(([start, stop]): A.IndexItem => ({ kind: 'Slice', start, stop, step: null, span: sp(8) }))), { maxLength: 3 }))
      .map(([target, items]): A.Expr => ({ kind: 'Index', target, items, span: sp(8) })),
    fc.tuple(tie('expr'), ident).map(([target, n]): A.Expr => ({ kind: 'Attr', target, name: n, span: sp(9) })),
    fc.tuple(fc.array(ident, { maxLength: 2 }), tie('expr')).map(([params, body]): A.Expr => ({ kind: 'Lambda', params, body, span: sp(10) })),
  ),
}));

const shape = fc.array(expr, { maxLength: 3 }).map((dims): A.ShapeAnn => ({ kind: 'Shape', dims, span: sp(11) }));
const args = fc.array(fc.tuple(fc.option(ident), expr), { maxLength: 3 }).map((as) => as.map(([n, value]): A.Arg => ({ kind: 'Arg', name: n, value, span: sp(12) })));

const stmt: fc.Arbitrary<A.Stmt> = fc.oneof(
  fc.tuple(ident, expr).map(([n, value]): A.Stmt => ({ kind: 'Dim', name: n, value, span: sp(20) })),
  fc.tuple(ident, expr).map(([n, value]): A.Stmt => ({ kind: 'Const', name: n, value, span: sp(21) })),
  fc.tuple(ident, fc.option(shape), expr, fc.option(expr)).map(([n, s, init, batch]): A.Stmt => ({ kind: 'Data', name: n, shape: s, init, batch, span: sp(22) })),
  fc
    .tuple(ident, fc.option(shape), fc.option(fc.tuple(ident, args)), fc.option(expr), fc.option(ident))
    .map(([n, s, dom, init, per]): A.Stmt => ({ kind: 'Param', name: n, shape: s, domain: dom ? { kind: 'Domain', name: dom[0], args: dom[1], span: sp(23) } : null, init, per, span: sp(23) })),
  fc.tuple(ident, shape, fc.option(expr)).map(([n, s, init]): A.Stmt => ({ kind: 'Particles', name: n, shape: s, init, span: sp(24) })),
  fc.tuple(ident, expr).map(([n, value]): A.Stmt => ({ kind: 'Let', name: n, value, span: sp(25) })),
  fc.tuple(ident, fc.array(ident, { maxLength: 2 }), expr).map(([n, params, body]): A.Stmt => ({ kind: 'Def', name: n, params, body, span: sp(26) })),
  fc
    .tuple(ident, expr, fc.array(fc.tuple(ident, fc.option(fc.tuple(ident, args))), { maxLength: 2 }), ident, args, fc.array(fc.oneof(expr.map((count): A.Control => ({ kind: 'For', count, span: sp(27) })), fc.tuple(expr, fc.option(expr)).map(([cond, max]): A.Control => ({ kind: 'Until', cond, max, span: sp(27) })), fc.tuple(expr, expr).map(([every, e]): A.Control => ({ kind: 'Log', every, items: [{ kind: 'OutputItem', name: null, expr: e, text: 'e', span: sp(27) }], span: sp(27) }))), { maxLength: 2 }))
    .map(([n, objective, targets, m, margs, controls]): A.Stmt => ({
      kind: 'Solve',
      sense: 'minimize',
      name: n,
      objective,
      targets: targets.map(([tn, g]) => ({ kind: 'Target', name: tn, geometry: g ? { kind: 'Geometry', name: g[0], args: g[1], flags: [], span: sp(28) } : null, span: sp(28) })),
      method: { kind: 'Method', name: m, args: margs, span: sp(29) },
      controls,
      span: sp(30),
    })),
  fc.tuple(ident, expr, fc.boolean(), ident).map(([target, amount, percent, by]): A.Stmt => ({ kind: 'Prune', target, amount, percent, by, span: sp(31) })),
  fc.tuple(ident, expr).map(([target, value]): A.Stmt => ({ kind: 'Init', target, value, span: sp(32) })),
  fc.array(ident, { maxLength: 2 }).map((names): A.Stmt => ({ kind: 'Save', names, file: { kind: 'String', value: 'o.json', span: sp(33) }, span: sp(33) })),
  fc.string({ maxLength: 8 }).map((p): A.Stmt => ({ kind: 'Import', path: { kind: 'String', value: p, span: sp(34) }, span: sp(34) })),
  fc.array(ident, { maxLength: 3 }).map((path): A.Stmt => ({ kind: 'Use', path, span: sp(35) })),
);

const program = fc.array(stmt, { maxLength: 8 }).map((body): A.Program => ({ kind: 'Program', file: 'r.gd', body, span: sp(0) }));

describe('checker robustness', () => {
  it('never throws on random ASTs and returns codes from the catalogue', () => {
    const host = memoryHost({ 'X.csv': '1,2\n3,4\n', 'a.gd': 'import "r.gd"\nconst q = 1\n' });
    fc.assert(
      fc.property(program, (p) => {
        const r = check(p, host, { parseFile: parse, overrides: { n: 3 } });
        for (const d of r.diagnostics) expect(d.code).toMatch(/^GD\d{4}$/);
        if (r.checked === null) expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      }),
      { numRuns: 600, seed: 7 },
    );
  });

  it('never throws on the partial ASTs left by syntax errors', () => {
    const dir = join(import.meta.dirname, '../../examples');
    const texts = readdirSync(dir)
      .filter((f) => f.endsWith('.gd'))
      .map((f) => readFileSync(join(dir, f), 'utf8'));
    const host = memoryHost({});
    fc.assert(
      fc.property(fc.integer({ min: 0, max: texts.length - 1 }), fc.nat(), fc.nat({ max: 12 }), fc.string({ maxLength: 4 }), (i, at, del, ins) => {
        const t = texts[i]!;
        const k = at % (t.length + 1);
        const text = t.slice(0, k) + ins + t.slice(k + del);
        const p = parse('m.gd', text);
        check(p.program, host, { parseFile: parse });
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it('checks a generated 10,000-line program quickly and linearly', () => {
    const gen = (blocks: number) => {
      const out = ['dim n = 64', 'dim d = 8', 'data X: [n, d] = randn(seed: 1)', 'data y: [n] = tanh(X[:, 0])'];
      for (let i = 0; i < blocks; i++) {
        out.push(`param w${i}: [d] = zeros`, `def f${i}(a, b) = 0.5 * mean((a - b)^2) + 1e-3 * sum(a * a)`, `let r${i} = X @ w${i} - y`, `const c${i} = ${i % 7} * 0.25`);
        out.push(`minimize loss${i} = f${i}(X @ w${i}, y) + c${i} * mean(r${i}^2)`, `  over w${i} by adam(lr: 0.01) for 10 steps log every 5: loss${i}`);
      }
      return parse('big.gd', out.join('\n') + '\n').program;
    };
    const small = gen(160);
    const big = gen(1600); // ≈ 10,000 lines
    const time = (p: A.Program) => {
      let best = Infinity;
      for (let k = 0; k < 3; k++) {
        const t0 = performance.now();
        const r = check(p, memoryHost({}), {});
        best = Math.min(best, performance.now() - t0);
        expect(r.diagnostics).toEqual([]);
      }
      return best;
    };
    const ts = time(small);
    const tb = time(big);
    // Generous absolute bound (shared CI cores); the ratio catches quadratic behaviour: 10x the lines, well under 100x the time.
    expect(tb).toBeLessThan(1500);
    expect(tb / Math.max(ts, 1)).toBeLessThan(40);
  });
});

describe('deep expressions', () => {
  const P = 'param w: [3] = zeros\n';
  it('a 20,000-term sum is checked (the left spine is walked iteratively)', () => {
    const src = `${P}let a = ${Array(20_000).fill('w').join(' + ')}\nminimize f = sum(a^2) over w by gd(lr: 0.1) for 3 steps\n`;
    const p = parse('d.gd', src);
    const r = check(p.program, memoryHost({}), {});
    expect(r.diagnostics).toEqual([]);
    const a = r.checked!.symbols.get('a');
    expect(a?.kind === 'let' && a.shape).toEqual([3]);
  });

  it('nesting deeper than the limit is a diagnostic, not a stack overflow', () => {
    let e: A.Expr = { kind: 'Name', name: 'w', span: sp(0) };
    for (let i = 0; i < 5000; i++) e = { kind: 'Unary', op: '-', operand: e, span: sp(0) };
    const w: A.Stmt = { kind: 'Param', name: { kind: 'Ident', name: 'w', span: sp(0) }, shape: { kind: 'Shape', dims: [{ kind: 'Number', value: 3, text: '3', span: sp(0) }], span: sp(0) }, domain: null, init: null, per: null, span: sp(0) };
    const let_: A.Stmt = { kind: 'Let', name: { kind: 'Ident', name: 'a', span: sp(0) }, value: e, span: sp(0) };
    const r = check({ kind: 'Program', file: 'r.gd', body: [w, let_], span: sp(0) }, memoryHost({}), {});
    expect(r.diagnostics.map((d) => d.code)).toEqual(['GD2033']);
  });
});
