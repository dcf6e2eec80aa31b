import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../compiler/ir/builder.js';
import { interpret } from '../../compiler/ir/interpret.js';
import { philox4x32, randFill, randnFill } from '../../compiler/ir/rng.js';
import type { Attrs } from '../../compiler/ir/ir.js';
import type { OpName } from '../../compiler/ir/ops.js';

/** Runs one op on literal inputs. */
function run1(op: OpName, ins: { shape: number[]; data: number[] }[], attrs: Attrs = {}) {
  const b = new GraphBuilder();
  const vs = ins.map((t, i) => b.input(`x${i}`, t.shape, 'data'));
  b.output('y', b.op(op, vs, attrs), 'value');
  const feed: Record<string, number[]> = {};
  ins.forEach((t, i) => (feed[`x${i}`] = t.data));
  const r = interpret(b.build(), feed)['y']!;
  return { shape: [...r.shape], data: [...r.data] };
}

describe('reference interpreter', () => {
  it('broadcasts binary ops', () => {
    expect(run1('sub', [{ shape: [2, 1], data: [10, 20] }, { shape: [3], data: [1, 2, 3] }])).toEqual({
      shape: [2, 3],
      data: [9, 8, 7, 19, 18, 17],
    });
  });
  it('reduces over chosen axes', () => {
    const x = { shape: [2, 3], data: [1, 5, 2, 4, 0, 6] };
    expect(run1('sum', [x], { axes: [1], keepDims: false }).data).toEqual([8, 10]);
    expect(run1('max', [x], { axes: [0], keepDims: true })).toEqual({ shape: [1, 3], data: [4, 5, 6] });
    expect(run1('prod', [x], { axes: [0, 1], keepDims: false }).data).toEqual([0]);
    expect(run1('argmax', [x], { axis: 1 }).data).toEqual([1, 2]);
  });
  it('transposes, slices (negative strides), pads and concats', () => {
    const x = { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] };
    expect(run1('transpose', [x], { perm: [1, 0] }).data).toEqual([1, 4, 2, 5, 3, 6]);
    expect(run1('slice', [x], { begin: [1, 2], end: [2, -1], strides: [1, -2] }).data).toEqual([6, 4]);
    expect(run1('pad', [{ shape: [1, 2], data: [7, 8] }], { shape: [2, 3], begin: [1, 0], strides: [1, 2] }).data).toEqual([0, 0, 0, 7, 0, 8]);
    expect(run1('concat', [x, { shape: [2, 1], data: [9, 9] }], { axis: 1 }).data).toEqual([1, 2, 3, 9, 4, 5, 6, 9]);
  });
  it('matmul with transposes', () => {
    const a = { shape: [2, 2], data: [1, 2, 3, 4] };
    const b = { shape: [2, 2], data: [5, 6, 7, 8] };
    expect(run1('matmul', [a, b]).data).toEqual([19, 22, 43, 50]);
    expect(run1('matmul', [a, b], { transposeA: true, transposeB: true }).data).toEqual([23, 31, 34, 46]);
  });
  it('cumsum, sort, one_hot, where', () => {
    expect(run1('cumsum', [{ shape: [3], data: [1, 2, 3] }], { axis: 0, reverse: true }).data).toEqual([6, 5, 3]);
    expect(run1('sort', [{ shape: [2, 2], data: [3, 1, 0, 2] }], { axis: 1, descending: true }).data).toEqual([3, 1, 2, 0]);
    expect(run1('one_hot', [{ shape: [2], data: [2, 0] }], { depth: 3 }).data).toEqual([0, 0, 1, 1, 0, 0]);
    expect(
      run1('where', [{ shape: [2], data: [1, 0] }, { shape: [2], data: [5, 6] }, { shape: [], data: [-1] }]).data,
    ).toEqual([5, -1]);
  });
  it('inv, solve and logdet agree with closed forms', () => {
    const a = { shape: [2, 2], data: [4, 7, 2, 6] }; // det 10
    const inv = run1('inv', [a]).data;
    [0.6, -0.7, -0.2, 0.4].forEach((v, i) => expect(inv[i]).toBeCloseTo(v, 12));
    expect(run1('logdet', [a]).data[0]).toBeCloseTo(Math.log(10), 12);
    const x = run1('solve', [a, { shape: [2], data: [1, 2] }]).data;
    expect(4 * x[0]! + 7 * x[1]!).toBeCloseTo(1, 12);
    expect(2 * x[0]! + 6 * x[1]!).toBeCloseTo(2, 12);
  });
  it('projects rows onto the simplex', () => {
    const p = run1('proj_simplex', [{ shape: [2, 3], data: [0.5, 0.5, 0.5, 2, 0, 0] }]).data;
    [1 / 3, 1 / 3, 1 / 3, 1, 0, 0].forEach((v, i) => expect(p[i]).toBeCloseTo(v, 12));
  });
  it('stable elementwise functions at extremes', () => {
    const r = run1('softplus', [{ shape: [3], data: [-1000, 0, 1000] }]).data;
    expect(r[0]).toBe(0);
    expect(r[1]).toBeCloseTo(Math.LN2, 14);
    expect(r[2]).toBe(1000);
    expect(run1('sigmoid', [{ shape: [2], data: [-1000, 1000] }]).data).toEqual([0, 1]);
  });
});

describe('Philox rng', () => {
  it('matches the Random123 known-answer vectors', () => {
    expect(philox4x32([0, 0, 0, 0], [0, 0])).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
    expect(philox4x32([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff])).toEqual([
      0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd,
    ]);
    expect(philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0])).toEqual([
      0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1,
    ]);
  });
  it('is a pure function of (seed, step, stream, index) with sane moments', () => {
    const a = randnFill(3, 7, 20000, 5);
    expect(randnFill(3, 7, 10, 5)).toEqual(a.slice(0, 10));
    expect(randnFill(3, 8, 10, 5)).not.toEqual(a.slice(0, 10));
    const mean = a.reduce((s, x) => s + x, 0) / a.length;
    const v = a.reduce((s, x) => s + (x - mean) ** 2, 0) / a.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(v - 1)).toBeLessThan(0.05);
    const u = randFill(1, 0, 20000);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(Math.abs(u.reduce((s, x) => s + x, 0) / u.length - 0.5)).toBeLessThan(0.01);
  });
  it('randn op in the interpreter draws the same numbers as randnFill', () => {
    const b = new GraphBuilder();
    const key = b.input('rng', [2], 'rng');
    b.output('z', b.op('randn', [key], { shape: [2, 3], stream: 4 }), 'value');
    const z = interpret(b.build(), { rng: [9, 2] })['z']!;
    expect([...z.data]).toEqual([...randnFill(9, 4, 6, 2)]);
  });
});
