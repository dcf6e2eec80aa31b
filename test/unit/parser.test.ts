/** Parser + AST builder: every construct of LANGUAGE.md, precedence, spans, syntax errors, recovery, robustness, speed. */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { generateCstDts } from 'chevrotain';
import { parse } from '../../compiler/parse.js';
import { printExpr } from '../../compiler/ast/print-ast.js';
import { parser } from '../../grammar/parser.js';
import { lineCol } from '../../compiler/diagnostics/span.js';
import type * as A from '../../compiler/ast/ast.js';

/** Parses and requires no diagnostics. */
function ok(src: string): A.Program {
  const r = parse('t.gd', src);
  expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return r.program;
}

function stmt<K extends A.Stmt['kind']>(src: string, kind: K): Extract<A.Stmt, { kind: K }> {
  const p = ok(src);
  expect(p.body).toHaveLength(1);
  expect(p.body[0]!.kind).toBe(kind);
  return p.body[0] as Extract<A.Stmt, { kind: K }>;
}

/** The expression of `let e = SRC`, printed fully parenthesised. */
function expr(src: string): string {
  return printExpr(stmt(`let e = ${src}`, 'Let').value);
}

/** `code@line:col` for each diagnostic, in order. */
function errors(src: string): string[] {
  return parse('t.gd', src).diagnostics.map((d) => {
    const { line, col } = lineCol(src, d.span!.start);
    return `${d.code}@${line}:${col}`;
  });
}

const text = (src: string, s: { span: { start: number; end: number } }) => src.slice(s.span.start, s.span.end);

describe('declarations (LANGUAGE.md §2)', () => {
  it('dim and const', () => {
    const d = stmt('dim n = 256', 'Dim');
    expect([d.name.name, printExpr(d.value)]).toEqual(['n', '256']);
    const c = stmt('const lam = 1e-3', 'Const');
    expect(c.value).toMatchObject({ kind: 'Number', value: 0.001, text: '1e-3' });
  });

  it('data with shape, initializer and batch', () => {
    const d = stmt('data X: [n, d] = load("data/X.csv")', 'Data');
    expect(d.shape!.dims.map(printExpr)).toEqual(['n', 'd']);
    expect(printExpr(d.init)).toBe('load("data/X.csv")');
    expect(d.batch).toBeNull();
    const b = stmt('data B: [n, d] = load("big.npy") batch 64', 'Data');
    expect(printExpr(b.batch!)).toBe('64');
    expect(printExpr(stmt('data y: [n] = tanh(X[:, 0])', 'Data').init)).toBe('tanh(X[:, 0])');
    expect(printExpr(stmt('data Z: [n, d] = randn(seed: 7) * 0.1', 'Data').init)).toBe('(randn(seed: 7) * 0.1)');
    expect(stmt('data s = 3', 'Data').shape).toBeNull();
  });

  it('param with domain, init and per in any order', () => {
    const a = stmt('param w: [d] = zeros', 'Param');
    expect([a.domain, a.per, printExpr(a.init!)]).toEqual([null, null, 'zeros']);
    const p = stmt('param p: [k] in simplex = uniform', 'Param');
    expect([p.domain!.name.name, p.domain!.args.length, printExpr(p.init!)]).toEqual(['simplex', 0, 'uniform']);
    const b = stmt('param delta: [784] in ball(inf, 8/255) = zeros', 'Param');
    expect(b.domain!.args.map((x) => printExpr(x.value))).toEqual(['inf', '(8 / 255)']);
    const z1 = stmt('param z: [n, k] per B', 'Param');
    expect([z1.per!.name, z1.init]).toEqual(['B', null]);
    const z2 = stmt('param z: [n, k] per B = zeros in positive', 'Param');
    const z3 = stmt('param z: [n, k] in positive = zeros per B', 'Param');
    for (const z of [z2, z3]) expect([z.per!.name, printExpr(z.init!), z.domain!.name.name]).toEqual(['B', 'zeros', 'positive']);
    expect(stmt('param u', 'Param')).toMatchObject({ shape: null, domain: null, init: null, per: null });
    expect(stmt('param w: [] = 1', 'Param').shape!.dims).toEqual([]);
  });

  it('particles, let and def', () => {
    const t = stmt('particles theta: [m, d] = randn(seed: 1)', 'Particles');
    expect([t.shape.dims.map(printExpr), printExpr(t.init!)]).toEqual([['m', 'd'], 'randn(seed: 1)']);
    expect(printExpr(stmt('let r = X @ w - y', 'Let').value)).toBe('((X @ w) - y)');
    const f = stmt('def mlp(x, W1, b1, W2) = relu(x @ W1 + b1) @ W2', 'Def');
    expect(f.params.map((p) => p.name)).toEqual(['x', 'W1', 'b1', 'W2']);
    expect(printExpr(f.body)).toBe('(relu(((x @ W1) + b1)) @ W2)');
    expect(stmt('def one() = 1', 'Def').params).toEqual([]);
  });

  it('builtin and soft-keyword names are usable as names', () => {
    expect(expr('log(p) + max(x, axis: 0) + exp(steps) * batch - every')).toBe('(((log(p) + max(x, axis: 0)) + (exp(steps) * batch)) - every)');
    expect(stmt('data batch = 3', 'Data').name.name).toBe('batch');
    expect(stmt('let steps = 10', 'Let').name.name).toBe('steps');
  });
});

