/** Reads NumPy .npy files (format versions 1-3, little-endian f4/f8/i4/i8 and a few small types, C order). */
import { dataFileMalformed, unsupportedDataFormat } from '../../compiler/diagnostics/constructors/runtime.js';
import type { Span } from '../../compiler/diagnostics/span.js';
import { fail } from '../faults.js';
import { sizeOf, type HostTensor } from './host-tensor.js';

/** Bytes per element and a reader for each dtype we accept (all little-endian or byte-sized). */
const DTYPES = {
  '<f4': { bytes: 4, read: (v: DataView, o: number) => v.getFloat32(o, true) },
  '<f8': { bytes: 8, read: (v: DataView, o: number) => v.getFloat64(o, true) },
  '<i4': { bytes: 4, read: (v: DataView, o: number) => v.getInt32(o, true) },
  '<i8': { bytes: 8, read: (v: DataView, o: number) => Number(v.getBigInt64(o, true)) },
  '<i2': { bytes: 2, read: (v: DataView, o: number) => v.getInt16(o, true) },
  '|u1': { bytes: 1, read: (v: DataView, o: number) => v.getUint8(o) },
  '|i1': { bytes: 1, read: (v: DataView, o: number) => v.getInt8(o) },
  '|b1': { bytes: 1, read: (v: DataView, o: number) => v.getUint8(o) },
} as const;

/** Parses the bytes of a .npy file. */
export function parseNpy(bytes: Uint8Array, file: string, span?: Span): HostTensor {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) fail(dataFileMalformed(`${file}: not a .npy file (bad magic bytes)`, span));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail(dataFileMalformed(`${file}: truncated .npy header`, span));
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    fail(unsupportedDataFormat(file, `.npy format version ${major} is not supported (1, 2 or 3 expected)`, span));
  }
  if (headerStart + headerLen > bytes.length) fail(dataFileMalformed(`${file}: truncated .npy header`, span));
  // Version 3 only differs by allowing utf-8 in the header; latin1 decoding is fine for the keys we read.
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    fail(dataFileMalformed(`${file}: .npy header lacks descr, fortran_order or shape: ${header.trim()}`, span));
  }
  const dtype = (DTYPES as Record<string, (typeof DTYPES)[keyof typeof DTYPES]>)[descr === '<b1' ? '|b1' : descr];
  if (!dtype) fail(unsupportedDataFormat(file, `element type '${descr}' is not supported`, span));
  if (fortran === 'True') fail(unsupportedDataFormat(file, 'fortran_order arrays are not supported; save with np.ascontiguousarray(a)', span));
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => Number(s.replace(/L$/, '')));
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) fail(dataFileMalformed(`${file}: bad shape (${shapeText}) in .npy header`, span));
  const n = sizeOf(shape);
  const dataStart = headerStart + headerLen;
  const need = n * dtype.bytes;
  if (bytes.length - dataStart < need) {
    fail(dataFileMalformed(`${file}: .npy data is truncated: shape (${shape.join(', ')}) needs ${need} bytes, the file has ${bytes.length - dataStart}`, span));
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = dtype.read(view, dataStart + i * dtype.bytes);
  return { shape, data: out };
}

/** Encodes a float32 tensor as a version-1 .npy file ('<f4', C order); used by checkpoints and tests. */
export function encodeNpy(t: HostTensor): Uint8Array {
  const shapeStr = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  // The header (with the 10-byte preamble and a final newline) is padded to a multiple of 64 bytes.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + t.data.length * 4);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  new Uint8Array(out.buffer, total).set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return out;
}
