import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../compiler/ir/builder.js';
import { printGraph } from '../../compiler/ir/print-ir.js';
import { interpret } from '../../compiler/ir/interpret.js';
import { foldConstants } from '../../compiler/passes/fold-constants.js';
import { rewrite } from '../../compiler/passes/rewrite.js';
import { SIMPLIFY_RULES } from '../../compiler/passes/simplify.js';
import { cse } from '../../compiler/passes/cse.js';
import { dce } from '../../compiler/passes/dce.js';
import { runPasses } from '../../compiler/passes/index.js';
import type { Graph } from '../../compiler/ir/ir.js';

const simplify = (g: Graph): Graph => rewrite(g, SIMPLIFY_RULES);

describe('constant folding', () => {
  it('folds all-constant equations to float32 constants', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2], 'data');
    const c = b.div(b.const(1), b.const(3));
    b.output('y', b.mul(x, b.add(c, b.tensor([1, 2], [2]))), 'value');
    const g = b.build();
    const f = foldConstants(g);
    expect(printGraph(dce(f))).toMatchInlineSnapshot(`
      "in %0:f32[2] x :data
      %1:f32[2] = const {shape=[2], tensor=[1.3333333730697632,2.3333332538604736], value=null}
      %2:f32[2] = mul %0 %1
      out y :value = %2
      "
    `);
    expect(interpret(f, { x: [3, 3] })['y']!.data[0]).toBeCloseTo(4, 6);
  });
  it('leaves random ops and graphs without constant work alone (same object)', () => {
    const b = new GraphBuilder();
    const z = b.op('randn', [b.tensor([1, 0], [2])], { shape: [3], stream: 1 });
    b.output('z', z, 'value');
    const g = b.build();
    expect(foldConstants(g)).toBe(g);
  });
});

describe('simplify', () => {
  it('removes identities and collapses layout chains', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2, 3], 'data');
    const t = b.transpose(b.transpose(x, [1, 0]), [1, 0]);
    const n = b.neg(b.neg(b.mul(b.add(t, -0), 1)));
    const r = b.op('reshape', [b.reshape(n, [6])], { shape: [3, 2] });
    b.output('y', b.mul(b.pow(r, 2), -1), 'value');
    const g = b.build();
    expect(printGraph(dce(simplify(g)))).toMatchInlineSnapshot(`
      "in %0:f32[2,3] x :data
      %1:f32[3,2] = reshape %0 {shape=[3,2]}
      %2:f32[3,2] = square %1
      %3:f32[3,2] = neg %2
      out y :value = %3
      "
    `);
    const feed = { x: [1, -2, 3, 0.5, 5, -6] };
    expect([...interpret(simplify(g), feed)['y']!.data]).toEqual([...interpret(g, feed)['y']!.data]);
  });
  it('composes non-inverse transposes', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2, 3, 4], 'data');
    b.output('y', b.transpose(b.transpose(x, [1, 2, 0]), [1, 2, 0]), 'value');
    const g = b.build();
    const s = dce(simplify(g));
    expect(printGraph(s)).toMatchInlineSnapshot(`
      "in %0:f32[2,3,4] x :data
      %1:f32[4,2,3] = transpose %0 {perm=[2,0,1]}
      out y :value = %1
      "
    `);
    const feed = { x: Array.from({ length: 24 }, (_, i) => i) };
    expect([...interpret(s, feed)['y']!.data]).toEqual([...interpret(g, feed)['y']!.data]);
  });
  it('keeps the sign of zero: x + (+0) and 0 - x are not rewritten', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2], 'data');
    b.output('y', b.add(b.sub(0, x), 0), 'value');
    const g = b.build();
    expect(simplify(g)).toBe(g);
  });
  it('merges chains of constant factors', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2], 'data');
    b.output('y', b.mul(0.25, b.mul(x, 2)), 'value');
    const s = dce(simplify(b.build()));
    expect(printGraph(s)).toMatchInlineSnapshot(`
      "in %0:f32[2] x :data
      %1:f32[] = const {shape=[], value=0.5}
      %2:f32[2] = mul %0 %1
      out y :value = %2
      "
    `);
    expect([...interpret(s, { x: [1, -3] })['y']!.data]).toEqual([0.5, -1.5]);
  });
  it('shrinks uniform constant operands to scalars', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [4], 'data');
    b.output('y', b.div(x, b.const(3, [4])), 'value');
    expect(printGraph(dce(simplify(b.build())))).toMatchInlineSnapshot(`
      "in %0:f32[4] x :data
      %1:f32[] = const {shape=[], value=3}
      %2:f32[4] = div %0 %1
      out y :value = %2
      "
    `);
  });
  it('reads transposed matmul operands in place and elides explicit broadcasts', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [4, 3], 'data');
    const w = b.input('w', [2, 3], 'data');
    const s = b.input('s', [4, 1], 'data');
    const m = b.matmul(x, b.transpose(w, [1, 0]));
    b.output('y', b.mul(b.broadcastTo(s, [4, 2]), m), 'value');
    const g = b.build();
    const o = dce(simplify(g));
    expect(printGraph(o)).toMatchInlineSnapshot(`
      "in %0:f32[4,3] x :data
      in %1:f32[2,3] w :data
      in %2:f32[4,1] s :data
      %3:f32[4,2] = matmul %0 %1 {transposeA=false, transposeB=true}
      %4:f32[4,2] = mul %2 %3
      out y :value = %4
      "
    `);
    const feed = { x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3], w: [1, 0, -1, 2, 1, 0], s: [1, -1, 2, 0.5] };
    expect([...interpret(o, feed)['y']!.data]).toEqual([...interpret(g, feed)['y']!.data]);
  });
  it('keeps x*0 (NaN semantics) and returns the same graph when nothing applies', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2], 'data');
    b.output('y', b.mul(x, 0), 'value');
    const g = b.build();
    expect(simplify(g)).toBe(g);
    expect([...interpret(g, { x: [Infinity, 1] })['y']!.data]).toEqual([NaN, 0]);
  });
  it('broadcasts a kept operand back to the result shape', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [3], 'data');
    b.output('y', b.add(x, b.const(-0, [2, 3])), 'value');
    const s = dce(simplify(b.build()));
    expect(printGraph(s)).toMatchInlineSnapshot(`
      "in %0:f32[3] x :data
      %1:f32[2,3] = broadcast_to %0 {shape=[2,3]}
      out y :value = %1
      "
    `);
  });
});