describe('expressions (LANGUAGE.md §3)', () => {
  it('follows the precedence table', () => {
    expect(expr('-x^2')).toBe('(-(x ^ 2))');
    expect(expr('a @ b + c')).toBe('((a @ b) + c)');
    expect(expr('a + b @ c')).toBe('(a + (b @ c))');
    expect(expr('a * b / c @ d')).toBe('(((a * b) / c) @ d)');
    expect(expr('a - b - c')).toBe('((a - b) - c)');
    expect(expr('a^b^c')).toBe('(a ^ (b ^ c))');
    expect(expr('2^-1')).toBe('(2 ^ (-1))');
    expect(expr('-a * b')).toBe('((-a) * b)');
    expect(expr('a * -b^2')).toBe('(a * (-(b ^ 2)))');
    expect(expr('a + b < c * d')).toBe('((a + b) < (c * d))');
    expect(expr('x.T^2')).toBe('(x.T ^ 2)');
    expect(expr('-x[0]^2')).toBe('(-(x[0] ^ 2))');
    expect(expr('(a + b) * c')).toBe('((a + b) * c)');
    expect(expr('--a')).toBe('(-(-a))');
    expect(expr('+a')).toBe('(+a)');
  });

  it('parses every comparison operator', () => {
    for (const op of ['<', '<=', '>', '>=', '==', '!=']) expect(expr(`a ${op} b`)).toBe(`(a ${op} b)`);
  });

  it('parses numbers, strings and tensor literals', () => {
    expect(expr('.5 + 1e-3 + 8/255')).toBe('((.5 + 1e-3) + (8 / 255))');
    expect(stmt('let s = "a\\"b"', 'Let').value).toMatchObject({ kind: 'String', value: 'a"b' });
    const m = stmt('let m = [[1, 0], [0, 1]]', 'Let').value as A.TensorLit;
    expect(m.kind).toBe('Tensor');
    expect(m.elements.map((e) => (e as A.TensorLit).elements.map(printExpr))).toEqual([
      ['1', '0'],
      ['0', '1'],
    ]);
    expect(expr('[0.3, 0.1, 0.5]')).toBe('[0.3, 0.1, 0.5]');
  });

  it('parses calls with positional and named arguments', () => {
    const c = stmt('let c = f(a, axis: 1)', 'Let').value as A.Call;
    expect(c.callee.name).toBe('f');
    expect(c.args.map((a) => [a.name?.name ?? null, printExpr(a.value)])).toEqual([
      [null, 'a'],
      ['axis', '1'],
    ]);
    expect(expr('norm(grad(loss, w))')).toBe('norm(grad(loss, w))');
    expect(expr('f()')).toBe('f()');
  });

  it('parses indexing and slicing', () => {
    const items = (src: string) => (stmt(`let e = ${src}`, 'Let').value as A.Index).items;
    expect(items('x[i]')).toMatchObject([{ kind: 'At', index: { kind: 'Name', name: 'i' } }]);
    expect(items('x[-1]')[0]).toMatchObject({ kind: 'At', index: { kind: 'Unary', op: '-' } });
    expect(items('x[:, 0:10]')).toMatchObject([
      { kind: 'Slice', start: null, stop: null, step: null },
      { kind: 'Slice', start: { value: 0 }, stop: { value: 10 }, step: null },
    ]);
    expect(items('x[::2]')).toMatchObject([{ kind: 'Slice', start: null, stop: null, step: { value: 2 } }]);
    expect(items('x[1:]')).toMatchObject([{ kind: 'Slice', start: { value: 1 }, stop: null, step: null }]);
    expect(items('x[:3]')).toMatchObject([{ kind: 'Slice', start: null, stop: { value: 3 }, step: null }]);
    expect(items('x[a:b:c]')).toMatchObject([{ kind: 'Slice', start: { name: 'a' }, stop: { name: 'b' }, step: { name: 'c' } }]);
    expect(expr('x[:, 0:8].T[1]')).toBe('x[:, 0:8].T[1]');
    expect(stmt('let e = theta[:, 0:8].T', 'Let').value).toMatchObject({ kind: 'Attr', name: { name: 'T' }, target: { kind: 'Index' } });
  });

  it('parses lambdas and tells them from parenthesised expressions', () => {
    const l = stmt('let k = pairwise(theta, (x, y) => exp(-sqdist(x, y)))', 'Let').value as A.Call;
    const lam = l.args[1]!.value as A.Lambda;
    expect(lam.kind).toBe('Lambda');
    expect(lam.params.map((p) => p.name)).toEqual(['x', 'y']);
    expect(printExpr(lam.body)).toBe('exp((-sqdist(x, y)))');
    expect(expr('x => x + 1')).toBe('((x) => (x + 1))');
    expect(expr('() => 1')).toBe('(() => 1)');
    expect(expr('(x) => x')).toBe('((x) => x)');
    expect(expr('(x)')).toBe('x');
    expect(expr('((x + y)) * 2')).toBe('((x + y) * 2)');
  });
});

