/**
 * One tfjs implementation per IR op. The table is typed `satisfies Record<OpName, Kernel>`, so adding an
 * op to compiler/ir/ops.ts without a kernel here is a type error. Semantics follow compiler/ir/ops.ts
 * and the float64 reference interpreter; every kernel returns float32.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Attrs, Var } from '../compiler/ir/ir.js';
import { boolAttr, listAttr, numAttr, type OpName } from '../compiler/ir/ops.js';
import { eyeData, logAbsDet, solve as solve64 } from '../compiler/ir/ndarray.js';
import { randFill, randnFill } from '../compiler/ir/rng.js';
import { InternalError } from '../compiler/diagnostics/internal-error.js';

/** What a kernel may ask of the executor beyond its inputs. */
export interface KernelContext {
  /**
   * The host value of a small tensor (the rng key): the executor answers from the host copy it was fed
   * with, so a random op costs no device read-back in the usual case.
   */
  hostValues(t: tf.Tensor): Float32Array;
}

export type Kernel = (x: readonly tf.Tensor[], attrs: Attrs, out: Var, ctx: KernelContext) => tf.Tensor;

const f32 = (t: tf.Tensor): tf.Tensor => (t.dtype === 'float32' ? t : tf.cast(t, 'float32'));
const un = (f: (x: tf.Tensor) => tf.Tensor): Kernel => (x) => f(x[0]!);
const bin = (f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): Kernel => (x) => f32(f(x[0]!, x[1]!));

/** Reductions with explicit axes; an empty axis list is the identity (tfjs would reduce everything). */
const red = (f: (x: tf.Tensor, axes: number[], keep: boolean) => tf.Tensor): Kernel => (x, attrs) => {
  const axes = [...listAttr(attrs, 'axes')];
  if (axes.length === 0) return tf.clone(x[0]!);
  return f(x[0]!, axes, boolAttr(attrs, 'keepDims'));
};

/** Moves `axis` last, applies `f` along the last axis, and moves it back. */
function alongAxis(x: tf.Tensor, axis: number, f: (y: tf.Tensor) => tf.Tensor): tf.Tensor {
  const r = x.shape.length;
  if (axis === r - 1) return f(x);
  const perm = [...Array(r).keys()].filter((i) => i !== axis).concat(axis);
  const inv = new Array<number>(r);
  perm.forEach((p, i) => (inv[p] = i));
  return tf.transpose(f(tf.transpose(x, perm)), inv);
}

/** Sorted values along the last axis (ascending unless `descending`). */
function sortLast(x: tf.Tensor, descending: boolean): tf.Tensor {
  const n = x.shape[x.shape.length - 1]!;
  if (n <= 1) return tf.clone(x);
  return descending ? tf.topk(x, n, true).values : tf.neg(tf.topk(tf.neg(x), n, true).values);
}

/** Scatters x into zeros along one axis at begin + k*stride (stride != 0); the inverse of a strided slice. */
function padAxis(x: tf.Tensor, axis: number, size: number, begin: number, stride: number): tf.Tensor {
  const n = x.shape[axis]!;
  if (n === 0) {
    const shape = [...x.shape];
    shape[axis] = size;
    return tf.zeros(shape);
  }
  let y = x;
  let lo = begin;
  let s = stride;
  if (s < 0) {
    // Positions descend from begin; reversed, they ascend from the lowest one with step |s|.
    y = tf.reverse(y, axis);
    lo = begin + (n - 1) * s;
    s = -s;
  }
  if (s > 1) {
    // Interleave s-1 zeros after each element: [.., n, ..] -> [.., n, s, ..] -> [.., n*s, ..], then trim the tail.
    const shape = [...y.shape];
    const expanded = tf.expandDims(y, axis + 1);
    const pads: [number, number][] = expanded.shape.map((_, i) => (i === axis + 1 ? [0, s - 1] : [0, 0]));
    shape[axis] = n * s;
    y = tf.reshape(tf.pad(expanded, pads), shape);
    const keep = [...shape];
    keep[axis] = (n - 1) * s + 1;
    y = tf.slice(y, shape.map(() => 0), keep);
  }
  const len = y.shape[axis]!;
  const pads: [number, number][] = y.shape.map((_, i) => (i === axis ? [lo, size - lo - len] : [0, 0]));
  return tf.pad(y, pads);
}

