/** Float64 row-major array kernels for the reference interpreter: broadcasting, reductions, layout, linear algebra. */
import { InternalError } from '../diagnostics/internal-error.js';
import type { Shape } from './ir.js';
import { sizeOf } from './ops.js';

/** A float64 tensor value, row-major. */
export interface Tensor64 {
  readonly shape: Shape;
  readonly data: Float64Array;
}

export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** For each flat index of `outShape`, the flat index into a tensor of `inShape` that broadcasts to it. */
export function broadcastIndex(inShape: Shape, outShape: Shape): Int32Array {
  const n = sizeOf(outShape);
  const idx = new Int32Array(n);
  const rank = outShape.length;
  const off = rank - inShape.length;
  const inStr = stridesOf(inShape);
  // Effective stride of each output axis into the input (0 where broadcast).
  const eff = outShape.map((_, a) => (a < off || inShape[a - off] === 1 ? 0 : inStr[a - off]!));
  const counter = new Array<number>(rank).fill(0);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    idx[i] = pos;
    for (let a = rank - 1; a >= 0; a--) {
      counter[a]!++;
      pos += eff[a]!;
      if (counter[a]! < outShape[a]!) break;
      pos -= eff[a]! * counter[a]!;
      counter[a] = 0;
    }
  }
  return idx;
}

export function broadcastTo(x: Tensor64, outShape: Shape): Float64Array {
  const idx = broadcastIndex(x.shape, outShape);
  const out = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = x.data[idx[i]!]!;
  return out;
}

/** Binary elementwise over broadcast inputs (fast paths for equal shapes and single-element operands). */
export function zip2(a: Tensor64, b: Tensor64, outShape: Shape, f: (x: number, y: number) => number): Float64Array {
  const n = sizeOf(outShape);
  const out = new Float64Array(n);
  const A = a.data;
  const B = b.data;
  if (A.length === n && B.length === n) {
    for (let i = 0; i < n; i++) out[i] = f(A[i]!, B[i]!);
  } else if (A.length === n && B.length === 1) {
    const y = B[0]!;
    for (let i = 0; i < n; i++) out[i] = f(A[i]!, y);
  } else if (B.length === n && A.length === 1) {
    const x = A[0]!;
    for (let i = 0; i < n; i++) out[i] = f(x, B[i]!);
  } else {
    const ia = broadcastIndex(a.shape, outShape);
    const ib = broadcastIndex(b.shape, outShape);
    for (let i = 0; i < n; i++) out[i] = f(A[ia[i]!]!, B[ib[i]!]!);
  }
  return out;
}

/** Elementwise over any number of broadcast inputs. */
export function zipWith(ins: readonly Tensor64[], outShape: Shape, f: (xs: number[]) => number): Float64Array {
  const idxs = ins.map((t) => broadcastIndex(t.shape, outShape));
  const n = sizeOf(outShape);
  const out = new Float64Array(n);
  const xs = new Array<number>(ins.length);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < ins.length; k++) xs[k] = ins[k]!.data[idxs[k]![i]!]!;
    out[i] = f(xs);
  }
  return out;
}

/** Reduces over `axes` (result in the keepDims layout, which has the same flat order as without). */
export function reduce(x: Tensor64, axes: readonly number[], init: number, f: (acc: number, v: number) => number): Float64Array {
  const outShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const out = new Float64Array(sizeOf(outShape)).fill(init);
  const idx = broadcastIndex(outShape, x.shape);
  for (let i = 0; i < x.data.length; i++) out[idx[i]!] = f(out[idx[i]!]!, x.data[i]!);
  return out;
}

export function transpose(x: Tensor64, perm: readonly number[]): Float64Array {
  const outShape = perm.map((p) => x.shape[p]!);
  const inStr = stridesOf(x.shape);
  const eff = perm.map((p) => inStr[p]!);
  const n = x.data.length;
  const out = new Float64Array(n);
  const counter = new Array<number>(perm.length).fill(0);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    out[i] = x.data[pos]!;
    for (let a = perm.length - 1; a >= 0; a--) {
      counter[a]!++;
      pos += eff[a]!;
      if (counter[a]! < outShape[a]!) break;
      pos -= eff[a]! * counter[a]!;
      counter[a] = 0;
    }
  }
  return out;
}

