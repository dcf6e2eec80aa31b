/** Loads a `load(...)` data source through the host and reconciles its shape with the declared one. */
import type { CompilerHost } from '../../compiler/host.js';
import { dataFileNotFound, dataShapeMismatch, unsupportedDataFormat } from '../../compiler/diagnostics/constructors/runtime.js';
import type { Span } from '../../compiler/diagnostics/span.js';
import { fail } from '../faults.js';
import { parseCsv } from './csv.js';
import type { HostTensor } from './host-tensor.js';
import { parseJson } from './json.js';
import { parseNpy } from './npy.js';

export type DataFormat = 'csv' | 'json' | 'npy';

/** The format a path's extension names, or null. */
export function formatOf(path: string): DataFormat | null {
  const m = /\.(csv|json|npy)$/i.exec(path);
  return m ? (m[1]!.toLowerCase() as DataFormat) : null;
}

/** Parses file contents of a known format. */
export function parseData(bytes: Uint8Array, format: DataFormat, file: string, span?: Span): HostTensor {
  switch (format) {
    case 'npy':
      return parseNpy(bytes, file, span);
    case 'csv':
      return parseCsv(new TextDecoder().decode(bytes), file, span);
    case 'json':
      return parseJson(new TextDecoder().decode(bytes), file, span);
  }
}

/**
 * Makes `t` fit `declared`: equal shapes pass; shapes that differ only by axes of length 1 (a one-column
 * csv for a [n] vector, a [1, n] json row) are reshaped; anything else is GD4003. Reshaping any two
 * shapes of equal size would hide transposed files, so it is not done.
 */
export function fitShape(t: HostTensor, declared: readonly number[], name: string, file: string, span?: Span): HostTensor {
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
  if (same(t.shape, declared)) return t;
  const squeeze = (s: readonly number[]) => s.filter((d) => d !== 1);
  if (same(squeeze(t.shape), squeeze(declared))) return { shape: [...declared], data: t.data };
  fail(dataShapeMismatch(name, declared, t.shape, file, span));
}

/** Reads, parses and shape-checks one data file. `path` is already resolved against the .gd file's folder. */
export function loadData(host: CompilerHost, path: string, format: DataFormat | null, declared: readonly number[], name: string, span?: Span): HostTensor {
  const fmt = format ?? formatOf(path);
  if (!fmt) fail(unsupportedDataFormat(path, 'unknown file extension (expected .csv, .json or .npy)', span));
  const bytes = host.readBytes(path);
  if (bytes === undefined) fail(dataFileNotFound(path, span));
  return fitShape(parseData(bytes, fmt, path, span), declared, name, path, span);
}
