/** The op table: every IR op defined once — arity, category, attributes and its shape rule. */
import { InternalError } from '../diagnostics/internal-error.js';
import type { AttrValue, Attrs, Shape } from './ir.js';

/**
 * How an op relates its inputs to its output; passes and backends use it to find families of ops
 * (e.g. the fusion pass fuses 'unary' and 'binary' chains; the folder never folds 'random').
 */
export type OpCategory =
  | 'const'
  | 'unary'
  | 'binary'
  | 'select'
  | 'reduce'
  | 'layout'
  | 'linalg'
  | 'scan'
  | 'random'
  | 'other';

export interface OpDef {
  /** Number of inputs, or 'variadic' (concat: one or more). */
  readonly arity: number | 'variadic';
  readonly category: OpCategory;
  /** Attribute names the op requires (others are allowed and ignored, e.g. fusion tags). */
  readonly attrs: readonly string[];
  /** The output shape; throws InternalError on misuse (user shape errors are the checker's job). */
  readonly shape: (inputs: readonly Shape[], attrs: Attrs) => Shape;
}

// ── attribute readers (used by every per-op table) ───────────────────────────

/** A numeric attribute; throws InternalError when missing or of another type. */
export function numAttr(attrs: Attrs, key: string): number {
  const v = attrs[key];
  if (typeof v !== 'number') throw new InternalError(`attr '${key}' must be a number, got ${show(v)}`);
  return v;
}

/** A boolean attribute (missing means false: transposeA, keepDims, reverse, descending). */
export function boolAttr(attrs: Attrs, key: string): boolean {
  const v = attrs[key];
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new InternalError(`attr '${key}' must be a boolean, got ${show(v)}`);
  return v;
}

/** A number-list attribute (shapes, axes, perms, slice bounds). */
export function listAttr(attrs: Attrs, key: string): readonly number[] {
  const v = attrs[key];
  if (!Array.isArray(v)) throw new InternalError(`attr '${key}' must be a number list, got ${show(v)}`);
  return v as readonly number[];
}

function show(v: AttrValue | undefined): string {
  return v === undefined ? 'nothing' : JSON.stringify(v);
}