describe('solving (LANGUAGE.md §4)', () => {
  it('parses the quick-start statement', () => {
    const s = stmt(
      'minimize loss = 0.5 * mean(r^2) + lam * norm(w)^2\n  over w\n  by gd(lr: 0.1)\n  for 500 steps\n  log every 50: loss, norm(grad(loss, w))',
      'Solve',
    );
    expect(s.sense).toBe('minimize');
    expect(s.name.name).toBe('loss');
    expect(printExpr(s.objective)).toBe('((0.5 * mean((r ^ 2))) + (lam * (norm(w) ^ 2)))');
    expect(s.targets.map((t) => [t.name.name, t.geometry])).toEqual([['w', null]]);
    expect(s.method.name.name).toBe('gd');
    expect(s.controls.map((c) => c.kind)).toEqual(['For', 'Log']);
    const log = s.controls[1] as Extract<A.Control, { kind: 'Log' }>;
    expect(log.items.map((i) => [i.name, i.text])).toEqual([
      [null, 'loss'],
      [null, 'norm(grad(loss, w))'],
    ]);
  });

  it('attaches each geometry to the target before it, with args and flags', () => {
    const s = stmt('maximize a = f over p in mirror(entropy), w, v in l2 normalized, u in linf scaled by sgd(0.1, noise: 0.5)', 'Solve');
    expect(s.sense).toBe('maximize');
    const g = s.targets.map((t) => [t.name.name, t.geometry?.name.name ?? null, t.geometry?.args.map((x) => printExpr(x.value)) ?? [], t.geometry?.flags.map((f) => f.name) ?? []]);
    expect(g).toEqual([
      ['p', 'mirror', ['entropy'], []],
      ['w', null, [], []],
      ['v', 'l2', [], ['normalized']],
      ['u', 'linf', [], ['scaled']],
    ]);
    expect(s.method.args.map((a) => [a.name?.name ?? null, printExpr(a.value)])).toEqual([
      [null, '0.1'],
      ['noise', '0.5'],
    ]);
    const pre = stmt('minimize l = f over x in precondition(dual: hstar) by adam(lr: 0.5 / sqrt(t + 1))', 'Solve');
    expect(pre.targets[0]!.geometry!.args[0]!.name!.name).toBe('dual');
    expect(printExpr(pre.method.args[0]!.value)).toBe('(0.5 / sqrt((t + 1)))');
  });

  it('parses every control clause, in any order', () => {
    const s = stmt(
      'minimize l = f over w by gd(lr: 0.1) checkpoint every 100 record l, gn = norm(grad(l, w)) every 10 to "trace.csv" until l < 1e-6 max 1000 steps log every 5: l for 20 steps record l to "all.csv" until gn < 1',
      'Solve',
    );
    expect(s.controls.map((c) => c.kind)).toEqual(['Checkpoint', 'Record', 'Until', 'Log', 'For', 'Record', 'Until']);
    const [ck, rec, until, log, fr, rec2, until2] = s.controls as A.Control[];
    expect(ck).toMatchObject({ kind: 'Checkpoint', every: { value: 100 } });
    expect(rec).toMatchObject({ kind: 'Record', every: { value: 10 }, file: { value: 'trace.csv' } });
    expect((rec as Extract<A.Control, { kind: 'Record' }>).items.map((i) => [i.name?.name ?? null, i.text])).toEqual([
      [null, 'l'],
      ['gn', 'norm(grad(l, w))'],
    ]);
    expect(until).toMatchObject({ kind: 'Until', max: { value: 1000 } });
    expect(printExpr((until as Extract<A.Control, { kind: 'Until' }>).cond)).toBe('(l < 1e-6)');
    expect(log).toMatchObject({ kind: 'Log', every: { value: 5 } });
    expect(fr).toMatchObject({ kind: 'For', count: { value: 20 } });
    expect(rec2).toMatchObject({ kind: 'Record', every: null, file: { value: 'all.csv' } });
    expect(until2).toMatchObject({ kind: 'Until', max: null });
  });

  it('allows a method without parentheses and a solve without controls', () => {
    const s = stmt('minimize l = f over w by gd', 'Solve');
    expect([s.method.args, s.controls]).toEqual([[], []]);
  });
  it('takes `minimize NAME over ...` without `= EXPR` as the objective named NAME (LANGUAGE.md §5)', () => {
    const s = stmt('minimize loss over w by gd(lr: 0.01) for 100 steps', 'Solve');
    expect(s.objective).toMatchObject({ kind: 'Name', name: 'loss' });
    expect(s.objective.span).toEqual(s.name.span);
    expect(s.controls.map((c) => c.kind)).toEqual(['For']);
  });
});

