import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../compiler/ir/builder.js';
import { OPS, sizeOf, type OpName } from '../../compiler/ir/ops.js';
import { randFill } from '../../compiler/ir/rng.js';
import { gradcheckGraph } from '../../compiler/gradcheck.js';
import { grad } from '../../compiler/autodiff/reverse.js';
import { interpret } from '../../compiler/ir/interpret.js';
import type { Attrs } from '../../compiler/ir/ir.js';

type Gen = 'any' | 'pos' | 'away' | 'bit' | 'spd';
interface In {
  shape: number[];
  gen?: Gen;
}
let stream = 0;
function values(shape: number[], gen: Gen): Float64Array {
  const u = randFill(42, stream++, sizeOf(shape));
  switch (gen) {
    case 'any':
      return u.map((x) => 4 * x - 2);
    case 'pos':
      return u.map((x) => 0.3 + 2 * x);
    case 'away':
      return u.map((x, i) => (i % 2 ? 1 : -1) * (0.2 + 1.8 * x));
    case 'bit':
      return u.map((x) => (x > 0.5 ? 1 : 0));
    case 'spd': {
      const n = shape[0]!;
      return u.map((x, i) => (Math.floor(i / n) === i % n ? n : 0) + 0.6 * x - 0.3);
    }
  }
}

/** Checks d/dx_k sum(op(x...) * R) by reverse mode vs central differences for every non-'bit' input. */
function check(op: OpName, ins: In[], attrs: Attrs = {}): number {
  const b = new GraphBuilder();
  const vs = ins.map((t, i) => b.input(`x${i}`, t.shape, 'data'));
  const y = b.op(op, vs, attrs);
  const R = b.tensor([...values([...y.shape], 'any')], y.shape);
  b.output('f', b.sum(b.mul(y, R)), 'objective');
  const feed: Record<string, Float64Array> = {};
  ins.forEach((t, i) => (feed[`x${i}`] = values(t.shape, t.gen ?? 'any')));
  const wrt = ins.flatMap((t, i) => (t.gen === 'bit' ? [] : [`x${i}`]));
  const res = gradcheckGraph(b.build(), 'f', wrt, feed);
  return Math.max(...res.map((r) => r.maxRelError));
}

