/** Name resolution: declaration order, duplicates, suggestions, def/lambda locals, imports and std modules. */
import { afterAll, describe, expect, it } from 'vitest';
import { editDistance, suggest } from '../../compiler/check/scope.js';
import { registerModule } from '../../compiler/check/modules.js';
import { codes, ok, oneError, run } from './check-helpers.js';

const P = 'param w: [3] = zeros\n';
const S = 'minimize f = sum(w^2) over w by gd(lr: 0.1) for 3 steps\n';

describe('edit distance and suggestions', () => {
  it('computes Levenshtein distances (known answers) and caps early', () => {
    expect(editDistance('kitten', 'sitting', 10)).toBe(3);
    expect(editDistance('flaw', 'lawn', 10)).toBe(2);
    expect(editDistance('', 'abc', 10)).toBe(3);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3); // max + 1 once it must exceed the cap
  });

  it('suggests the nearest name within a third of its length', () => {
    expect(suggest('sqaure', ['square', 'sqrt', 'sum'])).toBe('square');
    expect(suggest('lr', ['lr', 'beta'])).toBeUndefined();
    expect(suggest('xyzzy', ['alpha', 'beta'])).toBeUndefined();
  });
});

describe('scopes', () => {
  it('resolves every name to its symbol, in declaration order', () => {
    const c = ok(`dim n = 4\nconst lam = 0.5\ndata y: [n] = randn(seed: 1)\nparam w: [n] = zeros\nlet r = w - y\nminimize f = mean(r^2) + lam * sum(w^2) over w by gd(lr: 0.1) for 3 steps\n`);
    expect([...c.symbols.keys()]).toEqual(['n', 'lam', 'y', 'w', 'r']);
    const kinds = new Map([...c.refs].map(([node, sym]) => [`${node.name}@${node.span.start}`, sym.kind]));
    expect([...kinds.values()].filter((k) => k === 'let')).toHaveLength(1);
    const n = c.symbols.get('n');
    expect(n?.kind === 'dim' && n.value).toBe(4);
  });

  it('reports a use before the declaration with a note at the declaration', () => {
    const d = oneError(`let r = w * 2\n${P}${S}`, 'GD2001');
    expect(d.message).toBe("'w' is used before it is declared");
    expect(d.notes[0]!.span!.start).toBe('let r = w * 2\nparam '.length);
  });

  it('reports duplicates at the second declaration with a note at the first', () => {
    const d = oneError(`${P}const w = 2\n${S}`, 'GD2002');
    expect(d.span!.start).toBe(`${P}const `.length);
    expect(d.notes[0]!.message).toBe('first declared here');
  });

  it('suggests a close name for a typo', () => {
    expect(oneError(`${P}minimize f = sum(ww^2) over w by gd(lr: 0.1) for 3 steps\n`, 'GD2001').help).toBe("did you mean 'w'?");
  });

  it('keeps def and lambda parameters local', () => {
    ok(`${P}def f(a, b) = a * b\nminimize L = sum(f(w, w)) over w by gd(lr: 0.1) for 3 steps\n`);
    expect(codes(`${P}def f(a) = a * 2\nminimize L = sum(a) + sum(w^2) over w by gd(lr: 0.1) for 3 steps\n`)).toEqual(['GD2001']);
    expect(codes(`particles th: [4, 2] = randn(seed: 1)\nlet k = pairwise(th, (x, y) => sum(x * y))\nminimize L = k + mean(x) over th by gd(lr: 0.1) for 3 steps\n`)).toEqual(['GD2001']);
  });

  it('lets a def call a def declared later, and reports recursion (direct and mutual)', () => {
    ok(`${P}def a(x) = b(x) * 2\ndef b(x) = x + 1\nminimize L = sum(a(w)^2) over w by gd(lr: 0.1) for 3 steps\n`);
    expect(oneError(`${P}def a(x) = a(x)\nminimize L = sum(a(w)) over w by gd(lr: 0.1) for 3 steps\n`, 'GD2018').message).toBe('recursive def: a → a');
  });

  it('checks def arity and forbids named arguments to defs', () => {
    expect(codes(`${P}def f(a, b) = a * b\nminimize L = sum(f(w)) over w by gd(lr: 0.1) for 3 steps\n`)).toEqual(['GD2011']);
    expect(codes(`${P}def f(a) = a\nminimize L = sum(f(a: w)) over w by gd(lr: 0.1) for 3 steps\n`)).toEqual(['GD2012']);
  });

  it('the solve name is a let visible only in its own run control', () => {
    const c = ok(`${P}minimize f = sum(w^2) over w by gd(lr: 0.1) until f < 1e-6 max 50 steps log every 5: f, grad(f, w)\n`);
    expect(c.symbols.has('f')).toBe(false);
    expect(codes(`${P}${S}let g = f * 2\n`)).toEqual(['GD2001']);
  });

  it('reports every error of a program with several, and stays silent about uses of a failed declaration', () => {
    const r = run(`${P}data y: [3] = nope * 2\nlet a = y + 1\nlet b = w + q\n${S}`);
    expect(r.errors.map((d) => d.code)).toEqual(['GD2001', 'GD2001']);
    expect(r.checked).toBeNull();
  });
});

