import { beforeAll, describe, expect, it } from 'vitest';
import { front } from '../../compiler/pipeline.js';
import { memoryHost } from '../../compiler/host.js';
import { interpret } from '../../compiler/ir/interpret.js';
import type { Sym } from '../../compiler/check/checked.js';
import { selectBackend } from '../../runtime/backend.js';
import { directInit, initOf } from '../../runtime/init-values.js';
import { lowerValue } from '../../runtime/run.js';

const SRC = `data Z: [5, 3] = randn(seed: 7)
data U: [9] = rand(seed: 4)
data L: [10] = one_hot(3, 10)
param p: [4] in simplex = uniform
param q: [4] in simplex
param o: [2, 3] = ones
param r: [6] = randn()
minimize f = sum(Z) * 0 + sum(U) * 0 + sum(L) * 0 + dot(p, p) + dot(q, q) + sum(o) + sum(r^2) over p, q, o, r by gd(lr: 0.1) for 1 steps
`;

function checked() {
  const fr = front('init.gd', SRC, memoryHost({}));
  if (!fr.checked) throw new Error(fr.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return fr.checked;
}

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('initial values', () => {
  it('seeded randn/rand fills equal the IR lowering of the same initializer (interpreter), so every tool draws the same numbers', () => {
    const c = checked();
    for (const name of ['Z', 'U']) {
      const sym = c.symbols.get(name) as Sym & { kind: 'data' };
      const { init } = initOf(sym);
      const direct = directInit(c, init, sym.shape, 'reals', 0)!;
      expect(direct).not.toBeNull();
      const ref = interpret(lowerValue(c, init!), {})['value']!;
      expect(Array.from(direct.data)).toEqual(Array.from(ref.data, Math.fround));
    }
  });

  it('an unseeded randn uses the run seed: equal to the lowering fed rng = [seed, 0], different across seeds', () => {
    const c = checked();
    const sym = c.symbols.get('r') as Sym & { kind: 'param' };
    const a = directInit(c, sym.decl.init, sym.shape, 'reals', 5)!;
    const ref = interpret(lowerValue(c, sym.decl.init!), { rng: [5, 0] })['value']!;
    expect(Array.from(a.data)).toEqual(Array.from(ref.data, Math.fround));
    expect(Array.from(directInit(c, sym.decl.init, sym.shape, 'reals', 6)!.data)).not.toEqual(Array.from(a.data));
  });

  it('fills: uniform and a bare simplex param are 1/k, ones, one_hot(3, 10)', () => {
    const c = checked();
    const get = (n: string) => {
      const s = c.symbols.get(n)!;
      const { init, domain } = initOf(s);
      return Array.from(directInit(c, init, (s as { shape: number[] }).shape, domain, 0)!.data);
    };
    expect(get('p')).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(get('q')).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(get('o')).toEqual([1, 1, 1, 1, 1, 1]);
    expect(get('L')).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  });
});

describe('init from and save (through the real pipeline)', () => {
  it('sets a param from an expression of data and params, between solves', async () => {
    const { compileSolve } = await import('../../compiler/pipeline.js');
    const { runProgram } = await import('../../runtime/run.js');
    const src = `data X: [4, 2] = [[1, 2], [3, 4], [5, 6], [7, 8]]
param w: [2] = ones
param z: [4] = zeros
minimize a = sum((w - 3)^2) over w by gd(lr: 0.5) for 1 steps
init z from X @ w + 1
minimize b = sum(z^2) * 0 + sum((w - 3)^2) over w by gd(lr: 0.5) for 1 steps
`;
    const fr = front('initfrom.gd', src, memoryHost({}));
    if (!fr.checked) throw new Error(fr.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
    const checked = fr.checked;
    const res = await runProgram(checked, { backend: 'wasm', seed: 0, outDir: null, compileStep: (item) => compileSolve(checked, item) });
    expect(res.status).toBe('ok');
    // gd(lr: 0.5) on sum((w - 3)^2) jumps to w = 3 in one step; then z = X @ [3, 3] + 1.
    expect(Array.from(res.params['w']!.data)).toEqual([3, 3]);
    expect(Array.from(res.params['z']!.data)).toEqual([10, 22, 34, 46]);
  });
});
