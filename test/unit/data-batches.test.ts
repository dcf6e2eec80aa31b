import { describe, expect, it } from 'vitest';
import { Batcher, permutation } from '../../runtime/data/batches.js';

describe('minibatches', () => {
  it('permutations are permutations and depend on seed and epoch', () => {
    const a = permutation(100, 0, 5, 0);
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(100).keys()]);
    expect(Array.from(permutation(100, 0, 5, 0))).toEqual(Array.from(a));
    expect(Array.from(permutation(100, 0, 5, 1))).not.toEqual(Array.from(a));
    expect(Array.from(permutation(100, 1, 5, 0))).not.toEqual(Array.from(a));
  });
  it('an epoch covers distinct rows, and epochs reshuffle', () => {
    const b = new Batcher(10, 3, 7, 1);
    expect(b.perEpoch).toBe(3);
    const seen: number[] = [];
    const epochs: number[][] = [];
    for (let c = 0; c < 6; c++) {
      const r = Array.from(b.rowsOf());
      expect(r).toHaveLength(3);
      seen.push(...r);
      b.advance();
      if (c % 3 === 2) epochs.push(seen.splice(0));
    }
    for (const e of epochs) expect(new Set(e).size).toBe(9);
    expect(epochs[0]).not.toEqual(epochs[1]);
  });
  it('is a pure function of the counter (resume needs only the counter)', () => {
    const a = new Batcher(50, 8, 3, 2);
    const rows: number[][] = [];
    for (let c = 0; c < 20; c++) {
      rows.push(Array.from(a.rowsOf()));
      a.advance();
    }
    const b = new Batcher(50, 8, 3, 2);
    b.counter = 13;
    expect(Array.from(b.rowsOf())).toEqual(rows[13]);
    expect(Array.from(b.rowsOf(2))).toEqual(rows[2]);
  });
  it('the shuffle is roughly uniform: each row lands first about equally often', () => {
    const counts = new Array(5).fill(0);
    for (let e = 0; e < 5000; e++) counts[permutation(5, 9, 3, e)[0]!]++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(120); // ~4.5 sigma
  });
});
