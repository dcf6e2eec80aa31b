import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { GraphBuilder } from '../../compiler/ir/builder.js';
import type { Graph, Var } from '../../compiler/ir/ir.js';
import { interpret } from '../../compiler/ir/interpret.js';
import type { OpName } from '../../compiler/ir/ops.js';
import { selectBackend } from '../../runtime/backend.js';
import { elidableBroadcasts, GraphExecutor, outputKey, runGraphOnce } from '../../runtime/executor.js';
import type { HostTensor } from '../../runtime/data/host-tensor.js';

/** A small seeded generator (mulberry32), independent of the code under test. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Gen = () => number;
/** A case: declares inputs (with their float32 values) on the builder and returns the output var. */
type Case = (b: GraphBuilder, inp: (name: string, shape: number[], f: (r: Gen) => number) => Var, r: Gen) => Var;

const any = (r: Gen) => r() * 4 - 2;
const pos = (r: Gen) => 0.2 + r() * 2;
const small = (r: Gen) => Math.round(r() * 4 - 2);
const un = (op: OpName, f: (r: Gen) => number = any): Case => (b, inp) => b.op(op, [inp('x', [3, 4], f)]);
const bin = (op: OpName, fa: (r: Gen) => number = any, fb: (r: Gen) => number = any): Case => (b, inp) =>
  b.op(op, [inp('a', [3, 1, 4], fa), inp('b', [2, 1], fb)]);