/**
 * tanh. tfjs-wasm's Tanh is scalar libm (about 28 ms for 512K values, measured) while its Sigmoid and
 * the arithmetic ops are XNNPACK-vectorized (under 1 ms each), so on wasm tanh(x) = 2 sigmoid(2x) - 1,
 * blended with the odd Taylor polynomial x - x³/3 + 2x⁵/15 - 17x⁷/315 for |x| < 0.2, where the
 * subtraction would lose relative accuracy (truncation error there < 1e-8 relative). The blend uses a
 * 0/1 mask and arithmetic rather than Select (slow on wasm); the polynomial runs on x clipped to
 * [-0.2, 0.2] so that it stays finite and the mask's zeros cancel it exactly.
 */
function tanh(x: tf.Tensor): tf.Tensor {
  if (tf.getBackend() !== 'wasm') return tf.tanh(x);
  const xc = tf.clipByValue(x, -0.2, 0.2);
  const x2 = tf.square(xc);
  const poly = tf.mul(xc, tf.add(tf.mul(x2, tf.add(tf.mul(x2, tf.add(tf.mul(x2, -17 / 315), 2 / 15)), -1 / 3)), 1));
  const far = tf.sub(tf.mul(tf.sigmoid(tf.mul(x, 2)), 2), 1);
  const near = tf.step(tf.sub(0.2, tf.abs(x)));
  return tf.add(far, tf.mul(near, tf.sub(poly, far)));
}

/** Runs a small dense float64 routine on the host; used for the small linear-algebra ops tfjs lacks. */
function onHost(inputs: readonly tf.Tensor[], shape: readonly number[], f: (xs: Float64Array[]) => ArrayLike<number>): tf.Tensor {
  const xs = inputs.map((t) => Float64Array.from(t.dataSync()));
  return tf.tensor(Float32Array.from(f(xs)), [...shape], 'float32');
}

/**
 * A (ᵀ) @ B (ᵀ) for 2-D operands. tfjs-wasm sends transposed operands down a path several times slower
 * than XNNPACK's (measured: [8,512]ᵀ@[512,1024] 26 ms fused vs 0.8 ms with an explicit transpose), so
 * transposes are materialized (as reshapes for vectors), and a large matrix times a vector is computed
 * as (bᵀ A)ᵀ rather than transposing the matrix.
 */
function matmul(a: tf.Tensor, b: tf.Tensor, ta: boolean, tb: boolean): tf.Tensor {
  const isVec = (t: tf.Tensor) => t.shape[0] === 1 || t.shape[1] === 1;
  // A vector's transpose is a reshape (a view; right operands get their own memory, see ownMemory).
  const flip = (t: tf.Tensor) => tf.reshape(t, [t.shape[1]!, t.shape[0]!]);
  if (ta && isVec(a)) [a, ta] = [flip(a), false];
  if (tb && isVec(b)) [b, tb] = [flip(b), false];
  const m = ta ? a.shape[1]! : a.shape[0]!;
  const n = tb ? b.shape[0]! : b.shape[1]!;
  // Aᵀ b with b a column [k, 1]: (bᵀ A)ᵀ, no transpose of A.
  if (ta && !tb && n === 1) return tf.reshape(tf.matMul(flip(b), ownMemory(a)), [m, 1]);
  // a Bᵀ with a a row [1, k]: (B aᵀ)ᵀ, no transpose of B.
  if (tb && !ta && m === 1) return tf.reshape(tf.matMul(b, ownMemory(flip(a))), [1, n]);
  return tf.matMul(ta ? tf.transpose(a) : a, tb ? ownMemory(tf.transpose(b)) : ownMemory(b));
}

