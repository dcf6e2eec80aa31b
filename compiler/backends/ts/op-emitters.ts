/**
 * One TypeScript expression per IR op: the tfjs-core call that runtime/tfjs-kernels.ts makes for it, so
 * the emitted module computes the same float32 numbers as `gd run`. Ops whose kernel is more than one
 * call (strided slice, pad, one_hot, simplex projection, host linear algebra, random fills) call the
 * same kernel through `gdlang/runtime` (runtime/embed.ts).
 */
import type { Attrs, Var } from '../../ir/ir.js';
import { boolAttr, listAttr, numAttr, type OpName } from '../../ir/ops.js';
import { num, nums } from './names.js';

/** Emits the expression for one equation from its input expressions, attributes and output var. */
export type OpEmitter = (x: readonly string[], attrs: Attrs, out: Var) => string;

const tf = (fn: string): OpEmitter => (x) => `tf.${fn}(${x.join(', ')})`;
/** tfjs comparisons give bool tensors; the IR's are float32 0/1. */
const cmp = (fn: string): OpEmitter => (x) => `tf.cast(tf.${fn}(${x.join(', ')}), "float32")`;
/** Reductions with explicit axes; no axes is the identity (tfjs would reduce everything). */
const red = (fn: string): OpEmitter => (x, attrs) => {
  const axes = listAttr(attrs, 'axes');
  if (axes.length === 0) return `tf.clone(${x[0]})`;
  return `tf.${fn}(${x[0]}, ${nums(axes)}${boolAttr(attrs, 'keepDims') ? ', true' : ''})`;
};
const random = (fn: string): OpEmitter => (x, attrs) => `gd.${fn}(${x[0]}, ${nums(listAttr(attrs, 'shape'))}, ${num(numAttr(attrs, 'stream'))})`;

export const OP_EMITTERS = {
  const: (_x, attrs) => {
    const shape = listAttr(attrs, 'shape');
    const t = attrs['tensor'];
    if (Array.isArray(t)) return `tf.tensor(${nums(t as number[])}, ${nums(shape)})`;
    const v = num(numAttr(attrs, 'value'));
    return shape.length === 0 ? `tf.scalar(${v})` : `tf.fill(${nums(shape)}, ${v})`;
  },
  neg: tf('neg'),
  exp: tf('exp'),
  log: tf('log'),
  log1p: tf('log1p'),
  sqrt: tf('sqrt'),
  rsqrt: tf('rsqrt'),
  abs: tf('abs'),
  sign: tf('sign'),
  relu: tf('relu'),
  sigmoid: tf('sigmoid'),
  // tfjs-wasm's own Tanh is scalar and slow; the runtime's (and so gdlang/runtime's) is vectorized.
  tanh: (x) => `gd.tanh(${x[0]})`,
  softplus: tf('softplus'),
  sin: tf('sin'),
  cos: tf('cos'),
  square: tf('square'),
  reciprocal: tf('reciprocal'),
  floor: tf('floor'),
  stop_gradient: tf('clone'),
  add: tf('add'),
  sub: tf('sub'),
  mul: tf('mul'),
  div: tf('div'),
  pow: tf('pow'),
  maximum: tf('maximum'),
  minimum: tf('minimum'),
  lt: cmp('less'),
  le: cmp('lessEqual'),
  gt: cmp('greater'),
  ge: cmp('greaterEqual'),
  eq: cmp('equal'),
  ne: cmp('notEqual'),
  where: (x, _a, out) => `gd.where(${x.join(', ')}, ${nums(out.shape)})`,
  sum: red('sum'),
  max: red('max'),
  min: red('min'),
  prod: red('prod'),
  reshape: (x, attrs) => `tf.reshape(${x[0]}, ${nums(listAttr(attrs, 'shape'))})`,
  broadcast_to: (x, attrs) => `tf.broadcastTo(${x[0]}, ${nums(listAttr(attrs, 'shape'))})`,
  transpose: (x, attrs) => `tf.transpose(${x[0]}, ${nums(listAttr(attrs, 'perm'))})`,
  slice: (x, attrs, out) =>
    `gd.slice(${x[0]}, ${nums(listAttr(attrs, 'begin'))}, ${nums(listAttr(attrs, 'end'))}, ${nums(listAttr(attrs, 'strides'))}, ${nums(out.shape)})`,
  pad: (x, attrs) => `gd.pad(${x[0]}, ${nums(listAttr(attrs, 'shape'))}, ${nums(listAttr(attrs, 'begin'))}, ${nums(listAttr(attrs, 'strides'))})`,
  concat: (x, attrs) => (x.length === 1 ? `tf.clone(${x[0]})` : `tf.concat([${x.join(', ')}], ${num(numAttr(attrs, 'axis'))})`),
  // The runtime's matmul works around tfjs-wasm (slow transposed paths, heap corruption with views as right operands).
  matmul: (x, attrs) => {
    const ta = boolAttr(attrs, 'transposeA');
    const tb = boolAttr(attrs, 'transposeB');
    return ta || tb ? `gd.matMul(${x[0]}, ${x[1]}, ${ta}, ${tb})` : `gd.matMul(${x[0]}, ${x[1]})`;
  },
  cumsum: (x, attrs) => `tf.cumsum(${x[0]}, ${num(numAttr(attrs, 'axis'))}, false, ${boolAttr(attrs, 'reverse')})`,
  sort: (x, attrs) => `gd.sort(${x[0]}, ${num(numAttr(attrs, 'axis'))}, ${boolAttr(attrs, 'descending')})`,
  argmax: (x, attrs) => `tf.cast(tf.argMax(${x[0]}, ${num(numAttr(attrs, 'axis'))}), "float32")`,
  one_hot: (x, attrs, out) => `gd.oneHot(${x[0]}, ${num(numAttr(attrs, 'depth'))}, ${nums(out.shape)})`,
  randn: random('randn'),
  rand: random('rand'),
  inv: (x) => `gd.inv(${x[0]})`,
  logdet: (x) => `gd.logdet(${x[0]})`,
  solve: (x) => `gd.solve(${x[0]}, ${x[1]})`,
  proj_simplex: (x) => `gd.projSimplex(${x[0]})`,
} satisfies Record<OpName, OpEmitter>;
