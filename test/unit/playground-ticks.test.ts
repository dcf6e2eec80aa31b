/** The playground plot's tick values: whole decades on a log axis, 1/2/5 steps on a linear one, covering the data. */
import { describe, expect, it } from 'vitest';
import { niceTicks } from '../../playground/plot.js';

describe('playground plot ticks', () => {
  it('log axis: whole decades from below the smallest to above the largest value', () => {
    // least-squares' loss runs from 9.49 down to 1.4e-12.
    const t = niceTicks(Math.log10(1.4e-12), Math.log10(9.49), true);
    expect(t.every(Number.isInteger)).toBe(true);
    expect(t[0]).toBeLessThanOrEqual(-12);
    expect(t[t.length - 1]).toBeGreaterThanOrEqual(1);
    expect(t.length).toBeLessThanOrEqual(7);
    const steps = new Set(t.slice(1).map((v, i) => v - t[i]!));
    expect(steps.size).toBe(1);
  });

  it('linear axis: a 1, 2 or 5 times a power of ten step, about four intervals, covering [a, b]', () => {
    for (const [a, b] of [[0, 1], [0.13, 0.97], [-3.2, 41.5], [1000, 1003.7], [-1e-4, 2e-4]] as const) {
      const t = niceTicks(a, b, false);
      expect(t[0]).toBeLessThanOrEqual(a);
      expect(t[t.length - 1]).toBeGreaterThanOrEqual(b);
      expect(t.length).toBeGreaterThanOrEqual(3);
      expect(t.length).toBeLessThanOrEqual(7);
      const step = t[1]! - t[0]!;
      const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      expect([1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-6)).toBe(true);
    }
  });
});
