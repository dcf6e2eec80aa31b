/** The reference interpreter: float64 semantics of every op, the oracle that backends and passes are tested against. */
import { InternalError } from '../diagnostics/internal-error.js';
import type { Attrs, Graph, Shape } from './ir.js';
import * as nd from './ndarray.js';
import type { Tensor64 } from './ndarray.js';
import { boolAttr, listAttr, numAttr, sizeOf, type OpName } from './ops.js';
import { randFill, randnFill } from './rng.js';

export type { Tensor64 } from './ndarray.js';

type Kernel = (ins: readonly Tensor64[], attrs: Attrs, out: Shape) => Float64Array;

function map1(f: (x: number) => number): Kernel {
  return ([x]) => x!.data.map(f);
}

function zip(f: (a: number, b: number) => number): Kernel {
  return ([a, b], _attrs, out) => nd.zip2(a!, b!, out, f);
}

function reduceK(init: number, f: (acc: number, v: number) => number): Kernel {
  return ([x], attrs) => nd.reduce(x!, listAttr(attrs, 'axes'), init, f);
}

function stableSigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

function random(fill: typeof randFill): Kernel {
  return ([key], attrs, out) => fill(key!.data[0]!, numAttr(attrs, 'stream'), sizeOf(out), key!.data[1]!);
}

/** Float64 kernels, one per op. Comparisons give 0/1; subgradient conventions live in vjp-rules.ts. */
export const KERNELS = {
  const: (_ins, attrs, out) => {
    const t = attrs['tensor'];
    if (Array.isArray(t)) return Float64Array.from(t as readonly number[]);
    return new Float64Array(sizeOf(out)).fill(numAttr(attrs, 'value'));
  },
  neg: map1((x) => -x),
  exp: map1(Math.exp),
  log: map1(Math.log),
  log1p: map1(Math.log1p),
  sqrt: map1(Math.sqrt),
  rsqrt: map1((x) => 1 / Math.sqrt(x)),
  abs: map1(Math.abs),
  sign: map1(Math.sign),
  relu: map1((x) => (x > 0 ? x : x === x ? 0 : x)),
  sigmoid: map1(stableSigmoid),
  tanh: map1(Math.tanh),
  softplus: map1((x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)))),
  sin: map1(Math.sin),
  cos: map1(Math.cos),
  square: map1((x) => x * x),
  reciprocal: map1((x) => 1 / x),
  floor: map1(Math.floor),
  stop_gradient: map1((x) => x),
  add: zip((a, b) => a + b),
  sub: zip((a, b) => a - b),
  mul: zip((a, b) => a * b),
  div: zip((a, b) => a / b),
  pow: zip(Math.pow),
  maximum: zip(Math.max),
  minimum: zip(Math.min),
  lt: zip((a, b) => +(a < b)),
  le: zip((a, b) => +(a <= b)),
  gt: zip((a, b) => +(a > b)),
  ge: zip((a, b) => +(a >= b)),
  eq: zip((a, b) => +(a === b)),
  ne: zip((a, b) => +(a !== b)),
  where: (ins, _attrs, out) => nd.zipWith(ins, out, ([c, a, b]) => (c !== 0 ? a! : b!)),
  sum: reduceK(0, (acc, v) => acc + v),
  max: reduceK(-Infinity, (acc, v) => (v > acc || v !== v ? v : acc)),
  min: reduceK(Infinity, (acc, v) => (v < acc || v !== v ? v : acc)),
  prod: reduceK(1, (acc, v) => acc * v),
  reshape: ([x]) => Float64Array.from(x!.data),
  broadcast_to: ([x], _attrs, out) => nd.broadcastTo(x!, out),
  transpose: ([x], attrs) => nd.transpose(x!, listAttr(attrs, 'perm')),
  slice: ([x], attrs, out) => {
    const res = new Float64Array(sizeOf(out));
    nd.forEachStrided(x!.shape, out, listAttr(attrs, 'begin'), listAttr(attrs, 'strides'), (o, i) => {
      res[o] = x!.data[i]!;
    });
    return res;
  },
  pad: ([x], attrs, out) => {
    const res = new Float64Array(sizeOf(out));
    nd.forEachStrided(out, x!.shape, listAttr(attrs, 'begin'), listAttr(attrs, 'strides'), (i, o) => {
      res[o] = x!.data[i]!;
    });
    return res;
  },
  concat: (ins, attrs, out) => {
    const axis = numAttr(attrs, 'axis');
    const res = new Float64Array(sizeOf(out));
    let at = 0;
    for (const t of ins) {
      const begin = out.map((_, i) => (i === axis ? at : 0));
      nd.forEachStrided(out, t.shape, begin, out.map(() => 1), (i, o) => {
        res[o] = t.data[i]!;
      });
      at += t.shape[axis]!;
    }
    return res;
  },
  matmul: ([a, b], attrs) => nd.matmul(a!, b!, boolAttr(attrs, 'transposeA'), boolAttr(attrs, 'transposeB')),
  cumsum: ([x], attrs) => {
    const res = new Float64Array(x!.data.length);
    const rev = boolAttr(attrs, 'reverse');
    nd.forEachLane(x!.shape, numAttr(attrs, 'axis'), (off, st, len) => {
      let s = 0;
      for (let k = 0; k < len; k++) {
        const i = off + (rev ? len - 1 - k : k) * st;
        s += x!.data[i]!;
        res[i] = s;
      }
    });
    return res;
  },
  sort: ([x], attrs) => {
    const res = new Float64Array(x!.data.length);
    const desc = boolAttr(attrs, 'descending');
    nd.forEachLane(x!.shape, numAttr(attrs, 'axis'), (off, st, len) => {
      const lane = Array.from({ length: len }, (_, k) => x!.data[off + k * st]!);
      lane.sort((p, q) => (desc ? q - p : p - q));
      lane.forEach((v, k) => (res[off + k * st] = v));
    });
    return res;
  },
  argmax: ([x], attrs, out) => {
    const res = new Float64Array(sizeOf(out));
    let o = 0;
    nd.forEachLane(x!.shape, numAttr(attrs, 'axis'), (off, st, len) => {
      let best = 0;
      for (let k = 1; k < len; k++) if (x!.data[off + k * st]! > x!.data[off + best * st]!) best = k;
      res[o++] = best;
    });
    // forEachLane visits lanes in (outer, inner) order, which is the row-major order of the output.
    return res;
  },
  one_hot: ([x], attrs, out) => {
    const depth = numAttr(attrs, 'depth');
    const res = new Float64Array(sizeOf(out));
    x!.data.forEach((v, i) => {
      if (Number.isInteger(v) && v >= 0 && v < depth) res[i * depth + v] = 1;
    });
    return res;
  },
  randn: random(randnFill),
  rand: random(randFill),
  inv: ([x]) => {
    const n = x!.shape[0]!;
    return nd.solve(x!.data, n, nd.eyeData(n), n);
  },
  logdet: ([x]) => Float64Array.of(nd.logAbsDet(x!.data, x!.shape[0]!)),
  solve: ([a, b]) => nd.solve(a!.data, a!.shape[0]!, b!.data, b!.shape.length === 1 ? 1 : b!.shape[1]!),
  proj_simplex: ([x]) => {
    const res = new Float64Array(x!.data.length);
    nd.forEachLane(x!.shape, x!.shape.length - 1, (off, st, len) => {
      const row = Array.from({ length: len }, (_, k) => x!.data[off + k * st]!);
      nd.projSimplex(row).forEach((v, k) => (res[off + k * st] = v));
    });
    return res;
  },
} as const satisfies Record<OpName, Kernel>;