const CASES: Partial<Record<OpName, Array<[In[], Attrs?]>>> = {
  neg: [[[{ shape: [3, 2] }]]],
  exp: [[[{ shape: [4] }]]],
  log: [[[{ shape: [2, 3], gen: 'pos' }]]],
  log1p: [[[{ shape: [3], gen: 'pos' }]]],
  sqrt: [[[{ shape: [3], gen: 'pos' }]]],
  rsqrt: [[[{ shape: [3], gen: 'pos' }]]],
  abs: [[[{ shape: [5], gen: 'away' }]]],
  relu: [[[{ shape: [5], gen: 'away' }]]],
  sigmoid: [[[{ shape: [4] }]]],
  tanh: [[[{ shape: [4] }]]],
  softplus: [[[{ shape: [4] }]]],
  sin: [[[{ shape: [4] }]]],
  cos: [[[{ shape: [4] }]]],
  square: [[[{ shape: [2, 2] }]]],
  reciprocal: [[[{ shape: [3], gen: 'pos' }]]],
  add: [[[{ shape: [2, 3] }, { shape: [3] }]], [[{ shape: [2, 1] }, { shape: [1, 4] }]]],
  sub: [[[{ shape: [] }, { shape: [3] }]], [[{ shape: [2, 3] }, { shape: [2, 1] }]]],
  mul: [[[{ shape: [2, 3] }, { shape: [2, 3] }]], [[{ shape: [4, 1, 2] }, { shape: [3, 1] }]]],
  div: [[[{ shape: [2, 3] }, { shape: [3], gen: 'pos' }]]],
  pow: [[[{ shape: [2, 3], gen: 'pos' }, { shape: [3] }]], [[{ shape: [3], gen: 'pos' }, { shape: [] }]]],
  maximum: [[[{ shape: [2, 3] }, { shape: [3] }]]],
  minimum: [[[{ shape: [2, 3] }, { shape: [2, 1] }]]],
  where: [[[{ shape: [2, 3], gen: 'bit' }, { shape: [3] }, { shape: [2, 1] }]]],
  sum: [
    [[{ shape: [2, 3, 4] }], { axes: [1], keepDims: false }],
    [[{ shape: [2, 3, 4] }], { axes: [0, 2], keepDims: true }],
  ],
  max: [[[{ shape: [2, 3, 4] }], { axes: [0, 2], keepDims: false }]],
  min: [[[{ shape: [3, 4] }], { axes: [1], keepDims: true }]],
  prod: [[[{ shape: [3, 4], gen: 'away' }], { axes: [1], keepDims: false }]],
  reshape: [[[{ shape: [2, 6] }], { shape: [3, 4] }]],
  broadcast_to: [[[{ shape: [3, 1] }], { shape: [2, 3, 4] }]],
  transpose: [[[{ shape: [2, 3, 4] }], { perm: [2, 0, 1] }]],
  slice: [
    [[{ shape: [5, 4] }], { begin: [1, 0], end: [5, 4], strides: [2, 1] }],
    [[{ shape: [5, 4] }], { begin: [4, 3], end: [-1, 0], strides: [-1, -2] }],
  ],
  pad: [[[{ shape: [2, 2] }], { shape: [5, 3], begin: [1, 0], strides: [3, 2] }]],
  concat: [[[{ shape: [2, 1] }, { shape: [2, 3] }, { shape: [2, 2] }], { axis: 1 }]],
  matmul: [
    [[{ shape: [2, 3] }, { shape: [3, 4] }], { transposeA: false, transposeB: false }],
    [[{ shape: [3, 2] }, { shape: [3, 4] }], { transposeA: true, transposeB: false }],
    [[{ shape: [2, 3] }, { shape: [4, 3] }], { transposeA: false, transposeB: true }],
    [[{ shape: [3, 2] }, { shape: [4, 3] }], { transposeA: true, transposeB: true }],
  ],
  cumsum: [
    [[{ shape: [3, 4] }], { axis: 1, reverse: false }],
    [[{ shape: [3, 4] }], { axis: 0, reverse: true }],
  ],
  inv: [[[{ shape: [3, 3], gen: 'spd' }]]],
  logdet: [[[{ shape: [3, 3], gen: 'spd' }]]],
  solve: [[[{ shape: [3, 3], gen: 'spd' }, { shape: [3] }]], [[{ shape: [3, 3], gen: 'spd' }, { shape: [3, 2] }]]],
};

/** Ops whose gradient is zero by definition (checked separately below). */
const ZERO_GRAD: OpName[] = ['const', 'sign', 'floor', 'stop_gradient', 'lt', 'le', 'gt', 'ge', 'eq', 'ne', 'sort', 'argmax', 'one_hot', 'randn', 'rand', 'proj_simplex'];

describe('VJP rules vs central finite differences (float64)', () => {
  it('covers every op of the table', () => {
    const covered = new Set<string>([...Object.keys(CASES), ...ZERO_GRAD]);
    expect(Object.keys(OPS).filter((op) => !covered.has(op))).toEqual([]);
  });
  for (const [op, cases] of Object.entries(CASES)) {
    it(op, () => {
      for (const [ins, attrs] of cases!) expect(check(op as OpName, ins, attrs)).toBeLessThan(1e-6);
    });
  }
});

