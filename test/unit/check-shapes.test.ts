/** Shape inference: NumPy broadcasting and matmul, reductions, indexing/slicing, builtins, defs inlined per call site. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { broadcast, matmulShape, sliceLength } from '../../compiler/check/shapes.js';
import { allExprs, letShape, ok, oneError, run } from './check-helpers.js';

describe('shape arithmetic (NumPy reference answers)', () => {
  it('broadcasts as in the NumPy broadcasting docs', () => {
    expect(broadcast([8, 1, 6, 1], [7, 1, 5])).toEqual([8, 7, 6, 5]);
    expect(broadcast([5, 4], [1])).toEqual([5, 4]);
    expect(broadcast([15, 3, 5], [15, 1, 5])).toEqual([15, 3, 5]);
    expect(broadcast([], [3, 2])).toEqual([3, 2]);
    expect(broadcast([3], [4])).toBeNull();
    expect(broadcast([2, 1], [8, 4, 3])).toBeNull();
  });

  it('matmul follows numpy.matmul, vectors promoted and dropped', () => {
    expect(matmulShape([5, 4], [4])).toEqual([5]);
    expect(matmulShape([4], [4, 3])).toEqual([3]);
    expect(matmulShape([4], [4])).toEqual([]);
    expect(matmulShape([2, 3, 4], [4, 5])).toEqual([2, 3, 5]);
    expect(matmulShape([9, 5, 7, 4], [9, 5, 4, 3])).toEqual([9, 5, 7, 3]);
    expect(matmulShape([3, 4], [5])).toBeNull();
    expect(matmulShape([3], [])).toBeNull();
  });

  it('slice lengths agree with Array.prototype.slice (same semantics as Python for step > 0)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.option(fc.integer({ min: -15, max: 15 })),
        fc.option(fc.integer({ min: -15, max: 15 })),
        fc.integer({ min: 1, max: 4 }),
        (n, start, stop, step) => {
          const arr = Array.from({ length: n }, (_, i) => i);
          const ref = arr.slice(start ?? 0, stop ?? n).filter((_, i) => i % step === 0).length;
          expect(sliceLength(n, start, stop, step)).toBe(ref);
        },
      ),
    );
  });

  it('negative steps walk backwards like Python', () => {
    // [0..9][::-1] has 10 elements, [8:2:-2] is 8, 6, 4, [-1:-4:-1] is 9, 8, 7.
    expect(sliceLength(10, null, null, -1)).toBe(10);
    expect(sliceLength(10, 8, 2, -2)).toBe(3);
    expect(sliceLength(10, -1, -4, -1)).toBe(3);
  });
});

const D = 'data X: [5, 3] = randn(seed: 1)\ndata y: [5] = randn(seed: 2)\nparam w: [3] = zeros\n';
const S = ' over w by gd(lr: 0.1) for 3 steps\n';

describe('expression shapes in programs', () => {
  it('records a concrete shape for every expression of the main program', () => {
    const c = ok(`${D}let r = X @ w - y\nminimize f = 0.5 * mean(r^2) + norm(w, p: 1) + sum(X[:, 0:2]) ${S}  log every 1: f, g = grad(f, w)\n`);
    for (const e of allExprs(c.program)) {
      if (e.kind === 'String') continue;
      expect(c.shapes.get(e), `${e.kind} at ${e.span.start}`).toBeDefined();
    }
    expect(letShape(c, 'r')).toEqual([5]);
  });

  it('infers matmul, reductions with negative axes, indexing and slicing', () => {
    const c = ok(
      `${D}data M: [4, 6, 2] = randn(seed: 3)\n` +
        'let a = X.T @ y\nlet b = sum(M, axis: -1)\nlet c = mean(M, axis: [0, 2])\nlet d = M[1, :, -1]\nlet e = M[:, 1:5:2]\n' +
        'let f = X[-1]\nlet g = w.T\nlet h = y @ X\nlet i = logsumexp(X, axis: 1)\nlet j = X[::-1, 0]\n' +
        `minimize L = sum(w^2)${S}`,
    );
    const expected: Record<string, number[]> = { a: [3], b: [4, 6], c: [6], d: [6], e: [4, 2, 2], f: [3], g: [3], h: [3], i: [5], j: [5] };
    for (const [k, s] of Object.entries(expected)) expect(letShape(c, k), k).toEqual(s);
  });

  it('infers the shapes of the builtins', () => {
    const c = ok(
      `${D}particles th: [7, 2] = randn(seed: 4)\n` +
        'let a = outer(y, w)\nlet b = diag(w)\nlet c = diag(outer(y, y))\nlet d = eye(4)\nlet e = trace(eye(3))\nlet f = inv(eye(3)) @ w\n' +
        'let g = solve(eye(3), w)\nlet h = logdet(eye(2))\nlet i = cov(th)\nlet j = softmax(X)\nlet k = one_hot(2, 10)\nlet l = one_hot(y, 4)\n' +
        'let m = sqdist(th, th)\nlet n = rbf(th[0], th, 1.0)\nlet o = pairwise(th, (u, v) => rbf(u, v, 0.5))\nlet p = where(y > 0, y, 0)\n' +
        'let q = clip(X, -1, [1, 2, 3])\nlet r = cross_entropy(X, one_hot(y, 3))\nlet s = cross_entropy(X, y)\nlet t2 = mse(X @ w, y)\n' +
        'let u = transpose(X)\nlet v = variance(X, axis: 0)\nlet z = randn([2, 5]) + rand([5])\nlet zz = [[1, 2], [3, 4]] @ [1, 1]\n' +
        `minimize L = sum(w^2) + mean(th^2)${S.replace('over w', 'over w, th')}`,
    );
    const expected: Record<string, number[]> = {
      a: [5, 3], b: [3, 3], c: [5], d: [4, 4], e: [], f: [3], g: [3], h: [], i: [2, 2], j: [5, 3], k: [10], l: [5, 4],
      m: [7, 7], n: [7], o: [], p: [5], q: [5, 3], r: [], s: [], t2: [], u: [3, 5], v: [3], z: [2, 5], zz: [2],
    };
    for (const [k, s] of Object.entries(expected)) expect(letShape(c, k), k).toEqual(s);
  });

  it('inlines a def per call site with the shapes of its arguments', () => {
    const c = ok(`${D}def sq(a) = a * a\nlet v = sq(w)\nlet m = sq(X)\nlet s = sq(2)\nminimize L = sum(sq(w))${S}`);
    expect(letShape(c, 'v')).toEqual([3]);
    expect(letShape(c, 'm')).toEqual([5, 3]);
    expect(letShape(c, 's')).toEqual([]);
    // Refs inside the def body point at its local parameter.
    const def = c.symbols.get('sq');
    expect(def?.kind).toBe('def');
  });

  it('a def whose body fails only at one call site reports there, with a note at the call', () => {
    const d = oneError(`${D}def proj(a) = X @ a\nlet ok1 = proj(w)\nlet bad = proj(y)\nminimize L = sum(w^2)${S}`, 'GD2005');
    expect(d.message).toContain('[5, 3] @ [5]');
    expect(d.notes.some((n) => n.message.includes("call of 'proj'"))).toBe(true);
  });

  it('a def chain that doubles at every level is checked in linear time (memoized per argument shapes)', () => {
    const defs = ['def f0(x) = x * 2'];
    for (let i = 1; i < 40; i++) defs.push(`def f${i}(x) = f${i - 1}(x) + f${i - 1}(x)`);
    const t0 = performance.now();
    const c = ok(`${D}${defs.join('\n')}\nminimize L = sum(f39(w))${S}`);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(c.plan).toHaveLength(1);
  });

  it('broadcast errors print both shapes, matmul errors both operands', () => {
    expect(oneError(`${D}minimize L = sum(X + y)${S}`, 'GD2004').message).toBe("cannot broadcast [5, 3] with [5] in '+'");
    expect(oneError(`${D}minimize L = sum(X @ y)${S}`, 'GD2005').message).toBe('cannot matmul [5, 3] @ [5]');
  });

  it('checks constant indices and axes, and accepts dynamic scalar indices', () => {
    expect(oneError(`${D}minimize L = sum(X[5])${S}`, 'GD2007').message).toContain('index 5 is out of bounds for axis 0 of size 5');
    expect(oneError(`${D}minimize L = sum(X[0:2, 4:])${S}`, 'GD2007').message).toContain('axis 1 of size 3');
    expect(oneError(`${D}minimize L = sum(X, axis: -3)${S}`, 'GD2006').message).toContain('axis -3');
    ok(`${D}data k: [] = 2\nminimize L = sum(X[k])${S}`.replace('data k: [] = 2', 'const k = 2'));
    expect(oneError(`${D}minimize L = sum(X[y])${S}`, 'GD2027').message).toContain('index must be a scalar');
  });

  it('grad(e, w) has the shape of w; random fills take explicit shapes inside steps', () => {
    const c = ok(`${D}minimize L = sum(w^2)${S}  log every 1: g = grad(L, w), r = randn([2, 2])\n`);
    const item = c.plan[0]!;
    if (item.kind !== 'solve') throw new Error('expected a solve');
    const log = item.stmt.controls.find((x) => x.kind === 'Log');
    if (log?.kind !== 'Log') throw new Error('expected a log');
    expect(c.shapes.get(log.items[0]!.expr)).toEqual([3]);
    expect(c.shapes.get(log.items[1]!.expr)).toEqual([2, 2]);
    expect(oneError(`${D}let z = randn(seed: 3)\nminimize L = sum(w^2)${S}`, 'GD2011').message).toContain('randn');
  });

  it('entropy needs particles and the objective; pairwise needs a scalar body', () => {
    ok('particles th: [6, 2] = randn(seed: 1)\nminimize F = mean(th^2) + 0.1 * entropy(th, estimator: kde(0.5)) over th by gd(lr: 0.1) for 2 steps\n');
    expect(run('param w: [3] = zeros\nminimize F = sum(w^2) + entropy(w) over w by gd(lr: 0.1) for 2 steps\n').errors[0]!.code).toBe('GD2027');
    expect(oneError('particles th: [6, 2] = randn(seed: 1)\nminimize F = pairwise(th, (a, b) => a - b) over th by gd(lr: 0.1) for 2 steps\n', 'GD2009').message).toContain(
      'pairwise lambda',
    );
    expect(oneError('particles th: [6, 2] = randn(seed: 1)\nminimize F = mean(th^2) + entropy(th, estimator: magic) over th by gd(lr: 0.1) for 2 steps\n', 'GD2027').message).toContain(
      'langevin, gaussian, kde(...)',
    );
  });

  it('schedules and t exist only in method options, until conditions and logs', () => {
    ok(`${D}minimize L = sum(w^2) over w by adam(lr: cosine(0.1, 100) * 0.5 / sqrt(t + 1)) until t > 5 max 10 steps\n`);
    expect(oneError(`${D}let a = warmup(0.1, 10)\nminimize L = sum(w^2)${S}`, 'GD2027').message).toContain('schedule');
  });
});
