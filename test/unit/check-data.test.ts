/** Dims, consts and data: overrides, dims bound from file headers and initializers, conflicts, file shapes via the host. */
import { describe, expect, it } from 'vitest';
import { readDataShape } from '../../compiler/check/data-headers.js';
import { memoryHost } from '../../compiler/host.js';
import { encodeNpy } from '../../runtime/data/npy.js';
import { codes, ok, oneError, run } from './check-helpers.js';

const S = (t: string) => `minimize f = sum(${t}^2) over ${t} by gd(lr: 0.1) for 3 steps\n`;
const span = { file: 'main.gd', start: 0, end: 1 };

function csv(rows: number, cols: number, header = false): string {
  const lines = header ? [Array.from({ length: cols }, (_, j) => `c${j}`).join(',')] : [];
  for (let i = 0; i < rows; i++) lines.push(Array.from({ length: cols }, (_, j) => String(i * cols + j + 0.5)).join(','));
  return lines.join('\n') + '\n';
}

/** A real .npy file (the runtime's encoder), padded with data we never read. */
function npy(shape: number[]): Uint8Array {
  const n = shape.reduce((a, b) => a * b, 1);
  return encodeNpy({ shape, data: new Float32Array(n) });
}

describe('data file headers', () => {
  it('counts csv rows and columns, skipping a non-numeric header row and blank lines', () => {
    const host = memoryHost({ 'a.csv': csv(7, 3), 'b.csv': csv(4, 2, true) + '\n\n', 'c.csv': csv(5, 1) });
    expect(readDataShape(host, 'a.csv', span)).toMatchObject({ ok: true, shape: [7, 3] });
    expect(readDataShape(host, 'b.csv', span)).toMatchObject({ ok: true, shape: [4, 2] });
    expect(readDataShape(host, 'c.csv', span)).toMatchObject({ ok: true, shape: [5] });
  });

  it('reads .npy shapes from the header only', () => {
    const bytes = npy([6, 4, 2]);
    let maxRead = 0;
    const base = memoryHost({ 'x.npy': bytes });
    const host = { ...base, readBytes: (p: string, max?: number) => ((maxRead = Math.max(maxRead, max ?? Infinity)), base.readBytes(p, max)) };
    expect(readDataShape(host, 'x.npy', span)).toMatchObject({ ok: true, shape: [6, 4, 2] });
    expect(maxRead).toBeLessThan(bytes.length); // the data section was never read
    expect(readDataShape(memoryHost({ 'x.npy': bytes.subarray(0, bytes.length - 4) }), 'x.npy', span)).toMatchObject({ ok: false, diag: { code: 'GD4002' } });
    expect(readDataShape(memoryHost({ 'x.npy': new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) }), 'x.npy', span)).toMatchObject({ ok: false, diag: { code: 'GD4002' } });
  });

  it('reads json nested arrays and {shape, data} objects', () => {
    const host = memoryHost({
      'a.json': JSON.stringify([[1, 2, 3], [4, 5, 6]]),
      'b.json': JSON.stringify({ shape: [2, 2, 2], data: [1, 2, 3, 4, 5, 6, 7, 8] }),
      'c.json': JSON.stringify({ shape: [3], data: [1, 2] }),
      'd.json': '[1, "x"]',
    });
    expect(readDataShape(host, 'a.json', span)).toMatchObject({ ok: true, shape: [2, 3] });
    expect(readDataShape(host, 'b.json', span)).toMatchObject({ ok: true, shape: [2, 2, 2] });
    expect(readDataShape(host, 'c.json', span)).toMatchObject({ ok: false, diag: { code: 'GD4002' } });
    expect(readDataShape(host, 'd.json', span)).toMatchObject({ ok: false, diag: { code: 'GD4004' } });
  });
});

