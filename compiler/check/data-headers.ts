/**
 * Shapes of data files, read through the CompilerHost at check time: the .npy header only, the csv
 * row/column counts (with an optional non-numeric header row), the json nesting. The rules match the
 * runtime loaders (runtime/data/*), so a program that checks also loads.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/span.js';
import { dataFileMalformed, dataFileNotFound, dataNonNumeric, unsupportedDataFormat } from '../diagnostics/constructors/runtime.js';
import type { CompilerHost } from '../host.js';
import type { Shape } from './checked.js';

export type DataFormat = 'csv' | 'json' | 'npy';

/** The format a path's extension names, or null. */
export function dataFormatOf(path: string): DataFormat | null {
  const m = /\.(csv|json|npy)$/i.exec(path);
  return m ? (m[1]!.toLowerCase() as DataFormat) : null;
}

export type HeaderResult =
  /** `describe` names the file and what was counted, for shape-mismatch messages ("X.csv (200 rows × 10 columns)"). */
  | { readonly ok: true; readonly shape: Shape; readonly describe: string }
  | { readonly ok: false; readonly diag: Diagnostic };

const bad = (diag: Diagnostic): HeaderResult => ({ ok: false, diag });

/** Reads the shape of the data file at `path` (already resolved); `span` is the load string, for diagnostics. */
export function readDataShape(host: CompilerHost, path: string, span: Span): HeaderResult {
  const format = dataFormatOf(path);
  if (!format) return bad(unsupportedDataFormat(path, 'unknown file extension (expected .csv, .json or .npy)', span));
  if (host.size(path) === undefined) return bad(dataFileNotFound(path, span));
  switch (format) {
    case 'npy':
      return npyShape(host, path, span);
    case 'csv':
      return csvShape(host.readText(path) ?? '', path, span);
    case 'json':
      return jsonShape(host.readText(path) ?? '', path, span);
  }
}

const NPY_TYPES = new Set(['<f4', '<f8', '<i4', '<i8', '<i2', '|u1', '|i1', '|b1', '<b1']);

/** Reads only the preamble and header dict of a .npy file (never the data), and checks the size is consistent. */
function npyShape(host: CompilerHost, path: string, span: Span): HeaderResult {
  const pre = host.readBytes(path, 12);
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (!pre || pre.length < 10 || magic.some((b, i) => pre[i] !== b)) return bad(dataFileMalformed(`${path}: not a .npy file (bad magic bytes)`, span));
  const major = pre[6]!;
  if (major !== 1 && major !== 2 && major !== 3) return bad(unsupportedDataFormat(path, `.npy format version ${major} is not supported (1, 2 or 3 expected)`, span));
  const long = major !== 1;
  if (long && pre.length < 12) return bad(dataFileMalformed(`${path}: truncated .npy header`, span));
  const view = new DataView(pre.buffer, pre.byteOffset, pre.byteLength);
  const headerLen = long ? view.getUint32(8, true) : view.getUint16(8, true);
  const start = long ? 12 : 10;
  const bytes = host.readBytes(path, start + headerLen);
  if (!bytes || bytes.length < start + headerLen) return bad(dataFileMalformed(`${path}: truncated .npy header`, span));
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    return bad(dataFileMalformed(`${path}: .npy header lacks descr, fortran_order or shape: ${header.trim()}`, span));
  }
  if (!NPY_TYPES.has(descr)) return bad(unsupportedDataFormat(path, `element type '${descr}' is not supported`, span));
  if (fortran === 'True') return bad(unsupportedDataFormat(path, 'fortran_order arrays are not supported; save with np.ascontiguousarray(a)', span));
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => Number(s.replace(/L$/, '')));
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) return bad(dataFileMalformed(`${path}: bad shape (${shapeText}) in .npy header`, span));
  const itemBytes = descr.endsWith('8') ? 8 : descr.endsWith('4') ? 4 : descr.endsWith('2') ? 2 : 1;
  const need = shape.reduce((a, b) => a * b, 1) * itemBytes;
  const size = host.size(path) ?? 0;
  if (size - start - headerLen < need) {
    return bad(dataFileMalformed(`${path}: .npy data is truncated: shape (${shape.join(', ')}) needs ${need} bytes, the file has ${size - start - headerLen}`, span));
  }
  return { ok: true, shape, describe: `${path} (.npy shape (${shape.join(', ')}))` };
}