describe('phases and run-level statements (LANGUAGE.md §5, §7)', () => {
  it('parses phases with nested statements', () => {
    const p = ok('phase warmup { minimize loss over w by gd(lr: 0.01) for 100 steps }\nphase main { minimize loss over w by adam(lr: 1e-3) for 2000 steps }'.replace(/minimize loss/g, 'minimize loss = l'));
    expect(p.body.map((s) => [s.kind, (s as A.PhaseStmt).name.name, (s as A.PhaseStmt).body.map((b) => b.kind)])).toEqual([
      ['Phase', 'warmup', ['Solve']],
      ['Phase', 'main', ['Solve']],
    ]);
    const nested = stmt('phase p { let a = 1 prune W keep 50 by magnitude phase q { save w to "w.json" } }', 'Phase');
    expect(nested.body.map((b) => b.kind)).toEqual(['Let', 'Prune', 'Phase']);
  });

  it('parses prune (percent and count), init, save, import and use', () => {
    expect(stmt('prune W keep 10% by magnitude', 'Prune')).toMatchObject({ target: { name: 'W' }, amount: { value: 10 }, percent: true, by: { name: 'magnitude' } });
    expect(stmt('prune W keep 50 by magnitude', 'Prune')).toMatchObject({ amount: { value: 50 }, percent: false });
    const i = stmt('init z from encoder(B)', 'Init');
    expect([i.target.name, printExpr(i.value)]).toEqual(['z', 'encoder(B)']);
    const s = stmt('save w, p to "out.json"', 'Save');
    expect([s.names.map((n) => n.name), s.file.value]).toEqual([['w', 'p'], 'out.json']);
    expect(stmt('import "lib/net.gd"', 'Import').path.value).toBe('lib/net.gd');
    expect(stmt('use std.mfld', 'Use').path.map((p) => p.name)).toEqual(['std', 'mfld']);
  });

  it('treats newlines as insignificant', () => {
    const a = parse('a.gd', 'data X: [2] = randn(seed: 1) param w: [2] = zeros minimize l = mean(X * w) over w by gd(lr: 0.1) for 3 steps');
    const b = parse('a.gd', 'data X: [2] =\n  randn(seed: 1)\nparam w:\n [2] = zeros\nminimize l =\n mean(X * w)\n over w\n by gd(\n lr: 0.1)\n for 3\n steps');
    expect(a.diagnostics).toEqual([]);
    expect(b.diagnostics).toEqual([]);
    expect(b.program.body.map((s) => s.kind)).toEqual(a.program.body.map((s) => s.kind));
  });
});