describe('cse and dce', () => {
  it('merges equal computations, commutative operands in either order', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [3], 'data');
    const y = b.input('y', [3], 'data');
    const p = b.mul(b.unary('exp', x), y);
    const q = b.mul(y, b.unary('exp', x));
    b.output('s', b.add(p, q), 'value');
    const g = b.build();
    const c = cse(g);
    expect(printGraph(c)).toMatchInlineSnapshot(`
      "in %0:f32[3] x :data
      in %1:f32[3] y :data
      %2:f32[3] = exp %0
      %3:f32[3] = mul %2 %1
      %4:f32[3] = add %3 %3
      out s :value = %4
      "
    `);
    expect(cse(c)).toBe(c);
  });
  it('does not merge non-commutative operands in swapped order', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [3], 'data');
    const y = b.input('y', [3], 'data');
    b.output('s', b.add(b.sub(x, y), b.sub(y, x)), 'value');
    const g = b.build();
    expect(cse(g)).toBe(g);
  });
  it('dce drops equations no output needs and keeps inputs', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [3], 'data');
    b.input('unused', [1], 'data');
    b.unary('exp', x);
    b.output('y', b.neg(x), 'value');
    const d = dce(b.build());
    expect(printGraph(d)).toMatchInlineSnapshot(`
      "in %0:f32[3] x :data
      in %1:f32[1] unused :data
      %2:f32[3] = neg %0
      out y :value = %2
      "
    `);
    expect(dce(d)).toBe(d);
  });
  it('O1 shrinks a gradient-like graph and keeps its value', () => {
    const b = new GraphBuilder();
    const w = b.input('w', [3], 'param');
    const e = b.unary('exp', w);
    const f = b.mul(b.sum(b.mul(e, 1)), b.div(b.const(2), b.const(4)));
    const g2 = b.mul(b.unary('exp', w), b.mul(b.const(1), 0.5));
    b.output('f', f, 'objective');
    b.output('g', g2, 'grad');
    const g = b.build();
    const o = runPasses(g, 'O1');
    expect(printGraph(o)).toMatchInlineSnapshot(`
      "in %0:f32[3] w :param
      %1:f32[3] = exp %0 {fused=0}
      %2:f32[] = sum %1 {axes=[0], fused=0, keepDims=false}
      %3:f32[] = const {shape=[], value=0.5}
      %4:f32[] = mul %2 %3 {fused=0}
      %5:f32[3] = mul %1 %3 {fused=0}
      out f :objective = %4
      out g :grad = %5
      "
    `);
  });
});

describe('cse keys', () => {
  it('never merges constants that differ only in the sign of zero or in NaN/inf', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2], 'data');
    b.output('p', b.add(x, b.const(0)), 'value');
    b.output('n', b.add(x, b.const(-0)), 'value');
    b.output('i', b.add(x, b.const(Infinity)), 'value');
    b.output('j', b.add(x, b.const(NaN)), 'value');
    const g = b.build();
    expect(cse(g)).toBe(g);
  });
});
