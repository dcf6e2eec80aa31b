/** A tensor held in host memory: float32 values in row-major (C) order and their shape. */

export interface HostTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A tensor filled with `value`. */
export function filled(shape: readonly number[], value: number): HostTensor {
  return { shape: [...shape], data: new Float32Array(sizeOf(shape)).fill(value) };
}
