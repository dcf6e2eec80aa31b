/**
 * std.infinity reproductions through the real pipeline on wasm (float32): IFGSM on a linear energy
 * (E_k - E_0 = min(k tau, eps)|w|_1), FGSM = one IFGSM step with tau = eps, and the normalized steepest
 * directions for g = (1, -2, 0.5) in linf, l2 and l1.
 */
import { describe, expect, it } from 'vitest';
import { logged, runSource } from './run-source.js';

describe('std.infinity', () => {
  it('IFGSM on E = <w, x>, tau 0.03, eps 0.1: E_k - E_0 = min(k tau, eps) |w|_1 to 1e-6', async () => {
    const res = await runSource(
      [
        'use std.infinity',
        'data w: [4] = [0.5, -2, 0.001, 3]',
        'param x: [4] in ball(inf, 0.1) = zeros',
        'maximize E = dot(w, x) over x in linf by gd(lr: 0.03) for 5 steps log every 1: E',
      ].join('\n') + '\n',
    );
    const E = logged(res, 'E');
    const want = [0, 0.16503, 0.33006, 0.49509, 0.5501, 0.5501];
    expect(E).toHaveLength(6);
    E.forEach((e, k) => expect(Math.abs(e - E[0]! - want[k]!), `k = ${k}`).toBeLessThan(1e-6));
    // Clipped at the ball: every coordinate (sign(w_i) * eps) after 4 steps.
    expect(Array.from(res.params['x']!.data)).toEqual([0.1, -0.1, 0.1, 0.1].map(Math.fround));
  });

  it('fgsm(eps) is one signed step of length eps, the same point as IFGSM with tau = eps', async () => {
    const src = (method: string) =>
      [
        'use std.infinity',
        'data w: [4] = [0.5, -2, 0, 3]',
        'data x0: [4] = [0.2, 0.1, -0.3, 0.05]',
        'param delta: [4] in ball(inf, 0.1) = zeros',
        `maximize E = dot(w, x0 + delta) - 0.5 * sum((x0 + delta)^2) over delta in linf by ${method} for 1 steps`,
      ].join('\n') + '\n';
    const a = await runSource(src('fgsm(eps: 0.1)'));
    const b = await runSource(src('gd(lr: 0.1)'));
    // g = w - x0 = (0.3, -2.1, 0.3, 2.95): sign(g) * eps (sign(0) would give 0).
    expect(Array.from(a.params['delta']!.data)).toEqual([0.1, -0.1, 0.1, 0.1].map(Math.fround));
    expect(Array.from(a.params['delta']!.data)).toEqual(Array.from(b.params['delta']!.data));
  });

  const direction = async (geometry: string) => {
    const res = await runSource(
      [
        'use std.infinity',
        'data g: [3] = [1, -2, 0.5]',
        'param v: [3] = zeros',
        `maximize value = dot(g, v) over v in ${geometry} by gd(lr: 1) for 1 steps log every 1: value`,
      ].join('\n') + '\n',
    );
    return { v: Array.from(res.params['v']!.data), value: logged(res, 'value')[1]! };
  };

  it('steepest directions for g = (1, -2, 0.5): linf sign(g) (value 3.5), l2 g/|g| (value |g|), l1 the largest coordinate (value 2)', async () => {
    const inf = await direction('linf');
    expect(inf.v).toEqual([1, -1, 1]);
    expect(inf.value).toBeCloseTo(3.5, 6);
    const l2 = await direction('l2 normalized');
    const n = Math.hypot(1, -2, 0.5);
    expect(n).toBeCloseTo(2.291288, 6);
    l2.v.forEach((x, i) => expect(x).toBeCloseTo([1, -2, 0.5][i]! / n, 6));
    expect(l2.value).toBeCloseTo(n, 5);
    const l1 = await direction('l1');
    expect(l1.v).toEqual([0, -1, 0]);
    expect(l1.value).toBeCloseTo(2, 6);
  });

  it('the .gd helpers: linf_direction(0) = 0, l2_direction has unit norm, margin picks the runner-up', async () => {
    const res = await runSource(
      [
        'use std.infinity',
        'data g: [4] = [1, -2, 0, 0.5]',
        'data logits: [3] = [2, 5, 4.5]',
        'data label: [3] = one_hot(1, 3)',
        'param v: [1] = zeros',
        'minimize z = sum(v^2) over v by gd(lr: 0.1) for 1 steps',
        '  log every 1: s = sum(abs(linf_direction(g))), n = norm(l2_direction(g)), m = margin(logits, label)',
      ].join('\n') + '\n',
    );
    expect(logged(res, 's')[0]).toBe(3);
    expect(logged(res, 'n')[0]).toBeCloseTo(1, 6);
    expect(logged(res, 'm')[0]).toBeCloseTo(0.5, 6);
  });
});