describe('examples', () => {
  const dir = join(__dirname, '../../examples');
  const files = readdirSync(dir).filter((f) => f.endsWith('.gd'));
  it('has examples to parse', () => expect(files.length).toBeGreaterThanOrEqual(4));
  for (const f of files) {
    it(`parses examples/${f} with no diagnostics and consistent spans`, () => {
      const src = readFileSync(join(dir, f), 'utf8');
      const r = parse(f, src);
      expect(r.diagnostics).toEqual([]);
      expect(r.program.body.length).toBeGreaterThan(0);
      checkSpans(r.program, src, f);
    });
  }
});

/** Every node's span lies inside its parent's, inside the text, in the right file; output-item text matches its span. */
function checkSpans(root: A.Program, src: string, file: string): void {
  const visit = (node: unknown, parent: { start: number; end: number }) => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, parent));
    if (!node || typeof node !== 'object') return;
    const n = node as { kind?: string; span?: { file: string; start: number; end: number }; [k: string]: unknown };
    let inner = parent;
    if (n.kind && n.span) {
      expect(n.span.file).toBe(file);
      expect(n.span.start).toBeGreaterThanOrEqual(parent.start);
      expect(n.span.end).toBeLessThanOrEqual(parent.end);
      expect(n.span.end).toBeGreaterThan(n.span.start);
      if (n.kind === 'OutputItem') expect(n['text']).toBe(src.slice((n['expr'] as A.Expr).span.start, (n['expr'] as A.Expr).span.end));
      inner = n.span;
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'span' && k !== 'opSpan') visit(v, inner);
  };
  visit(root, { start: 0, end: src.length });
}

