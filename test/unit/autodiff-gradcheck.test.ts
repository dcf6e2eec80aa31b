/** Program-level gradcheck on LANGUAGE.md §8 programs (shrunk), and the relative-error definition. */
import { describe, expect, it } from 'vitest';
import { check } from '../../compiler/check/check.js';
import { memoryHost } from '../../compiler/host.js';
import { parse } from '../../compiler/parse.js';
import { gradcheck, relError, sampleIndices } from '../../compiler/gradcheck.js';
import { randnFill } from '../../compiler/ir/rng.js';
import type { CheckedProgram } from '../../compiler/check/checked.js';

function checked(src: string): CheckedProgram {
  const p = parse('t.gd', src);
  const c = check(p.program, memoryHost({}), { parseFile: parse });
  expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return c.checked!;
}

/** Initial values: standard normals per symbol (shape from the checked symbol). */
function inits(c: CheckedProgram, seed: number): (name: string) => Float64Array {
  const names = [...c.symbols.keys()];
  return (name) => {
    const s = c.symbols.get(name) as { shape: readonly number[] };
    return randnFill(seed, names.indexOf(name), s.shape.reduce((a, d) => a * d, 1));
  };
}

describe('gradcheck', () => {
  it('relError is absolute near zero, relative for large values', () => {
    expect(relError(1e-9, 2e-9)).toBeCloseTo(1e-9, 15);
    expect(relError(1000, 1001)).toBeCloseTo(1 / 1001, 12);
    expect(relError(NaN, 1)).toBe(Infinity);
    expect(sampleIndices(10, 3)).toEqual([0, 5, 9]);
    expect(sampleIndices(3, 10)).toEqual([0, 1, 2]);
  });
  it('least squares + ridge, an MLP through a def, and a maximized cross-entropy agree with finite differences', () => {
    const c = checked(`
data X: [20, 4] = randn(seed: 1)
data y: [20] = randn(seed: 2)
data lab: [3] = one_hot(1, 3)
param w: [4] = zeros
param W1: [4, 5] = randn(seed: 3)
param W2: [5, 3] = randn(seed: 4)
param delta: [4] = zeros
def mlp(x, A, B) = tanh(x @ A) @ B
minimize loss = 0.5 * mean((X @ w - y)^2) + 0.1 * norm(w)^2 over w by gd(lr: 0.1) for 3 steps
minimize fit = mean(logsumexp(mlp(X, W1, W2), axis: 1)) + 0.01 * sum(W1^2) over W1, W2 by adam(lr: 0.01) for 3 steps
maximize attack = cross_entropy((X[0] + delta) @ W1 @ W2, lab) over delta by gd(lr: 0.01) for 3 steps
`);
    const res = gradcheck(c, { at: 'random', seed: 5, initialValues: inits(c, 9) });
    expect(res.map((r) => `${r.objective}/${r.target}`)).toEqual(['loss/w', 'fit/W1', 'fit/W2', 'attack/delta']);
    for (const r of res) expect(r.maxRelError).toBeLessThan(1e-6);
    // At init (w = 0) the ridge term's norm is at its kink; the safe norm keeps the gradient finite there.
    const atInit = gradcheck(c, { at: 'init', seed: 5, initialValues: (n) => (n === 'w' ? new Float64Array(4) : inits(c, 9)(n)) });
    expect(atInit[0]!.maxRelError).toBeLessThan(1e-6);
  });
  it('a mean-field particle objective with entropy (entropy excluded, §6)', () => {
    const c = checked(`
data X: [16, 2] = randn(seed: 0)
data y: [16] = tanh(X[:, 0] - X[:, 1])
particles theta: [8, 3] = randn(seed: 1)
let f = mean(tanh(X @ theta[:, 0:2].T) * theta[:, 2], axis: 1)
minimize F = 0.5 * mean((f - y)^2) + 1e-4 * mean(sum(theta^2, axis: 1)) + 1e-3 * entropy(theta) over theta by gd(lr: 0.05) for 2 steps
`);
    const res = gradcheck(c, { at: 'init', seed: 1, initialValues: inits(c, 2), maxElements: 12 });
    expect(res).toHaveLength(1);
    expect(res[0]!.maxRelError).toBeLessThan(1e-6);
  });
});