/** One case per op; typed over every OpName so a new op without a case is a type error. */
const CASES: Record<OpName, Case> = {
  const: (b) => b.add(b.tensor([1, 2, 3, 4, 5, 6], [2, 3]), b.const(0.5, [2, 3])),
  neg: un('neg'),
  exp: un('exp'),
  log: un('log', pos),
  log1p: un('log1p', pos),
  sqrt: un('sqrt', pos),
  rsqrt: un('rsqrt', pos),
  abs: un('abs'),
  sign: un('sign', small),
  relu: un('relu'),
  sigmoid: un('sigmoid'),
  tanh: un('tanh'),
  softplus: un('softplus'),
  sin: un('sin'),
  cos: un('cos'),
  square: un('square'),
  reciprocal: un('reciprocal', pos),
  floor: un('floor'),
  stop_gradient: un('stop_gradient'),
  add: bin('add'),
  sub: bin('sub'),
  mul: bin('mul'),
  div: bin('div', any, pos),
  pow: bin('pow', pos, any),
  maximum: bin('maximum'),
  minimum: bin('minimum'),
  lt: bin('lt', small, small),
  le: bin('le', small, small),
  gt: bin('gt', small, small),
  ge: bin('ge', small, small),
  eq: bin('eq', small, small),
  ne: bin('ne', small, small),
  where: (b, inp) => b.op('where', [inp('c', [3, 1], small), inp('a', [3, 4], any), inp('b', [4], any)]),
  sum: (b, inp) => b.op('sum', [inp('x', [2, 3, 4], any)], { axes: [0, 2], keepDims: false }),
  max: (b, inp) => b.op('max', [inp('x', [2, 3, 4], any)], { axes: [1], keepDims: true }),
  min: (b, inp) => b.op('min', [inp('x', [2, 3, 4], any)], { axes: [0, 1, 2], keepDims: false }),
  prod: (b, inp) => b.op('prod', [inp('x', [2, 3, 4], pos)], { axes: [2], keepDims: false }),
  reshape: (b, inp) => b.op('reshape', [inp('x', [2, 6], any)], { shape: [3, 2, 2] }),
  broadcast_to: (b, inp) => b.op('broadcast_to', [inp('x', [3, 1], any)], { shape: [2, 3, 4] }),
  transpose: (b, inp) => b.op('transpose', [inp('x', [2, 3, 4], any)], { perm: [2, 0, 1] }),
  slice: (b, inp) => {
    const x = inp('x', [5, 6], any);
    const s1 = b.op('slice', [x], { begin: [1, 0], end: [5, 6], strides: [2, 3] });
    const s2 = b.op('slice', [x], { begin: [4, 5], end: [-1, 0], strides: [-2, -1] });
    return b.add(b.sum(s1), b.sum(b.mul(s2, s2)));
  },
  pad: (b, inp) => {
    const p1 = b.op('pad', [inp('x', [2, 3], any)], { shape: [5, 7], begin: [1, 0], strides: [2, 3] });
    const p2 = b.op('pad', [inp('y', [3, 2], any)], { shape: [5, 7], begin: [4, 6], strides: [-2, -1] });
    return b.add(p1, b.mul(p2, 3));
  },
  concat: (b, inp) => b.op('concat', [inp('a', [2, 3], any), inp('b', [2, 1], any), inp('c', [2, 2], any)], { axis: 1 }),
  matmul: (b, inp) => {
    const a = inp('a', [3, 4], any);
    const w = inp('w', [5, 4], any);
    const c = inp('c', [3, 5], any);
    const d = inp('d', [4, 3], any);
    const both = b.matmul(d, w, { transposeA: true, transposeB: true }); // [3, 5]
    // Vector shapes take the reshape and (bᵀA)ᵀ paths of the kernel.
    const col = inp('col', [3, 1], any);
    const row = inp('row', [1, 4], any);
    const vecs = b.add(b.add(b.sum(b.matmul(a, col, { transposeA: true })), b.sum(b.matmul(row, w, { transposeB: true }))), b.sum(b.matmul(row, col, { transposeA: true, transposeB: true })));
    const rowT = b.sum(b.matmul(b.reshape(col, [1, 3]), d, { transposeB: true }));
    return b.add(b.add(b.add(b.matmul(a, w, { transposeB: true }), b.sum(b.matmul(a, c, { transposeA: true }))), both), b.add(vecs, rowT));
  },
  cumsum: (b, inp) => {
    const x = inp('x', [3, 4], any);
    return b.add(b.op('cumsum', [x], { axis: 1 }), b.op('cumsum', [x], { axis: 0, reverse: true }));
  },
  sort: (b, inp) => {
    const x = inp('x', [3, 5], any);
    return b.add(b.op('sort', [x], { axis: 0 }), b.op('sort', [x], { axis: 1, descending: true }));
  },
  argmax: (b, inp) => b.op('argmax', [inp('x', [3, 5], any)], { axis: 1 }),
  one_hot: (b, inp) => b.op('one_hot', [inp('x', [2, 3], (r) => Math.round(r() * 6 - 1))], { depth: 4 }),
  randn: (b, inp) => b.op('randn', [inp('rng', [2], () => 0)], { shape: [3, 5], stream: 7 }),
  rand: (b, inp) => b.op('rand', [inp('rng', [2], () => 0)], { shape: [9], stream: 2 }),
  inv: (b, inp) => b.op('inv', [b.add(inp('x', [3, 3], any), b.tensor([4, 0, 0, 0, 4, 0, 0, 0, 4], [3, 3]))]),
  logdet: (b, inp) => b.op('logdet', [b.add(inp('x', [3, 3], any), b.tensor([4, 0, 0, 0, 4, 0, 0, 0, 4], [3, 3]))]),
  solve: (b, inp) => {
    const a = b.add(inp('x', [3, 3], any), b.tensor([4, 0, 0, 0, 4, 0, 0, 0, 4], [3, 3]));
    return b.add(b.op('solve', [a, inp('v', [3], any)]), b.sum(b.op('solve', [a, inp('m', [3, 2], any)])));
  },
  proj_simplex: (b, inp) => b.op('proj_simplex', [inp('x', [4, 6], any)]),
};