function isNumberCell(cell: string): boolean {
  const s = cell.trim().toLowerCase();
  if (s === '') return false;
  if (s === 'nan' || s === 'inf' || s === '+inf' || s === '-inf' || s === 'infinity' || s === '-infinity') return true;
  return !Number.isNaN(Number(s));
}

/** Counts csv rows and columns; every cell must be a number, except a first row with no number in it (a header). */
function csvShape(text: string, path: string, span: Span): HeaderResult {
  let rows = 0;
  let cols = -1;
  let firstLine = 0;
  let lineNo = 0;
  let headerDone = false;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    const line = text.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    if (line.trim() === '') {
      if (end === text.length) break;
      continue;
    }
    const cells = line.split(',');
    if (!headerDone) {
      headerDone = true;
      if (cells.every((c) => !isNumberCell(c))) continue;
    }
    if (cols < 0) {
      cols = cells.length;
      firstLine = lineNo;
    } else if (cells.length !== cols) {
      return bad(dataFileMalformed(`${path}:${lineNo}: row has ${cells.length} values, expected ${cols} (as in line ${firstLine})`, span));
    }
    for (let j = 0; j < cells.length; j++) {
      if (!isNumberCell(cells[j]!)) {
        if (cells[j]!.trim() === '') return bad(dataFileMalformed(`${path}:${lineNo}:${j + 1}: empty cell`, span));
        return bad(dataNonNumeric(`${path}:${lineNo}:${j + 1}`, cells[j]!.trim(), span));
      }
    }
    rows++;
    if (end === text.length) break;
  }
  if (rows === 0) return bad(dataFileMalformed(`${path}: the file has no data rows`, span));
  const shape = cols === 1 ? [rows] : [rows, cols];
  return { ok: true, shape, describe: `${path} (${rows} row${rows === 1 ? '' : 's'} × ${cols} column${cols === 1 ? '' : 's'})` };
}

/** The shape of a rectangular nested array of numbers, or a message saying where it is not one. */
function nestedShape(v: unknown, path: string, where: string): Shape | Diagnostic {
  if (!Array.isArray(v)) {
    // JSON has no NaN/Infinity; like the runtime loader, accept numpy's spellings of them as strings.
    const ok = typeof v === 'number' || (typeof v === 'string' && /^\s*[-+]?(nan|inf|infinity)\s*$/i.test(v));
    return ok ? [] : dataNonNumeric(`${path}: element ${where || '(top level)'}`, typeof v === 'string' ? v : JSON.stringify(v) ?? String(v));
  }
  if (v.length === 0) return [0];
  const inner = nestedShape(v[0], path, `${where}[0]`);
  if (!Array.isArray(inner)) return inner;
  for (let i = 1; i < v.length; i++) {
    const s = nestedShape(v[i], path, `${where}[${i}]`);
    if (!Array.isArray(s)) return s;
    if (s.length !== inner.length || s.some((d, k) => d !== inner[k])) {
      return dataFileMalformed(`${path}: ragged array: ${where}[${i}] has shape [${s.join(', ')}], but ${where}[0] has [${inner.join(', ')}]`);
    }
  }
  return [v.length, ...inner];
}

/** JSON: nested arrays, or { "shape": [...], "data": [...] } with flat or nested data. */
function jsonShape(text: string, path: string, span: Span): HeaderResult {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return bad(dataFileMalformed(`${path}: invalid JSON: ${(e as Error).message}`, span));
  }
  const withSpan = (d: Diagnostic): HeaderResult => bad({ ...d, span });
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (!('data' in o)) return bad(dataFileMalformed(`${path}: a JSON object must have 'data' (and optionally 'shape')`, span));
    const ds = nestedShape(o.data, path, '.data');
    if (!Array.isArray(ds)) return withSpan(ds as Diagnostic);
    let shape: Shape = ds;
    if ('shape' in o) {
      const s = o.shape;
      if (!Array.isArray(s) || s.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0)) {
        return bad(dataFileMalformed(`${path}: 'shape' must be an array of non-negative integers`, span));
      }
      shape = s as number[];
      const n = (x: Shape) => x.reduce((a, b) => a * b, 1);
      if (n(shape) !== n(ds)) return bad(dataFileMalformed(`${path}: 'shape' [${shape.join(', ')}] needs ${n(shape)} values but 'data' has ${n(ds)}`, span));
    }
    return { ok: true, shape, describe: path };
  }
  const s = nestedShape(v, path, '');
  if (!Array.isArray(s)) return withSpan(s as Diagnostic);
  return { ok: true, shape: s, describe: path };
}