// ── shape helpers ───────────────────────────────────────────────────────────

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** NumPy broadcasting of two shapes (align right; a dim of 1 stretches). */
export function broadcastShapes(a: Shape, b: Shape): Shape {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new InternalError(`cannot broadcast [${a.join(',')}] with [${b.join(',')}]`);
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Whether `from` broadcasts to exactly `to`. */
export function broadcastsTo(from: Shape, to: Shape): boolean {
  if (from.length > to.length) return false;
  const off = to.length - from.length;
  return from.every((d, i) => d === 1 || d === to[off + i]);
}

/** Number of elements a strided slice takes along one axis (begin/end absolute; end -1 allowed when stride < 0). */
export function sliceLength(begin: number, end: number, stride: number): number {
  if (stride === 0) throw new InternalError('slice stride 0');
  const n = stride > 0 ? Math.ceil((end - begin) / stride) : Math.ceil((begin - end) / -stride);
  return Math.max(0, n);
}

function checkAxes(axes: readonly number[], rank: number, op: string): void {
  const seen = new Set<number>();
  for (const a of axes) {
    if (!Number.isInteger(a) || a < 0 || a >= rank || seen.has(a)) {
      throw new InternalError(`${op}: bad axes [${axes.join(',')}] for rank ${rank}`);
    }
    seen.add(a);
  }
}

function checkAxis(axis: number, rank: number, op: string): void {
  if (!Number.isInteger(axis) || axis < 0 || axis >= rank) throw new InternalError(`${op}: bad axis ${axis} for rank ${rank}`);
}

function checkShape(shape: readonly number[], op: string): void {
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new InternalError(`${op}: bad shape [${shape.join(',')}]`);
}

// ── op families ─────────────────────────────────────────────────────────────

const unary: OpDef = { arity: 1, category: 'unary', attrs: [], shape: ([x]) => x! };

/** Binary elementwise ops broadcast their inputs themselves (as tfjs does), so the IR needs no broadcast_to for them. */
const binary: OpDef = { arity: 2, category: 'binary', attrs: [], shape: ([a, b]) => broadcastShapes(a!, b!) };

const reduce: OpDef = {
  arity: 1,
  category: 'reduce',
  attrs: ['axes', 'keepDims'],
  shape: ([x], attrs) => {
    const axes = listAttr(attrs, 'axes');
    checkAxes(axes, x!.length, 'reduce');
    const keep = boolAttr(attrs, 'keepDims');
    const out: number[] = [];
    x!.forEach((d, i) => {
      if (!axes.includes(i)) out.push(d);
      else if (keep) out.push(1);
    });
    return out;
  },
};

const random: OpDef = {
  arity: 1,
  category: 'random',
  attrs: ['shape', 'stream'],
  shape: ([key], attrs) => {
    if (!sameShape(key!, [2])) throw new InternalError(`random op needs an rng key of shape [2], got [${key!.join(',')}]`);
    const shape = listAttr(attrs, 'shape');
    checkShape(shape, 'random');
    numAttr(attrs, 'stream');
    return shape;
  },
};

function square(x: Shape, op: string): number {
  if (x.length !== 2 || x[0] !== x[1]) throw new InternalError(`${op} needs a square matrix, got [${x.join(',')}]`);
  return x[0]!;
}

/**
 * Every op of the IR. Float32 everywhere at run time; comparisons give 0/1.
 * Attribute conventions: axes are non-negative and explicit (the builder normalizes);
 * slice begin/end are absolute indices (end may be -1 with a negative stride, meaning "past index 0").
 */
export const OPS = {
  /** A constant: `value` broadcast to `shape`, or literal row-major `tensor` data (then `value` is null). */
  const: {
    arity: 0,
    category: 'const',
    attrs: ['value', 'shape'],
    shape: (_ins, attrs) => {
      const shape = listAttr(attrs, 'shape');
      checkShape(shape, 'const');
      const tensor = attrs['tensor'];
      if (tensor !== undefined) {
        if (!Array.isArray(tensor) || tensor.length !== sizeOf(shape)) throw new InternalError('const: tensor data does not match shape');
      } else numAttr(attrs, 'value');
      return shape;
    },
  },
  neg: unary,
  exp: unary,
  log: unary,
  log1p: unary,
  sqrt: unary,
  rsqrt: unary,
  abs: unary,
  sign: unary,
  relu: unary,
  sigmoid: unary,
  tanh: unary,
  softplus: unary,
  sin: unary,
  cos: unary,
  square: unary,
  reciprocal: unary,
  floor: unary,
  /** Identity whose gradient is zero. */
  stop_gradient: unary,
  add: binary,
  sub: binary,
  mul: binary,
  div: binary,
  pow: binary,
  maximum: binary,
  minimum: binary,
  lt: binary,
  le: binary,
  gt: binary,
  ge: binary,
  eq: binary,
  ne: binary,
  /** where(cond, a, b): a where cond != 0 else b; all three broadcast together. */
  where: {
    arity: 3,
    category: 'select',
    attrs: [],
    shape: ([c, a, b]) => broadcastShapes(broadcastShapes(c!, a!), b!),
  },
  sum: reduce,
  max: reduce,
  min: reduce,
  prod: reduce,
  reshape: {
    arity: 1,
    category: 'layout',
    attrs: ['shape'],
    shape: ([x], attrs) => {
      const shape = listAttr(attrs, 'shape');
      checkShape(shape, 'reshape');
      if (sizeOf(shape) !== sizeOf(x!)) throw new InternalError(`reshape [${x!.join(',')}] to [${shape.join(',')}]`);
      return shape;
    },
  },
  broadcast_to: {
    arity: 1,
    category: 'layout',
    attrs: ['shape'],
    shape: ([x], attrs) => {
      const shape = listAttr(attrs, 'shape');
      checkShape(shape, 'broadcast_to');
      if (!broadcastsTo(x!, shape)) throw new InternalError(`broadcast_to [${x!.join(',')}] to [${shape.join(',')}]`);
      return shape;
    },
  },
  transpose: {
    arity: 1,
    category: 'layout',
    attrs: ['perm'],
    shape: ([x], attrs) => {
      const perm = listAttr(attrs, 'perm');
      if (perm.length !== x!.length) throw new InternalError(`transpose perm [${perm.join(',')}] for rank ${x!.length}`);
      checkAxes(perm, x!.length, 'transpose');
      return perm.map((p) => x![p]!);
    },
  },
  /** Strided slice: along each axis take begin, begin+stride, ... before end. */
  slice: {
    arity: 1,
    category: 'layout',
    attrs: ['begin', 'end', 'strides'],
    shape: ([x], attrs) => {
      const begin = listAttr(attrs, 'begin');
      const end = listAttr(attrs, 'end');
      const strides = listAttr(attrs, 'strides');
      if (begin.length !== x!.length || end.length !== x!.length || strides.length !== x!.length) {
        throw new InternalError(`slice bounds rank mismatch for [${x!.join(',')}]`);
      }
      return x!.map((d, i) => {
        const n = sliceLength(begin[i]!, end[i]!, strides[i]!);
        const b = begin[i]!;
        if (n > 0 && (b < 0 || b >= d || b + (n - 1) * strides[i]! < 0 || b + (n - 1) * strides[i]! >= d)) {
          throw new InternalError(`slice out of bounds on axis ${i} of [${x!.join(',')}]`);
        }
        return n;
      });
    },
  },
  /** The inverse of slice (its VJP): zeros of `shape` with the input scattered at begin + k*stride. */
  pad: {
    arity: 1,
    category: 'layout',
    attrs: ['shape', 'begin', 'strides'],
    shape: ([x], attrs) => {
      const shape = listAttr(attrs, 'shape');
      const begin = listAttr(attrs, 'begin');
      const strides = listAttr(attrs, 'strides');
      if (shape.length !== x!.length || begin.length !== x!.length || strides.length !== x!.length) {
        throw new InternalError('pad rank mismatch');
      }
      x!.forEach((n, i) => {
        const last = begin[i]! + (n - 1) * strides[i]!;
        if (n > 0 && (begin[i]! < 0 || begin[i]! >= shape[i]! || last < 0 || last >= shape[i]!)) {
          throw new InternalError(`pad out of bounds on axis ${i}`);
        }
      });
      return shape;
    },
  },
  concat: {
    arity: 'variadic',
    category: 'layout',
    attrs: ['axis'],
    shape: (ins, attrs) => {
      const axis = numAttr(attrs, 'axis');
      if (ins.length === 0) throw new InternalError('concat of nothing');
      const first = ins[0]!;
      checkAxis(axis, first.length, 'concat');
      let total = 0;
      for (const s of ins) {
        if (s.length !== first.length || s.some((d, i) => i !== axis && d !== first[i])) {
          throw new InternalError(`concat shapes [${s.join(',')}] vs [${first.join(',')}]`);
        }
        total += s[axis]!;
      }
      return first.map((d, i) => (i === axis ? total : d));
    },
  },
  /** 2-D × 2-D only; the lowering reshapes vectors. */
  matmul: {
    arity: 2,
    category: 'linalg',
    attrs: [],
    shape: ([a, b], attrs) => {
      if (a!.length !== 2 || b!.length !== 2) throw new InternalError(`matmul needs 2-D inputs, got [${a!.join(',')}] @ [${b!.join(',')}]`);
      const [m, k1] = boolAttr(attrs, 'transposeA') ? [a![1]!, a![0]!] : [a![0]!, a![1]!];
      const [k2, n] = boolAttr(attrs, 'transposeB') ? [b![1]!, b![0]!] : [b![0]!, b![1]!];
      if (k1 !== k2) throw new InternalError(`matmul inner dims ${k1} vs ${k2}`);
      return [m, n];
    },
  },
  cumsum: {
    arity: 1,
    category: 'scan',
    attrs: ['axis'],
    shape: ([x], attrs) => {
      checkAxis(numAttr(attrs, 'axis'), x!.length, 'cumsum');
      return x!;
    },
  },
  /** Sorted values along an axis (no gradient). */
  sort: {
    arity: 1,
    category: 'scan',
    attrs: ['axis'],
    shape: ([x], attrs) => {
      checkAxis(numAttr(attrs, 'axis'), x!.length, 'sort');
      return x!;
    },
  },
  /** Index (as float) of the first maximum along an axis, which is removed. */
  argmax: {
    arity: 1,
    category: 'reduce',
    attrs: ['axis'],
    shape: ([x], attrs) => {
      const axis = numAttr(attrs, 'axis');
      checkAxis(axis, x!.length, 'argmax');
      return x!.filter((_, i) => i !== axis);
    },
  },
  /** Integer-valued floats to one-hot rows: shape S -> [...S, depth]; out-of-range indices give zero rows. */
  one_hot: {
    arity: 1,
    category: 'other',
    attrs: ['depth'],
    shape: ([x], attrs) => [...x!, numAttr(attrs, 'depth')],
  },
  /** Standard normals; input is the rng key [seed, step]; `stream` is a stable id of the random site. */
  randn: random,
  /** Uniforms in [0, 1); same keying as randn. */
  rand: random,
  inv: {
    arity: 1,
    category: 'linalg',
    attrs: [],
    shape: ([x]) => {
      square(x!, 'inv');
      return x!;
    },
  },
  /** log |det A| of a small dense matrix. */
  logdet: {
    arity: 1,
    category: 'linalg',
    attrs: [],
    shape: ([x]) => {
      square(x!, 'logdet');
      return [];
    },
  },
  /** solve(A, b) = A⁻¹ b for b of shape [n] or [n, k]. */
  solve: {
    arity: 2,
    category: 'linalg',
    attrs: [],
    shape: ([a, b]) => {
      const n = square(a!, 'solve');
      if ((b!.length !== 1 && b!.length !== 2) || b![0] !== n) throw new InternalError(`solve rhs [${b!.join(',')}] for n=${n}`);
      return b!;
    },
  },
  /** Euclidean projection of each last-axis row onto the probability simplex (sort-based; no gradient). */
  proj_simplex: {
    arity: 1,
    category: 'other',
    attrs: [],
    shape: ([x]) => {
      if (x!.length < 1) throw new InternalError('proj_simplex of a scalar');
      return x!;
    },
  },
} as const satisfies Record<string, OpDef>;

export type OpName = keyof typeof OPS;

/** Whether `name` is an op of the table (for parsing dumps, tests). */
export function isOpName(name: string): name is OpName {
  return Object.prototype.hasOwnProperty.call(OPS, name);
}

/** The output shape of `op` applied to inputs of these shapes, checking arity and attrs. */
export function inferShape(op: OpName, inputs: readonly Shape[], attrs: Attrs): Shape {
  const def: OpDef = OPS[op];
  if (def.arity === 'variadic' ? inputs.length < 1 : inputs.length !== def.arity) {
    throw new InternalError(`${op} takes ${def.arity} inputs, got ${inputs.length}`);
  }
  return def.shape(inputs, attrs);
}