describe('imports and modules', () => {
  it('brings dims, consts and defs of an imported file, relative to the importing file', () => {
    const files = { 'lib/net.gd': 'import "act.gd"\nconst scale = 2\ndef layer(x, W) = act(x @ W) * scale\n', 'lib/act.gd': 'def act(z) = tanh(z)\n' };
    const c = ok(`import "lib/net.gd"\ndata X: [4, 3] = randn(seed: 1)\nparam W: [3, 2] = zeros\nminimize f = mean(layer(X, W)^2) over W by gd(lr: 0.1) for 3 steps\n`, files);
    expect(c.symbols.get('scale')?.kind).toBe('const');
    expect(c.symbols.get('layer')?.kind).toBe('def');
    expect(c.symbols.get('act')?.kind).toBe('def');
  });

  it('imports a file once even when two files import it', () => {
    const files = { 'a.gd': 'import "c.gd"\n', 'b.gd': 'import "c.gd"\n', 'c.gd': 'const k = 3\n' };
    ok(`import "a.gd"\nimport "b.gd"\n${P}minimize f = k * sum(w^2) over w by gd(lr: 0.1) for 3 steps\n`, files);
  });

  it('reports missing files, cycles and non-importable statements', () => {
    expect(codes(`import "nope.gd"\n${P}${S}`)).toEqual(['GD2021']);
    expect(codes(`import "a.gd"\n${P}${S}`, { 'a.gd': 'import "main.gd"\n' })).toEqual(['GD2028']);
    expect(codes(`import "a.gd"\n${P}${S}`, { 'a.gd': 'import "b.gd"\n', 'b.gd': 'import "a.gd"\n' })).toEqual(['GD2028']);
    expect(codes(`import "a.gd"\n${S}`, { 'a.gd': 'param w: [3] = zeros\n' })).toEqual(['GD2031']);
  });

  it('use records std modules; unknown ones get a suggestion', () => {
    const c = ok(`use std.mfld\nuse std.infinity\n${P}${S}`);
    expect(c.uses).toEqual(['std.mfld', 'std.infinity']);
    expect(oneError(`use std.prun\n${P}${S}`, 'GD2020').help).toBe("did you mean 'std.prune'?");
  });

  describe('registered module content', () => {
    afterAll(() => registerModule('std.testonly', { source: '', methods: [], geometries: [] }));
    it('a module registers .gd source, methods and geometries that a `use` makes visible', () => {
      registerModule('std.testonly', {
        source: 'const half = 0.5\ndef sqn(x) = sum(x^2)\n',
        methods: [{ name: 'mystep', doc: 'test', options: [{ name: 'lr', required: true, default: null, kind: 'scalar', doc: 'lr' }] }],
        geometries: [{ name: 'mygeo', doc: 'test', targets: ['param'], args: 'none', flags: [] }],
      });
      ok(`use std.testonly\n${P}minimize f = half * sqn(w) over w in mygeo by mystep(lr: 0.1) for 3 steps\n`);
      // Without the use, neither the method nor the geometry exists.
      expect(codes(`${P}minimize f = sum(w^2) over w in mygeo by mystep(lr: 0.1) for 3 steps\n`)).toEqual(['GD3002', 'GD3003']);
    });
  });
});