describe('zero-gradient ops and subgradient conventions', () => {
  function gradOf(build: (b: GraphBuilder, x: ReturnType<GraphBuilder['input']>) => ReturnType<GraphBuilder['input']>, x: number[]) {
    const b = new GraphBuilder();
    const xv = b.input('x', [x.length], 'param');
    const f = build(b, xv);
    const { graph, grads } = grad(b.build(), f, [xv]);
    return [...interpret({ ...graph, outputs: [{ var: grads[0]!, name: 'g', role: 'grad' }] }, { x })['g']!.data];
  }
  it('zero-gradient ops give zeros', () => {
    // d/dx sum(op(x) * x) = op(x) when op has zero derivative.
    const x = [0.5, -2];
    expect(gradOf((b, v) => b.sum(b.mul(b.unary('sign', v), v)), x)).toEqual([1, -1]);
    expect(gradOf((b, v) => b.sum(b.mul(b.unary('floor', v), v)), x)).toEqual([0, -2]);
    expect(gradOf((b, v) => b.sum(b.mul(b.unary('stop_gradient', v), v)), x)).toEqual([0.5, -2]);
    expect(gradOf((b, x) => b.sum(b.op('sort', [x], { axis: 0 })), [3, 1])).toEqual([0, 0]);
    expect(gradOf((b, x) => b.sum(b.op('lt', [x, b.const(1)])), [3, 0])).toEqual([0, 0]);
    expect(gradOf((b, x) => b.sum(b.op('proj_simplex', [x])), [0.2, 0.3])).toEqual([0, 0]);
  });
  it('relu and abs have zero derivative at 0', () => {
    expect(gradOf((b, x) => b.sum(b.unary('relu', x)), [0, 1, -1])).toEqual([0, 1, 0]);
    expect(gradOf((b, x) => b.sum(b.unary('abs', x)), [0, 2, -2])).toEqual([0, 1, -1]);
  });
  it('max/min reductions send the gradient to the first extremum only', () => {
    expect(gradOf((b, x) => b.max(x), [1, 3, 3, 2])).toEqual([0, 1, 0, 0]);
    expect(gradOf((b, x) => b.min(x), [1, 0, 5, 0])).toEqual([0, 1, 0, 0]);
    const b = new GraphBuilder();
    const x = b.input('x', [2, 2], 'param');
    const f = b.sum(b.max(x, [0]));
    const { graph, grads } = grad(b.build(), f, [x]);
    const g = interpret({ ...graph, outputs: [{ var: grads[0]!, name: 'g', role: 'grad' }] }, { x: [2, 2, 2, 1] })['g']!;
    expect([...g.data]).toEqual([1, 1, 0, 0]);
  });
  it('prod gradients are exact at zeros', () => {
    expect(gradOf((b, x) => b.prod(x), [2, 0, 3])).toEqual([0, 6, 0]);
    expect(gradOf((b, x) => b.prod(x), [2, 0, 0])).toEqual([0, 0, 0]);
    expect(gradOf((b, x) => b.prod(x), [2, -1, 3])).toEqual([-3, 6, -2]);
  });
  it('maximum/minimum ties go to the first operand', () => {
    expect(gradOf((b, x) => b.sum(b.maximum(x, 1)), [1, 2, 0])).toEqual([1, 1, 0]);
    expect(gradOf((b, x) => b.sum(b.minimum(x, 1)), [1, 2, 0])).toEqual([1, 0, 1]);
  });
  it('fan-out sums cotangents and unused targets get zeros', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2], 'param');
    const z = b.input('z', [3], 'param');
    const f = b.sum(b.mul(b.mul(x, x), x)); // sum x^3 through fan-out
    const { graph, grads } = grad(b.build(), f, [x, z]);
    const out = interpret(
      { ...graph, outputs: [{ var: grads[0]!, name: 'gx', role: 'grad' }, { var: grads[1]!, name: 'gz', role: 'grad' }] },
      { x: [2, -1], z: [1, 2, 3] },
    );
    expect([...out['gx']!.data]).toEqual([12, 3]);
    expect([...out['gz']!.data]).toEqual([0, 0, 0]);
  });
});
