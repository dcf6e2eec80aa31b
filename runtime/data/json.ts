/** Reads JSON tensors: nested arrays of numbers, or an object { shape: [...], data: [...] } with flat (or nested) data. */
import { dataFileMalformed, dataNonNumeric } from '../../compiler/diagnostics/constructors/runtime.js';
import type { Span } from '../../compiler/diagnostics/span.js';
import { fail } from '../faults.js';
import { sizeOf, type HostTensor } from './host-tensor.js';

/** The shape of a nested array, checking it is rectangular; `path` locates the value in messages. */
function shapeOf(v: unknown, file: string, path: string, span?: Span): number[] {
  if (!Array.isArray(v)) return [];
  if (v.length === 0) return [0];
  const inner = shapeOf(v[0], file, `${path}[0]`, span);
  for (let i = 1; i < v.length; i++) {
    const s = shapeOf(v[i], file, `${path}[${i}]`, span);
    if (s.length !== inner.length || s.some((d, k) => d !== inner[k])) {
      fail(dataFileMalformed(`${file}: ragged array: ${path}[${i}] has shape [${s.join(', ')}], but ${path}[0] has [${inner.join(', ')}]`, span));
    }
  }
  return [v.length, ...inner];
}

/** Flattens a rectangular nested array in row-major order, rejecting anything that is not a number. */
function flatten(v: unknown, out: Float32Array, at: { i: number }, file: string, path: string, span?: Span): void {
  if (Array.isArray(v)) {
    v.forEach((e, k) => flatten(e, out, at, file, `${path}[${k}]`, span));
    return;
  }
  // JSON has no NaN/Infinity; numpy-style strings for them are accepted so exported data round-trips.
  let x: number | null = typeof v === 'number' ? v : null;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    x = s === 'nan' ? NaN : s === 'inf' || s === 'infinity' ? Infinity : s === '-inf' || s === '-infinity' ? -Infinity : null;
  }
  if (x === null) fail(dataNonNumeric(`${file}: element ${path || '(top level)'}`, typeof v === 'string' ? v : JSON.stringify(v), span));
  out[at.i++] = x;
}

/** Parses JSON text into a tensor. */
export function parseJson(text: string, file: string, span?: Span): HostTensor {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    fail(dataFileMalformed(`${file}: invalid JSON: ${(e as Error).message}`, span));
  }
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (!('data' in o)) fail(dataFileMalformed(`${file}: a JSON object must have 'data' (and optionally 'shape')`, span));
    const dataShape = shapeOf(o.data, file, '.data', span);
    let shape = dataShape;
    if ('shape' in o) {
      const s = o.shape;
      if (!Array.isArray(s) || s.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0)) {
        fail(dataFileMalformed(`${file}: 'shape' must be an array of non-negative integers`, span));
      }
      shape = s as number[];
    }
    const n = sizeOf(dataShape);
    if (sizeOf(shape) !== n) fail(dataFileMalformed(`${file}: 'shape' [${shape.join(', ')}] needs ${sizeOf(shape)} values but 'data' has ${n}`, span));
    const out = new Float32Array(n);
    flatten(o.data, out, { i: 0 }, file, '.data', span);
    return { shape, data: out };
  }
  const shape = shapeOf(v, file, '', span);
  const out = new Float32Array(sizeOf(shape));
  flatten(v, out, { i: 0 }, file, '', span);
  return { shape, data: out };
}
