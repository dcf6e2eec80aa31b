/** Pure shape arithmetic on concrete shapes: NumPy broadcasting, matmul, reductions, slicing. */
import type { Shape } from './checked.js';

/** Element-wise equality of two shapes. */
export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Number of elements of a shape (1 for a scalar). */
export function sizeOfShape(s: Shape): number {
  let n = 1;
  for (const d of s) n *= d;
  return n;
}

/** NumPy broadcasting of two shapes, or null when some aligned pair of dims differs and neither is 1. */
export function broadcast(a: Shape, b: Shape): Shape | null {
  if (sameShape(a, b)) return a;
  const n = Math.max(a.length, b.length);
  const out: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x === y || y === 1) out[i] = x;
    else if (x === 1) out[i] = y;
    else return null;
  }
  return out;
}

/**
 * The result shape of `a @ b` under NumPy's matmul rules (vectors are promoted and the promoted axis
 * dropped again; leading batch dims broadcast), or null when the contracted dims differ or an operand is a scalar.
 */
export function matmulShape(a: Shape, b: Shape): Shape | null {
  if (a.length === 0 || b.length === 0) return null;
  const a2 = a.length === 1 ? [1, a[0]!] : a;
  const b2 = b.length === 1 ? [b[0]!, 1] : b;
  const k1 = a2[a2.length - 1]!;
  const k2 = b2[b2.length - 2]!;
  if (k1 !== k2) return null;
  const batch = broadcast(a2.slice(0, -2), b2.slice(0, -2));
  if (batch === null) return null;
  const out = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]!);
  if (b.length > 1) out.push(b2[b2.length - 1]!);
  return out;
}

/** A possibly negative axis normalised into [0, rank), or null when out of range. */
export function normalizeAxis(axis: number, rank: number): number | null {
  if (!Number.isInteger(axis)) return null;
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : null;
}

/** The shape left after reducing over `axes` (already normalised); all axes when `axes` is null. */
export function reduceShape(s: Shape, axes: readonly number[] | null): Shape {
  if (axes === null) return [];
  return s.filter((_, i) => !axes.includes(i));
}

/** Python's slice semantics for one axis of length `n`: how many elements `start:stop:step` selects. */
export function sliceLength(n: number, start: number | null, stop: number | null, step: number): number {
  const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));
  if (step > 0) {
    const s = start === null ? 0 : clamp(start < 0 ? start + n : start, 0, n);
    const e = stop === null ? n : clamp(stop < 0 ? stop + n : stop, 0, n);
    return e > s ? Math.ceil((e - s) / step) : 0;
  }
  const s = start === null ? n - 1 : clamp(start < 0 ? start + n : start, -1, n - 1);
  const e = stop === null ? -1 : clamp(stop < 0 ? stop + n : stop, -1, n - 1);
  return s > e ? Math.ceil((s - e) / -step) : 0;
}