/**
 * `t` itself, or a copy when its memory is shared with another tensor (a reshape view). tfjs-wasm 4.22
 * caches the XNNPACK operator of a matmul's right operand by the operand's memory id, so two views of
 * one buffer with different shapes used as right operands corrupt its heap ("memory access out of
 * bounds" on dispose; reproduced with plain tfjs: matMul(x, reshape(v, [1, 3])) beside
 * matMul(y, reshape(v, [3, 1]))). The copy costs one pass over the operand, small beside the product.
 */
function ownMemory(t: tf.Tensor): tf.Tensor {
  const backend = tf.backend() as { refCount?: (dataId: object) => number };
  return backend.refCount && backend.refCount(t.dataId) > 1 ? tf.mul(t, 1) : t;
}

/** Euclidean projection of each last-axis row onto the probability simplex, on the device. */
function projSimplex(x: tf.Tensor): tf.Tensor {
  const n = x.shape[x.shape.length - 1]!;
  const u = sortLast(x, true);
  const css = tf.cumsum(u, u.shape.length - 1);
  const j = tf.range(1, n + 1, 1, 'float32');
  // The condition u_j > (css_j - 1)/j holds for a prefix of j; its length rho picks the threshold.
  const cond = f32(tf.greater(u, tf.div(tf.sub(css, 1), j)));
  const rho = tf.sum(cond, -1, true);
  const at = tf.oneHot(tf.cast(tf.reshape(tf.sub(rho, 1), [-1]), 'int32'), n);
  const cssAtRho = tf.reshape(tf.sum(tf.mul(tf.reshape(css, [-1, n]), f32(at)), -1), rho.shape);
  const tau = tf.div(tf.sub(cssAtRho, 1), rho);
  return tf.relu(tf.sub(x, tau));
}

const random = (fill: typeof randFill): Kernel => (x, attrs, _out, ctx) => {
  const key = ctx.hostValues(x[0]!);
  const shape = listAttr(attrs, 'shape');
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = fill(key[0]!, numAttr(attrs, 'stream'), n, key[1]!);
  return tf.tensor(Float32Array.from(vals), [...shape], 'float32');
};

