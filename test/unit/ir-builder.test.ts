import { describe, expect, it } from 'vitest';
import { GraphBuilder, extendGraph } from '../../compiler/ir/builder.js';
import { printGraph } from '../../compiler/ir/print-ir.js';
import { verifyGraph } from '../../compiler/ir/verify.js';
import { InternalError } from '../../compiler/diagnostics/internal-error.js';
import { OPS, broadcastShapes, inferShape } from '../../compiler/ir/ops.js';
import type { Graph } from '../../compiler/ir/ir.js';

function leastSquares(): Graph {
  const b = new GraphBuilder();
  const X = b.input('X', [4, 3], 'data');
  const w = b.input('w', [3], 'param');
  const y = b.input('y', [4], 'data');
  const Xw = b.reshape(b.matmul(X, b.reshape(w, [3, 1])), [4]);
  const r = b.sub(Xw, y);
  const loss = b.mul(0.5, b.mean(b.mul(r, r)));
  b.output('loss', loss, 'objective');
  return b.build();
}

describe('op table shapes', () => {
  it('broadcasts NumPy-style and rejects mismatches', () => {
    expect(broadcastShapes([4, 1, 3], [5, 1])).toEqual([4, 5, 3]);
    expect(() => broadcastShapes([2, 3], [4])).toThrow(InternalError);
  });
  it('computes reduce, matmul, slice, concat, one_hot shapes', () => {
    expect(inferShape('sum', [[2, 3, 4]], { axes: [1], keepDims: false })).toEqual([2, 4]);
    expect(inferShape('max', [[2, 3, 4]], { axes: [0, 2], keepDims: true })).toEqual([1, 3, 1]);
    expect(inferShape('matmul', [[2, 3], [4, 3]], { transposeB: true })).toEqual([2, 4]);
    expect(() => inferShape('matmul', [[2, 3], [4, 3]], {})).toThrow(InternalError);
    expect(inferShape('slice', [[10, 4]], { begin: [1, 0], end: [10, 4], strides: [3, 1] })).toEqual([3, 4]);
    expect(inferShape('slice', [[5]], { begin: [4], end: [-1], strides: [-1] })).toEqual([5]);
    expect(inferShape('concat', [[2, 3], [2, 5]], { axis: 1 })).toEqual([2, 8]);
    expect(inferShape('one_hot', [[3]], { depth: 10 })).toEqual([3, 10]);
    expect(inferShape('argmax', [[3, 7]], { axis: 1 })).toEqual([3]);
    expect(inferShape('solve', [[3, 3], [3, 2]], {})).toEqual([3, 2]);
    expect(() => inferShape('add', [[2]], {})).toThrow(InternalError);
  });
  it('has a shape rule for every op', () => {
    for (const def of Object.values(OPS)) expect(typeof def.shape).toBe('function');
  });
});

describe('GraphBuilder and verify', () => {
  it('builds a verified graph and prints it stably', () => {
    const g = leastSquares();
    expect(printGraph(g)).toMatchInlineSnapshot(`
      "in %0:f32[4,3] X :data
      in %1:f32[3] w :param
      in %2:f32[4] y :data
      %3:f32[3,1] = reshape %1 {shape=[3,1]}
      %4:f32[4,1] = matmul %0 %3 {transposeA=false, transposeB=false}
      %5:f32[4] = reshape %4 {shape=[4]}
      %6:f32[4] = sub %5 %2
      %7:f32[4] = mul %6 %6
      %8:f32[] = sum %7 {axes=[0], keepDims=false}
      %9:f32[] = const {shape=[], value=4}
      %10:f32[] = div %8 %9
      %11:f32[] = const {shape=[], value=0.5}
      %12:f32[] = mul %11 %10
      out loss :objective = %12
      "
    `);
    expect(printGraph(g)).toBe(printGraph(leastSquares()));
  });
  it('renumbers densely regardless of var ids', () => {
    const g = leastSquares();
    const shifted: Graph = {
      inputs: g.inputs.map((i) => ({ ...i, var: { ...i.var, id: i.var.id * 7 + 100 } })),
      eqns: g.eqns.map((e) => ({
        ...e,
        out: { ...e.out, id: e.out.id * 7 + 100 },
        inputs: e.inputs.map((v) => ({ ...v, id: v.id * 7 + 100 })),
      })),
      outputs: g.outputs.map((o) => ({ ...o, var: { ...o.var, id: o.var.id * 7 + 100 } })),
    };
    expect(printGraph(verifyGraph(shifted))).toBe(printGraph(g));
  });
  it('inputs are idempotent by name', () => {
    const b = new GraphBuilder();
    expect(b.input('w', [3], 'param')).toBe(b.input('w', [3], 'param'));
    expect(() => b.input('w', [4], 'param')).toThrow(InternalError);
  });
  it('rejects use before definition, double definition and shape lies', () => {
    const g = leastSquares();
    const swapped: Graph = { ...g, eqns: [g.eqns[1]!, g.eqns[0]!, ...g.eqns.slice(2)] };
    expect(() => verifyGraph(swapped)).toThrow(/before definition/);
    const twice: Graph = { ...g, eqns: [...g.eqns, g.eqns[0]!] };
    expect(() => verifyGraph(twice)).toThrow(/defined twice/);
    const lie: Graph = { ...g, eqns: g.eqns.map((e, i) => (i === 2 ? { ...e, out: { ...e.out, shape: [2, 2] } } : e)) };
    expect(() => verifyGraph(lie)).toThrow(InternalError);
  });
  it('extendGraph appends with fresh ids and replaces outputs', () => {
    const g = leastSquares();
    const b = extendGraph(g);
    const w = b.findInput('w')!.var;
    const n = b.sum(b.mul(w, w));
    b.output('loss', n, 'objective');
    const g2 = b.build();
    expect(g2.eqns.length).toBe(g.eqns.length + 2);
    expect(g2.outputs).toHaveLength(1);
    expect(g2.outputs[0]!.var.id).toBe(n.id);
    expect(g.eqns.length).toBe(10); // the original is untouched
  });
});