describe('dims', () => {
  it('binds undeclared dims from a load file, then uses them everywhere after', () => {
    const c = ok(`data X: [n, d] = load("data/X.csv")\ndata y: [n] = load("data/y.csv")\nparam w: [d] = zeros\nminimize f = mean((X @ w - y)^2) over w by gd(lr: 0.1) for 3 steps\n`, {
      'data/X.csv': csv(9, 4, true),
      'data/y.csv': csv(9, 1),
    });
    const n = c.symbols.get('n');
    const d = c.symbols.get('d');
    expect(n?.kind === 'dim' && n.value).toBe(9);
    expect(d?.kind === 'dim' && d.value).toBe(4);
    const X = c.symbols.get('X');
    expect(X?.kind === 'data' && X.source).toEqual({ kind: 'load', path: 'data/X.csv', format: 'csv' });
    expect([...c.symbols.keys()].slice(0, 3)).toEqual(['n', 'd', 'X']);
  });

  it('binds dims from an initializer expression', () => {
    const c = ok(`data A: [4, 6] = randn(seed: 1)\ndata B: [k, m] = A.T\nparam w: [k] = zeros\n${S('w')}`);
    const k = c.symbols.get('k');
    expect(k?.kind === 'dim' && k.value).toBe(6);
  });

  it('loads npy and json through the host, resolved against the .gd folder', () => {
    const c = ok(`data X: [n, 3] = load("x.npy") batch 5\ndata J: [2, 2] = load("sub/j.json")\nparam w: [3] = zeros\n${S('w')}`, {
      'x.npy': npy([20, 3]),
      'sub/j.json': '[[1, 2], [3, 4]]',
    });
    const X = c.symbols.get('X');
    expect(X?.kind === 'data' && [X.shape, X.batch]).toEqual([[20, 3], 5]);
  });

  it('a one-column csv fits a vector, as the runtime loader allows', () => {
    ok(`data y: [5, 1] = load("y.csv")\ndata z: [5] = load("y.csv")\nparam w: [1] = zeros\n${S('w')}`, { 'y.csv': csv(5, 1) });
  });

  it('overrides replace dims and consts; unknown overrides are GD9004', () => {
    const c = ok(`dim n = 4\nconst lam = 0.5\nparam w: [n] = zeros\nminimize f = lam * sum(w^2) over w by gd(lr: 0.1) for 3 steps\n`, {}, { n: 7, lam: 2 });
    const w = c.symbols.get('w');
    expect(w?.kind === 'param' && w.shape).toEqual([7]);
    const lam = c.symbols.get('lam');
    expect(lam?.kind === 'const' && lam.value).toBe(2);
    const r = run(`dim n = 4\nparam w: [n] = zeros\n${S('w')}`, {}, { m: 3 });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['GD9004']);
    expect(codes(`dim n = 4\nparam w: [n] = zeros\n${S('w')}`, {}, { n: 2.5 })).toEqual(['GD2014']);
  });

  it('an override of an inferred dim must agree with the file', () => {
    expect(codes(`data X: [n, 2] = load("x.csv")\nparam w: [2] = zeros\n${S('w')}`, { 'x.csv': csv(6, 2) }, { n: 5 })).toEqual(['GD4003']);
    ok(`data X: [n, 2] = load("x.csv")\nparam w: [2] = zeros\n${S('w')}`, { 'x.csv': csv(6, 2) }, { n: 6 });
  });

  it('evaluates dims and consts from other dims and consts', () => {
    const c = ok(`dim k = 3\ndim n = 2 * k + 1\nconst s = sqrt(n - 3) / 2\nparam w: [n] = zeros\nminimize f = s * sum(w^2) over w by gd(lr: 0.1) for 3 steps\n`);
    const s = c.symbols.get('s');
    expect(s?.kind === 'const' && s.value).toBe(1);
    const w = c.symbols.get('w');
    expect(w?.kind === 'param' && w.shape).toEqual([7]);
  });

  it('reports conflicting bindings and mismatching files with both shapes', () => {
    const files = { 'x.csv': csv(200, 10), 'y.csv': csv(150, 1) };
    const d = oneError(`data X: [200, 12] = load("x.csv")\nparam w: [12] = zeros\n${S('w')}`, 'GD4003', files);
    expect(d.message).toBe("data 'X' is declared [200, 12] but x.csv (200 rows × 10 columns) has shape [200, 10]");
    const c = oneError(`data X: [n, d] = load("x.csv")\ndata y: [n] = load("y.csv")\nparam w: [d] = zeros\n${S('w')}`, 'GD2015', files);
    expect(c.message).toContain("size 'n' is 200");
    expect(c.notes[0]!.span!.start).toBe('data X: ['.length);
    expect(oneError(`data A: [3, 4] = randn(seed: 1)\ndata B: [k, k] = A\nparam w: [2] = zeros\n${S('w')}`, 'GD2015').message).toContain("'k'");
  });

  it('needs a shape source for every dim', () => {
    expect(oneError(`param w: [d] = zeros\n${S('w')}`, 'GD2013').message).toContain("'d'");
    expect(oneError(`data X: [n] = 1.5\nparam w: [2] = zeros\n${S('w')}`, 'GD2013').message).toContain("'n'");
    expect(codes(`param w = zeros\n${S('w')}`)).toEqual(['GD2013']);
  });

  it('checks initializer shapes (GD2017) and lets a scalar fill the declared shape', () => {
    ok(`data c: [2, 3] = 0.5\nparam b: [3] = 0.1\nparam W: [2, 3] = randn(seed: 1) * 0.01 + c\n${S('W')}`);
    expect(oneError(`data A: [2, 3] = randn([3, 2])\nparam w: [2] = zeros\n${S('w')}`, 'GD2017').message).toBe("'A' is declared [2, 3], but its initializer has shape [3, 2]");
  });

  it('checks batch sizes and per-example params', () => {
    ok(`data B: [10, 4] = randn(seed: 1) batch 5\nparam z: [10, 2] per B\nminimize f = mean((B[:, 0:2] - z)^2) over z by sgd(lr: 0.1) for 3 steps\n`);
    expect(codes(`data B: [10, 4] = randn(seed: 1) batch 0\nparam w: [2] = zeros\n${S('w')}`)).toEqual(['GD3023']);
    expect(oneError(`data B: [10, 4] = randn(seed: 1) batch 5\nparam z: [9, 2] per B\n${S('z')}`, 'GD3015').message).toContain('9 rows');
  });

  it('inside a step, batched data and per params have the batch rows', () => {
    const c = ok(`data B: [10, 4] = randn(seed: 1) batch 5\ndata full: [10] = sum(B, axis: 1)\nparam z: [10, 2] per B\nlet r = B[:, 0:2] - z\nminimize f = mean(r^2) over z by sgd(lr: 0.1) for 3 steps\n`);
    const r = c.symbols.get('r');
    expect(r?.kind === 'let' && r.shape).toEqual([5, 2]);
    const full = c.symbols.get('full');
    expect(full?.kind === 'data' && full.shape).toEqual([10]);
  });

  it('checks domains', () => {
    const c = ok(`param p: [4] in simplex = uniform\nparam q: [4] in box(0, 1) = 0.5\nparam r: [4] in ball(inf, 8/255) = zeros\nparam s: [4] in ball(2, 1, [1, 0, 0, 0])\nparam u: [4] in positive = ones\nminimize f = sum(p * q * r * s * u) over p, q, r, s, u by gd(lr: 0.1) for 3 steps\n`);
    const r = c.symbols.get('r');
    expect(r?.kind === 'param' && r.domain.kind === 'ball' && r.domain.p).toBe(Infinity);
    expect(codes(`param q: [4] in box(1, 0) = 0.5\n${S('q')}`)).toEqual(['GD3009']);
    expect(codes(`param q: [4] in box(0) = 0.5\n${S('q')}`)).toEqual(['GD3009']);
    expect(codes(`param q: [4] in ball(2, -1) = 0.5\n${S('q')}`)).toEqual(['GD3009']);
    expect(codes(`param q: [4] in ball(2, 1, [1, 2]) = 0.5\n${S('q')}`)).toEqual(['GD3009']);
    expect(codes(`param q: [4] in simplex(2) = 0.5\n${S('q')}`)).toEqual(['GD3009']);
  });
});

describe('initializer words', () => {
  it('a bare zeros/ones/uniform is only the whole initializer; calls take the declared shape anywhere in it', () => {
    ok('param p: [4] in simplex = uniform\nparam q: [4] = ones() * 0.5 + zeros([4])\nminimize f = sum(p * q) over p, q by gd(lr: 0.1) for 3 steps\n');
    const d = oneError('param q: [4] = ones * 0.5\nminimize f = sum(q^2) over q by gd(lr: 0.1) for 3 steps\n', 'GD2022');
    expect(d.message).toBe("'ones' is an initializer, not a value");
    expect(codes('param q: [4] = zeros\nlet z = zeros\nminimize f = sum(q^2) over q by gd(lr: 0.1) for 3 steps\n')).toEqual(['GD2022']);
  });
});