/** Builds the case's graph with seeded input values (rounded to float32, so both sides see the same numbers). */
function build(op: OpName, seed: number): { g: Graph; feeds: Map<string, HostTensor>; raw: Record<string, Float64Array> } {
  const r = rng(seed);
  const b = new GraphBuilder();
  const feeds = new Map<string, HostTensor>();
  const raw: Record<string, Float64Array> = {};
  const inp = (name: string, shape: number[], f: (r: Gen) => number) => {
    const n = shape.reduce((a, c) => a * c, 1);
    const data = name === 'rng' ? Float32Array.of(11, 3 + seed) : Float32Array.from({ length: n }, () => f(r));
    feeds.set(name, { shape, data });
    raw[name] = Float64Array.from(data);
    return b.input(name, shape, name === 'rng' ? 'rng' : 'data');
  };
  b.output('y', CASES[op](b, inp, r), 'value');
  return { g: b.build(), feeds, raw };
}

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('cpu backend vs reference interpreter', () => {
  it('agrees on every op', async () => {
    await selectBackend('cpu');
    try {
      for (const op of Object.keys(CASES) as OpName[]) {
        const { g, feeds, raw } = build(op, 4);
        const want = interpret(g, raw)['y']!;
        const got = (await runGraphOnce(g, feeds)).get(outputKey('value', 'y'))!;
        expect(got.shape, op).toEqual([...want.shape]);
        want.data.forEach((w, i) => expect(Math.abs(got.data[i]! - w), op).toBeLessThanOrEqual(2e-5 + 2e-4 * Math.abs(w)));
      }
    } finally {
      await selectBackend('wasm');
    }
  });
});