export const KERNELS = {
  const: (_x, attrs) => {
    const shape = [...listAttr(attrs, 'shape')];
    const t = attrs['tensor'];
    if (Array.isArray(t)) return tf.tensor(Float32Array.from(t as number[]), shape, 'float32');
    return tf.fill(shape, numAttr(attrs, 'value'), 'float32');
  },
  neg: un(tf.neg),
  exp: un(tf.exp),
  log: un(tf.log),
  log1p: un(tf.log1p),
  sqrt: un(tf.sqrt),
  rsqrt: un(tf.rsqrt),
  abs: un(tf.abs),
  sign: un(tf.sign),
  relu: un(tf.relu),
  sigmoid: un(tf.sigmoid),
  tanh: un(tanh),
  softplus: un(tf.softplus),
  sin: un(tf.sin),
  cos: un(tf.cos),
  square: un(tf.square),
  reciprocal: un(tf.reciprocal),
  floor: un(tf.floor),
  stop_gradient: un((x) => tf.clone(x)),
  add: bin(tf.add),
  sub: bin(tf.sub),
  mul: bin(tf.mul),
  div: bin(tf.div),
  pow: bin(tf.pow),
  maximum: bin(tf.maximum),
  minimum: bin(tf.minimum),
  lt: bin(tf.less),
  le: bin(tf.lessEqual),
  gt: bin(tf.greater),
  ge: bin(tf.greaterEqual),
  eq: bin(tf.equal),
  ne: bin(tf.notEqual),
  where: (x, _a, out) => {
    const shape = [...out.shape];
    const c = tf.broadcastTo(tf.notEqual(x[0]!, 0), shape);
    return tf.where(c, tf.broadcastTo(x[1]!, shape), tf.broadcastTo(x[2]!, shape));
  },
  sum: red((x, a, k) => tf.sum(x, a, k)),
  max: red((x, a, k) => tf.max(x, a, k)),
  min: red((x, a, k) => tf.min(x, a, k)),
  prod: red((x, a, k) => tf.prod(x, a, k)),
  reshape: (x, attrs) => tf.reshape(x[0]!, [...listAttr(attrs, 'shape')]),
  broadcast_to: (x, attrs) => tf.broadcastTo(x[0]!, [...listAttr(attrs, 'shape')]),
  transpose: (x, attrs) => tf.transpose(x[0]!, [...listAttr(attrs, 'perm')]),
  slice: (x, attrs, out) => {
    if (out.shape.some((d) => d === 0)) return tf.zeros([...out.shape]);
    const begin = listAttr(attrs, 'begin');
    const end = listAttr(attrs, 'end');
    const strides = listAttr(attrs, 'strides');
    // tfjs reads a negative end as counted from the back; -1 with a negative stride means "past index 0",
    // which is what the end mask expresses.
    let endMask = 0;
    end.forEach((e, i) => {
      if (e < 0) endMask |= 1 << i;
    });
    const y = tf.stridedSlice(x[0]!, [...begin], [...end], [...strides], 0, endMask);
    return tf.reshape(y, [...out.shape]);
  },
  pad: (x, attrs) => {
    const shape = listAttr(attrs, 'shape');
    const begin = listAttr(attrs, 'begin');
    const strides = listAttr(attrs, 'strides');
    let y = x[0]!;
    for (let a = 0; a < shape.length; a++) {
      if (y.shape[a] !== shape[a] || begin[a] !== 0 || strides[a] !== 1) y = padAxis(y, a, shape[a]!, begin[a]!, strides[a]!);
    }
    return y === x[0] ? tf.clone(y) : y;
  },
  concat: (x, attrs) => (x.length === 1 ? tf.clone(x[0]!) : tf.concat([...x], numAttr(attrs, 'axis'))),
  matmul: (x, attrs) => matmul(x[0]!, x[1]!, boolAttr(attrs, 'transposeA'), boolAttr(attrs, 'transposeB')),
  cumsum: (x, attrs) => tf.cumsum(x[0]!, numAttr(attrs, 'axis'), false, boolAttr(attrs, 'reverse')),
  sort: (x, attrs) => alongAxis(x[0]!, numAttr(attrs, 'axis'), (y) => sortLast(y, boolAttr(attrs, 'descending'))),
  argmax: (x, attrs) => f32(tf.argMax(x[0]!, numAttr(attrs, 'axis'))),
  one_hot: (x, attrs, out) => {
    const depth = numAttr(attrs, 'depth');
    // Indices outside [0, depth) or not integers give zero rows, as in the interpreter; -1 marks them for tf.oneHot.
    const idx = tf.reshape(x[0]!, [-1]);
    const valid = tf.logicalAnd(tf.logicalAnd(tf.greaterEqual(idx, 0), tf.less(idx, depth)), tf.equal(tf.floor(idx), idx));
    const safe = tf.where(valid, tf.floor(idx), tf.fill(idx.shape, -1));
    return tf.reshape(f32(tf.oneHot(tf.cast(safe, 'int32'), depth)), [...out.shape]);
  },
  randn: random(randnFill),
  rand: random(randFill),
  inv: (x, _a, out) => {
    const n = out.shape[0]!;
    return onHost(x, out.shape, ([a]) => solve64(a!, n, eyeData(n), n));
  },
  logdet: (x) => {
    const n = x[0]!.shape[0]!;
    return onHost(x, [], ([a]) => [logAbsDet(a!, n)]);
  },
  solve: (x, _a, out) => {
    const n = x[0]!.shape[0]!;
    const k = out.shape.length === 1 ? 1 : out.shape[1]!;
    return onHost(x, out.shape, ([a, b]) => solve64(a!, n, b!, k));
  },
  proj_simplex: (x) => projSimplex(x[0]!),
} satisfies Record<OpName, Kernel>;

/** The kernel for `op` (the table is total, so this never fails for a verified graph). */
export function kernelFor(op: OpName): Kernel {
  const k = KERNELS[op] as Kernel | undefined;
  if (!k) throw new InternalError(`no tfjs kernel for op '${op}'`);
  return k;
}