/** Evaluates one op on float64 tensors (used by constant folding). */
export function evalOp(op: OpName, ins: readonly Tensor64[], attrs: Attrs, out: Shape): Tensor64 {
  const kernel: Kernel = KERNELS[op];
  return { shape: out, data: kernel(ins, attrs, out) };
}

/** Input values: a flat row-major array per graph input name (a plain number for scalars). */
export type InterpretInputs = Readonly<Record<string, Float64Array | readonly number[] | number>>;

/** Evaluates every var of the graph; returns values by var id. */
export function evalGraph(g: Graph, inputs: InterpretInputs): Map<number, Tensor64> {
  const env = new Map<number, Tensor64>();
  for (const inp of g.inputs) {
    const raw = inputs[inp.name];
    if (raw === undefined) throw new InternalError(`interpret: no value for input '${inp.name}'`);
    const data = typeof raw === 'number' ? Float64Array.of(raw) : Float64Array.from(raw);
    const t = { shape: inp.var.shape, data };
    nd.checkSize(t, `input '${inp.name}'`);
    env.set(inp.var.id, t);
  }
  for (const e of g.eqns) {
    const ins = e.inputs.map((v) => {
      const t = env.get(v.id);
      if (!t) throw new InternalError(`interpret: %${v.id} undefined`);
      return t;
    });
    env.set(e.out.id, evalOp(e.op, ins, e.attrs, e.out.shape));
  }
  return env;
}

/** Runs the graph in float64 and returns each output by name (a later output of the same name wins). */
export function interpret(g: Graph, inputs: InterpretInputs): Record<string, Tensor64> {
  const env = evalGraph(g, inputs);
  const out: Record<string, Tensor64> = {};
  for (const o of g.outputs) out[o.name] = env.get(o.var.id)!;
  return out;
}