describe('executor vs reference interpreter', () => {
  for (const op of Object.keys(CASES) as OpName[]) {
    it(`${op} agrees within float32 tolerance`, async () => {
      for (const seed of [1, 2, 3]) {
        const { g, feeds, raw } = build(op, seed);
        const want = interpret(g, raw)['y']!;
        const got = (await runGraphOnce(g, feeds)).get(outputKey('value', 'y'))!;
        expect(got.shape).toEqual([...want.shape]);
        want.data.forEach((w, i) => {
          expect(Math.abs(got.data[i]! - w)).toBeLessThanOrEqual(2e-5 + 2e-4 * Math.abs(w));
        });
      }
    });
  }

  it('runs a random composed graph the same way', async () => {
    const ops: OpName[] = ['tanh', 'sigmoid', 'neg', 'square', 'abs', 'sin', 'relu', 'softplus'];
    for (const seed of [5, 6, 7, 8]) {
      const r = rng(seed);
      const b = new GraphBuilder();
      const x = b.input('x', [4, 3], 'param');
      const W = b.input('W', [3, 3], 'data');
      let vars: Var[] = [x];
      for (let k = 0; k < 12; k++) {
        const a = vars[Math.floor(r() * vars.length)]!;
        const c = vars[Math.floor(r() * vars.length)]!;
        const pick = r();
        const v = pick < 0.4 ? b.unary(ops[Math.floor(r() * ops.length)]!, a) : pick < 0.7 ? b.add(b.mul(a, 0.5), c) : pick < 0.85 ? b.matmul(a, W) : b.sub(a, b.mean(c, 1, true));
        vars = [...vars, v];
      }
      b.output('y', vars[vars.length - 1]!, 'value');
      const g = b.build();
      const xs = Float32Array.from({ length: 12 }, () => r() * 2 - 1);
      const ws = Float32Array.from({ length: 9 }, () => r() - 0.5);
      const want = interpret(g, { x: Float64Array.from(xs), W: Float64Array.from(ws) })['y']!;
      const got = (await runGraphOnce(g, new Map([['x', { shape: [4, 3], data: xs }], ['W', { shape: [3, 3], data: ws }]]))).get('value:y')!;
      want.data.forEach((w, i) => expect(Math.abs(got.data[i]! - w)).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(w)));
    }
  });

  it('survives one buffer used as the right operand of matmuls in two shapes (tfjs-wasm operator cache)', async () => {
    const b = new GraphBuilder();
    const v = b.input('v', [3], 'param');
    const x = b.input('x', [2, 1], 'data');
    const y = b.input('y', [4, 3], 'data');
    const outer = b.matmul(x, b.reshape(v, [1, 3]));
    const mv = b.matmul(y, b.reshape(v, [3, 1]));
    b.output('s', b.add(b.sum(outer), b.sum(mv)), 'value');
    const g = b.build();
    const feeds = new Map([
      ['v', { shape: [3], data: Float32Array.of(1, -2, 0.5) }],
      ['x', { shape: [2, 1], data: Float32Array.of(3, 4) }],
      ['y', { shape: [4, 3], data: Float32Array.from({ length: 12 }, (_, i) => i / 4) }],
    ]);
    const want = interpret(g, Object.fromEntries([...feeds].map(([k, t]) => [k, Float64Array.from(t.data)])))['s']!.data[0]!;
    for (let i = 0; i < 30; i++) expect((await runGraphOnce(g, feeds)).get('value:s')!.data[0]).toBeCloseTo(want, 4);
  });

  it('tanh keeps float32 accuracy from 1e-12 to saturation, NaN and infinities included', async () => {
    const xs: number[] = [0, 0.2, -0.2, 20, -20, Infinity, -Infinity, NaN];
    for (let e = -12; e <= 1.5; e += 0.05) xs.push(Math.fround(10 ** e), Math.fround(-(10 ** e)));
    const b = new GraphBuilder();
    b.output('y', b.unary('tanh', b.input('x', [xs.length], 'data')), 'value');
    const got = (await runGraphOnce(b.build(), new Map([['x', { shape: [xs.length], data: Float32Array.from(xs) }]]))).get('value:y')!.data;
    xs.forEach((x, i) => {
      const w = Math.tanh(Math.fround(x));
      if (Number.isNaN(w)) expect(got[i]).toBeNaN();
      else expect(Math.abs(got[i]! - w)).toBeLessThanOrEqual(Math.max(2e-7, 1e-6 * Math.abs(w)));
    });
  });

  it('skips broadcasts that consumers do themselves, but not where the shape would change', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', [3, 1], 'data');
    const y = b.input('y', [3, 4], 'data');
    const z = b.input('z', [3, 1], 'data');
    const bx = b.op('broadcast_to', [x], { shape: [3, 4] }); // only feeds mul with y: elidable
    const bz = b.op('broadcast_to', [z], { shape: [3, 4] }); // mul with x [3, 1] would shrink to [3, 1]: kept
    const bt = b.op('broadcast_to', [x], { shape: [3, 4] }); // feeds tanh: kept
    b.output('a', b.mul(bx, y), 'value');
    b.output('b', b.mul(bz, x), 'value');
    b.output('c', b.unary('tanh', bt), 'value');
    const g = b.build();
    expect([...elidableBroadcasts(g)]).toEqual([bx.id]);
    const xs = Float32Array.of(1, 2, 3);
    const ys = Float32Array.from({ length: 12 }, (_, i) => i - 5);
    const zs = Float32Array.of(-1, 0.5, 2);
    const got = await runGraphOnce(g, new Map([['x', { shape: [3, 1], data: xs }], ['y', { shape: [3, 4], data: ys }], ['z', { shape: [3, 1], data: zs }]]));
    const want = interpret(g, { x: Float64Array.from(xs), y: Float64Array.from(ys), z: Float64Array.from(zs) });
    for (const k of ['a', 'b', 'c']) {
      expect(got.get(`value:${k}`)!.shape).toEqual([3, 4]);
      want[k]!.data.forEach((w, i) => expect(got.get(`value:${k}`)!.data[i]).toBeCloseTo(w, 5));
    }
  });

  it('keeps outputs, disposes intermediates, and keeps the tensor count flat across calls', () => {
    const b = new GraphBuilder();
    const w = b.input('w', [8], 'param');
    const key = b.input('rng', [2], 'rng');
    const noise = b.op('randn', [key], { shape: [8], stream: 1 });
    const upd = b.sub(w, b.mul(b.add(b.mul(w, 2), noise), 0.1));
    b.output('w', upd, 'update');
    b.output('loss', b.sum(b.unary('square', w)), 'objective');
    b.output('loss', b.sum(b.unary('square', w)), 'log');
    b.output('same', w, 'value');
    const ex = new GraphExecutor(b.build());
    let wt = tf.zeros([8]);
    const before = tf.memory().numTensors;
    let after1 = 0;
    for (let s = 0; s < 50; s++) {
      const out = ex.run(new Map([['w', wt], ['rng', { shape: [2], data: Float32Array.of(0, s) }]]));
      expect(out.get('value:same')).not.toBe(wt);
      for (const [k, t] of out) if (k !== 'update:w') t.dispose();
      wt.dispose();
      wt = out.get('update:w')!;
      if (s === 0) after1 = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(after1);
    expect(after1 - before).toBeLessThanOrEqual(3); // the kept constants
    ex.dispose();
    wt.dispose();
  });
});