describe('spans', () => {
  it('puts exact spans on names, operators, calls and statements', () => {
    const src = 'let r = X @ w - y';
    const l = stmt(src, 'Let');
    expect(text(src, l)).toBe(src);
    expect(text(src, l.name)).toBe('r');
    const b = l.value as A.Binary;
    expect(text(src, b)).toBe('X @ w - y');
    expect(src.slice(b.opSpan.start, b.opSpan.end)).toBe('-');
    expect(text(src, b.left)).toBe('X @ w');
    const src2 = '  minimize  loss = 0.5 * mean((X @ w - y)^2) over w in mirror(entropy) by gd(lr: 0.1) for 300 steps\n  log every 50: gn = norm(grad(loss, w))  # c\n';
    const s = stmt(src2, 'Solve');
    expect(text(src2, s)).toBe(src2.trim().replace(/\s*# c$/, ''));
    expect(text(src2, s.objective)).toBe('0.5 * mean((X @ w - y)^2)');
    expect(text(src2, s.targets[0]!)).toBe('w in mirror(entropy)');
    expect(text(src2, s.targets[0]!.geometry!)).toBe('mirror(entropy)');
    expect(text(src2, s.method)).toBe('gd(lr: 0.1)');
    expect(text(src2, s.method.args[0]!)).toBe('lr: 0.1');
    expect(s.controls.map((c) => text(src2, c))).toEqual(['for 300 steps', 'log every 50: gn = norm(grad(loss, w))']);
    const item = (s.controls[1] as Extract<A.Control, { kind: 'Log' }>).items[0]!;
    expect([text(src2, item), item.text]).toEqual(['gn = norm(grad(loss, w))', 'norm(grad(loss, w))']);
  });

  it('includes parentheses in a grouped expression and the sign in a unary one', () => {
    const src = 'let e = -(a + b) * x[1:2].T';
    const b = stmt(src, 'Let').value as A.Binary;
    expect(text(src, b.left)).toBe('-(a + b)');
    expect(text(src, (b.left as A.Unary).operand)).toBe('(a + b)');
    expect(text(src, b.right)).toBe('x[1:2].T');
    expect(text(src, (b.right as A.Attr).target)).toBe('x[1:2]');
    expect(text(src, ((b.right as A.Attr).target as A.Index).items[0]!)).toBe('1:2');
  });
});

describe('syntax errors', () => {
  it('reports each kind of error with its code at the right line and column', () => {
    expect(errors('let a = 3 $ 4')).toEqual(['GD1001@1:11']);
    expect(errors('let b = "abc\nlet c = 1')).toEqual(['GD1002@1:9']);
    expect(errors('let a = 3 4')).toEqual(['GD1007@1:11']);
    expect(errors('minimize l = f over w by gd(lr 0.1)')).toEqual(['GD1003@1:32']);
    expect(errors('data X: [10] = randn(seed: 1\nparam w: [10] = zeros')).toEqual(['GD1004@1:29']);
    expect(errors('let a = (1 + 2')).toEqual(['GD1005@1:15']);
    expect(errors('let a = 1e\nlet b = 2x')).toEqual(['GD1006@1:9', 'GD1006@2:9']);
    expect(errors('foo bar\nlet a = 1')).toEqual(['GD1007@1:1']);
    expect(errors('data X: [3, ] = 1')).toEqual(['GD1008@1:13']);
    expect(errors('let f = pairwise(t, (x + 1, y) => x)')).toEqual(['GD1009@1:22']);
    expect(errors('let a = f(x: 1, 2)')).toEqual(['GD1010@1:17']);
    expect(errors('let a = f(x: 1, x: 2)')).toEqual(['GD1011@1:17']);
    expect(errors('let a = x[]')).toEqual(['GD1012@1:10']);
    expect(errors('let a = x[1 2]')).toEqual(['GD1012@1:13']);
    expect(errors('minimize l = f over w by gd log 10: l')).toEqual(['GD1013@1:33']);
    expect(errors('minimize l = f over w by gd for 10 stepz')).toEqual(['GD1013@1:36']);
    expect(errors('let s = "a\\qb"')).toEqual(['GD1014@1:11']);
  });

  it('says what was expected and what was found, in words', () => {
    const m = (src: string) => parse('t.gd', src).diagnostics.map((d) => d.message);
    expect(m('minimize l = f over w by gd(lr 0.1)')).toEqual(["expected ')', found number '0.1'"]);
    expect(m('let a = 3 +\nlet b = 4')).toEqual(["expected an expression, found keyword 'let'"]);
    expect(m('let a = (1 + 2')).toEqual(["unexpected end of file: expected ')'"]);
    expect(m('minimize l = f over w gd')[0]).toBe("expected 'by', found name 'gd'");
    expect(m('let a = f(a, , b)')).toEqual(["expected an expression, found ','"]);
    expect(m('prune W keep by magnitude')).toEqual(["expected an expression, found keyword 'by'"]);
    expect(m('phase p { let a = 1')).toEqual(["unexpected end of file: expected '}'"]);
    expect(m('save w p to "x.json"')).toEqual(["expected 'to', found name 'p'"]);
    expect(m('let = 3')).toEqual(["expected a name, found '='"]);
  });

  it('puts a missing token after the previous one, not on the next line', () => {
    const src = 'let a = 3 +\nlet b = 4';
    const [d] = parse('t.gd', src).diagnostics;
    expect([d!.code, d!.span!.start]).toEqual(['GD1004', 11]);
    expect(d!.notes[0]!.span!.start).toBe(12);
  });

  it('reports every error of a malformed file once, and keeps the whole statements', () => {
    const src = [
      'dim n = 10',
      'data X: [n] = randn(seed: 1', // missing )
      'param w: [n] = zeros',
      'let r = X @ w -', // missing operand
      'let ok1 = 1',
      'minimize l = mean(r^2) over w by gd(lr: 0.1) for 10', // missing steps
      'let ok2 = 2 $', // bad character
      'bogus tokens here', // not a statement
      'let ok3 = [1, 2',
    ].join('\n');
    const r = parse('t.gd', src);
    expect(r.diagnostics.map((d) => `${d.code}@${lineCol(src, d.span!.start).line}`)).toEqual([
      'GD1004@2',
      'GD1004@4',
      'GD1004@6',
      'GD1001@7',
      'GD1007@8',
      'GD1005@9',
    ]);
    const starts = r.diagnostics.map((d) => d.span!.start);
    expect(new Set(starts).size).toBe(starts.length);
    const names = r.program.body.map((s) => ('name' in s ? s.name.name : s.kind));
    expect(names).toEqual(expect.arrayContaining(['n', 'X', 'w', 'ok1', 'l', 'ok2']));
    expect(names).not.toContain('r');
  });

  it('recovers inside phases and keeps going after them', () => {
    const r = parse('t.gd', 'phase p { let a = 1 let b = }\nlet c = 2');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['GD1003']);
    expect(r.program.body.map((s) => s.kind)).toEqual(['Phase', 'Let']);
    expect((r.program.body[0] as A.PhaseStmt).body.map((s) => s.kind)).toEqual(['Let']);
  });

  it('rejects chained comparisons and duplicate clauses', () => {
    expect(errors('let a = 1 < 2 < 3')).toEqual(['GD1003@1:15']);
    expect(errors('param w = zeros = ones')).toEqual(['GD1007@1:17']);
    expect(errors('data Z: [3]')).toEqual(['GD1004@1:12']);
    expect(errors('param w in simplex in box(0, 1)')).toEqual(['GD1007@1:20']);
    expect(errors('data X = 1 batch 2 batch 3')).toEqual(['GD1007@1:20']);
    expect(errors('particles t: [2, 2] = a = b')).toEqual(['GD1007@1:25']);
    const kept = (src: string) => {
      const p = parse('t.gd', src).program.body[0] as A.ParamDecl;
      return `${p.domain!.name.name}(${p.domain!.args.map((a) => printExpr(a.value)).join(', ')}) ${p.init ? printExpr(p.init) : '-'}`;
    };
    expect(kept('param w in simplex in box(0, 1)')).toBe('simplex() -');
    expect(kept('param w in box(0, 1) in simplex = zeros')).toBe('box(0, 1) zeros');
    expect(kept('param w = f(x) in ball(2, 1)')).toBe('ball(2, 1) f(x)');
  });
});

describe('robustness', () => {
  const pieces = ['let', 'data', 'param', 'minimize', 'over', 'by', 'for', 'steps', 'log', 'every', 'in', 'phase', '{', '}', '(', ')', '[', ']', ',', ':', '=', '=>', '+', '-', '*', '^', '@', '<', '.', 'T', 'x', 'w', 'gd', '1', '2.5', '"s"', '"open', '%', '$', '#c\n', '\n', ' '];
  it('never throws, and reports only spans inside the text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const src = parts.join(' ');
        const r = parse('f.gd', src);
        for (const d of r.diagnostics) {
          expect(d.code).toMatch(/^GD1\d{3}$/);
          expect(d.span!.start).toBeGreaterThanOrEqual(0);
          expect(d.span!.end).toBeLessThanOrEqual(src.length);
        }
        const starts = r.diagnostics.map((d) => d.span!.start);
        expect(new Set(starts).size).toBe(starts.length);
        expect(r.program.kind).toBe('Program');
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (src) => {
        expect(parse('f.gd', src).program.kind).toBe('Program');
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  /** Random expression trees: printing them fully parenthesised and parsing back must give the same tree. */
  const exprArb: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('x', 'y', '1', '2.5', '1e-3', '"s"'),
      fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '^', '@', '<', '>=', '=='), tie('e')).map(([a, op, b]) => `(${a} ${op} ${b})`),
      tie('e').map((a) => `(-${a})`),
      fc.tuple(fc.constantFrom('f', 'mean'), fc.array(tie('e'), { maxLength: 3 })).map(([f, as]) => `${f}(${as.join(', ')})`),
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => `x[${a}, :${b}]`),
      tie('e').map((a) => `${a}.T`),
      fc.array(tie('e'), { minLength: 1, maxLength: 3 }).map((as) => `[${as.join(', ')}]`),
      tie('e').map((a) => `((x, y) => ${a})`),
    ),
  })).e;

  it('round-trips printed expressions (the parser agrees with the printer on structure)', () => {
    fc.assert(
      fc.property(exprArb, (src) => {
        const first = expr(src);
        expect(first).toBe(src);
      }),
      { numRuns: 300, seed: 3 },
    );
  });
});