/** Calls `f(outFlat, inFlat)` for every element of a strided window of a tensor of shape `big`. */
export function forEachStrided(big: Shape, small: Shape, begin: readonly number[], strides: readonly number[], f: (smallFlat: number, bigFlat: number) => void): void {
  const bigStr = stridesOf(big);
  const n = sizeOf(small);
  const rank = small.length;
  const counter = new Array<number>(rank).fill(0);
  let pos = begin.reduce((acc, b, a) => acc + b * bigStr[a]!, 0);
  for (let i = 0; i < n; i++) {
    f(i, pos);
    for (let a = rank - 1; a >= 0; a--) {
      counter[a]!++;
      pos += strides[a]! * bigStr[a]!;
      if (counter[a]! < small[a]!) break;
      pos -= strides[a]! * bigStr[a]! * counter[a]!;
      counter[a] = 0;
    }
  }
}

/**
 * Visits every 1-D lane along `axis`: `f(offset, stride, length)` where element k of the lane is at
 * offset + k * stride (cumsum, sort, argmax, softmax-like kernels).
 */
export function forEachLane(shape: Shape, axis: number, f: (offset: number, stride: number, len: number) => void): void {
  const str = stridesOf(shape);
  const len = shape[axis]!;
  const inner = str[axis]!;
  const outer = sizeOf(shape.slice(0, axis));
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) f(o * len * inner + i, inner, len);
  }
}

export function matmul(a: Tensor64, b: Tensor64, ta: boolean, tb: boolean): Float64Array {
  // Materialize the transposes, then an i-p-j loop that walks both operands row-major.
  const A = ta ? transpose(a, [1, 0]) : a.data;
  const B = tb ? transpose(b, [1, 0]) : b.data;
  const [m, k] = ta ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const n = tb ? b.shape[0]! : b.shape[1]!;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = A[i * k + p]!;
      const row = p * n;
      const o = i * n;
      for (let j = 0; j < n; j++) out[o + j]! += aip * B[row + j]!;
    }
  }
  return out;
}

/** LU decomposition with partial pivoting of an n×n row-major matrix: returns lu, perm and pivot sign. */
export function lu(a: Float64Array, n: number): { lu: Float64Array; perm: number[]; sign: number } {
  const m = Float64Array.from(a);
  const perm = Array.from({ length: n }, (_, i) => i);
  let sign = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]!) > Math.abs(m[p * n + c]!)) p = r;
    if (p !== c) {
      for (let j = 0; j < n; j++) {
        const t = m[c * n + j]!;
        m[c * n + j] = m[p * n + j]!;
        m[p * n + j] = t;
      }
      [perm[c], perm[p]] = [perm[p]!, perm[c]!];
      sign = -sign;
    }
    const piv = m[c * n + c]!;
    if (piv === 0) continue;
    for (let r = c + 1; r < n; r++) {
      const f = (m[r * n + c]! /= piv);
      for (let j = c + 1; j < n; j++) m[r * n + j]! -= f * m[c * n + j]!;
    }
  }
  return { lu: m, perm, sign };
}

/** Solves A X = B for X (B is n×k row-major) by LU; singular A gives non-finite values. */
export function solve(a: Float64Array, n: number, b: Float64Array, k: number): Float64Array {
  const { lu: m, perm } = lu(a, n);
  const x = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) x[i * k + j] = b[perm[i]! * k + j]!;
  for (let i = 0; i < n; i++) for (let r = 0; r < i; r++) for (let j = 0; j < k; j++) x[i * k + j]! -= m[i * n + r]! * x[r * k + j]!;
  for (let i = n - 1; i >= 0; i--) {
    for (let r = i + 1; r < n; r++) for (let j = 0; j < k; j++) x[i * k + j]! -= m[i * n + r]! * x[r * k + j]!;
    for (let j = 0; j < k; j++) x[i * k + j]! /= m[i * n + i]!;
  }
  return x;
}

export function logAbsDet(a: Float64Array, n: number): number {
  const { lu: m } = lu(a, n);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(Math.abs(m[i * n + i]!));
  return s;
}

export function eyeData(n: number): Float64Array {
  const e = new Float64Array(n * n);
  for (let i = 0; i < n; i++) e[i * n + i] = 1;
  return e;
}

/** Euclidean projection of v onto the probability simplex (sort-based, Held et al. / Duchi et al.). */
export function projSimplex(v: readonly number[]): number[] {
  const u = [...v].sort((a, b) => b - a);
  let css = 0;
  let tau = 0;
  for (let j = 0; j < u.length; j++) {
    css += u[j]!;
    const t = (css - 1) / (j + 1);
    if (u[j]! - t > 0) tau = t;
  }
  return v.map((x) => Math.max(x - tau, 0));
}

export function checkSize(t: Tensor64, what: string): void {
  if (t.data.length !== sizeOf(t.shape)) throw new InternalError(`${what}: ${t.data.length} values for shape [${t.shape.join(',')}]`);
}