describe('generated cst.d.ts', () => {
  it('is up to date with the grammar (GD_UPDATE_CST=1 rewrites it)', () => {
    const file = join(__dirname, '../../grammar/cst.d.ts');
    const fresh = generateCstDts(parser.getGAstProductions());
    if (process.env['GD_UPDATE_CST'] === '1') writeFileSync(file, fresh);
    expect(readFileSync(file, 'utf8')).toBe(fresh);
  });
});

describe('speed', () => {
  /** A program of `n` lines, each a real declaration or solve statement. */
  function generated(n: number): string {
    const lines = ['dim n = 16', 'data x0: [n] = randn(seed: 1)', 'let v0 = 1', 'let v1 = 2'];
    for (let i = 2; lines.length < n; i++) {
      switch (i % 4) {
        case 0:
          lines.push(`let v${i} = 0.5 * v${i - 1} + sin(v${i - 2})`);
          break;
        case 1:
          lines.push(`param p${i}: [n] in simplex = uniform`);
          break;
        case 2:
          lines.push(`let v${i} = mean((x0 @ p${i - 1} - v${i - 2})^2, axis: 0)`);
          break;
        default:
          lines.push(`minimize l${i} = v${i - 1} over p${i - 2} by adam(lr: 1e-3) for 100 steps`);
      }
    }
    return lines.join('\n');
  }

  // CPU time of this process, not wall time: the test machine is shared and often oversubscribed.
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };

  it('parses a generated 10,000-line program within a regression bound', () => {
    const src = generated(10_000);
    parse('big.gd', src); // warm-up: chevrotain and V8 settle on the first run
    let best = Infinity;
    for (let k = 0; k < 3; k++) {
      const t0 = cpuMs();
      const r = parse('big.gd', src);
      best = Math.min(best, cpuMs() - t0);
      expect(r.diagnostics).toEqual([]);
      expect(r.program.body.length).toBe(10_000);
    }
    // A guard against gross regressions (a quadratic step would take many seconds here), loose
    // enough for a loaded machine and V8's default young generation; docs/grammar.md ("Speed") has
    // the measured figures. GD_PARSE_BUDGET_MS tightens it on a quiet machine.
    const budget = Number(process.env['GD_PARSE_BUDGET_MS'] ?? 1500);
    expect(best).toBeLessThan(budget);
  });
});
