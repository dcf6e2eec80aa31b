import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../runtime/data/csv.js';
import { parseJson } from '../../runtime/data/json.js';
import { encodeNpy, parseNpy } from '../../runtime/data/npy.js';
import { fitShape, loadData } from '../../runtime/data/load.js';
import { RuntimeFault } from '../../runtime/faults.js';
import { memoryHost } from '../../compiler/host.js';

/** Runs `f`, expecting a RuntimeFault; returns its code and message. */
function faultOf(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof RuntimeFault) return { code: e.diagnostic.code, message: e.diagnostic.message };
    throw e;
  }
  throw new Error('expected a RuntimeFault');
}

/** Builds a .npy file by hand (independent of encodeNpy) with the given header dict and raw payload. */
function npyBytes(dict: string, payload: Uint8Array, major = 1): Uint8Array {
  const pre = major === 1 ? 10 : 12;
  let header = dict;
  const total = Math.ceil((pre + header.length + 1) / 64) * 64;
  header = header.padEnd(total - pre - 1, ' ') + '\n';
  const out = new Uint8Array(total + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const dv = new DataView(out.buffer);
  if (major === 1) dv.setUint16(8, header.length, true);
  else dv.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[pre + i] = header.charCodeAt(i);
  out.set(payload, total);
  return out;
}

describe('csv', () => {
  it('reads a matrix with a header row', () => {
    const t = parseCsv('a,b,c\n1,2,3\n4.5,-6,7e-1\n', 'X.csv');
    expect(t.shape).toEqual([2, 3]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4.5, -6, Math.fround(0.7)]);
  });
  it('reads without a header and makes one column a vector', () => {
    const t = parseCsv('1\r\n2\r\n3\r\n', 'y.csv');
    expect(t.shape).toEqual([3]);
    expect(Array.from(t.data)).toEqual([1, 2, 3]);
  });
  it('accepts nan and inf spelled as numpy writes them', () => {
    const t = parseCsv('nan,inf,-inf\n', 'z.csv');
    expect(Number.isNaN(t.data[0])).toBe(true);
    expect(t.data[1]).toBe(Infinity);
    expect(t.data[2]).toBe(-Infinity);
  });
  it('names file, line and column of a non-numeric cell', () => {
    const rows = ['x,y,z', ...Array.from({ length: 12 }, (_, i) => `${i},${i},${i}`), '1,2,abc'];
    const f = faultOf(() => parseCsv(rows.join('\n'), 'X.csv'));
    expect(f.code).toBe('GD4004');
    expect(f.message).toBe("X.csv:14:3: 'abc' is not a number");
  });
  it('reports a short row with its line', () => {
    const f = faultOf(() => parseCsv('1,2,3\n4,5\n', 'X.csv'));
    expect(f.code).toBe('GD4002');
    expect(f.message).toContain('X.csv:2:');
    expect(f.message).toContain('2 values, expected 3');
  });
  it('reports an empty cell and an empty file', () => {
    expect(faultOf(() => parseCsv('1,,3\n', 'E.csv')).message).toBe('E.csv:1:2: empty cell');
    expect(faultOf(() => parseCsv('\n\n', 'E.csv')).code).toBe('GD4002');
  });
  it('treats a mixed first row as data, so a typo is reported', () => {
    const f = faultOf(() => parseCsv('1,2,x\n3,4,5\n', 'M.csv'));
    expect(f.message).toBe("M.csv:1:3: 'x' is not a number");
  });
});

describe('json', () => {
  it('reads nested arrays', () => {
    const t = parseJson('[[1, 2], [3, 4], [5, 6]]', 'a.json');
    expect(t.shape).toEqual([3, 2]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('reads {shape, data} with flat data', () => {
    const t = parseJson('{"shape": [2, 2], "data": [1, 2, 3, 4]}', 'b.json');
    expect(t.shape).toEqual([2, 2]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4]);
  });
  it('reads a scalar', () => {
    expect(parseJson('2.5', 's.json')).toEqual({ shape: [], data: new Float32Array([2.5]) });
  });
  it('rejects ragged arrays, naming where', () => {
    const f = faultOf(() => parseJson('[[1, 2], [3]]', 'r.json'));
    expect(f.code).toBe('GD4002');
    expect(f.message).toContain('[1]');
  });
  it('rejects non-numbers, naming the element', () => {
    const f = faultOf(() => parseJson('[[1, 2], [3, "x"]]', 'n.json'));
    expect(f.code).toBe('GD4004');
    expect(f.message).toBe("n.json: element [1][1]: 'x' is not a number");
  });
  it('rejects invalid JSON and a shape that does not fit the data', () => {
    expect(faultOf(() => parseJson('[1, 2', 'bad.json')).code).toBe('GD4002');
    expect(faultOf(() => parseJson('{"shape": [3], "data": [1, 2]}', 'bad.json')).message).toContain('needs 3 values');
  });
});

describe('npy', () => {
  it('reads <f8 and <i8 (v1) and <i4 (v2) written by hand', () => {
    const f8 = new Float64Array([1.5, -2.25, 3, 4, 5, 6]);
    const a = parseNpy(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", new Uint8Array(f8.buffer)), 'a.npy');
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([1.5, -2.25, 3, 4, 5, 6]);
    const i8 = new BigInt64Array([7n, -8n]);
    const b = parseNpy(npyBytes("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(i8.buffer)), 'b.npy');
    expect(Array.from(b.data)).toEqual([7, -8]);
    const i4 = new Int32Array([1, 2, 3]);
    const c = parseNpy(npyBytes("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", new Uint8Array(i4.buffer), 2), 'c.npy');
    expect(Array.from(c.data)).toEqual([1, 2, 3]);
  });
  it('round-trips encodeNpy (<f4) including a scalar', () => {
    const t = { shape: [2, 2], data: new Float32Array([0.1, 0.2, 0.3, 0.4]) };
    expect(parseNpy(encodeNpy(t), 'x.npy')).toEqual(t);
    const s = { shape: [], data: new Float32Array([3]) };
    expect(parseNpy(encodeNpy(s), 's.npy')).toEqual(s);
  });
  it('rejects fortran order, big-endian and unknown types with GD4005', () => {
    const p = new Uint8Array(8);
    const fo = faultOf(() => parseNpy(npyBytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", p), 'f.npy'));
    expect(fo.code).toBe('GD4005');
    expect(fo.message).toContain('fortran_order');
    expect(faultOf(() => parseNpy(npyBytes("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", p), 'g.npy')).message).toContain("'>f4'");
    expect(faultOf(() => parseNpy(npyBytes("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", p), 'h.npy')).code).toBe('GD4005');
  });
  it('rejects bad magic and truncated data with GD4002', () => {
    expect(faultOf(() => parseNpy(new TextEncoder().encode('hello world!'), 'm.npy')).code).toBe('GD4002');
    const short = faultOf(() => parseNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new Uint8Array(8)), 't.npy'));
    expect(short.code).toBe('GD4002');
    expect(short.message).toContain('truncated');
  });
});

describe('load', () => {
  const host = memoryHost({ 'd/y.csv': '1\n2\n3\n', 'd/row.json': '[[1, 2, 3]]', 'd/X.txt': '1' });
  it('reads through the host and squeezes unit axes to the declared shape', () => {
    expect(loadData(host, 'd/y.csv', 'csv', [3], 'y').shape).toEqual([3]);
    expect(loadData(host, 'd/row.json', null, [3, 1], 'r').shape).toEqual([3, 1]);
  });
  it('reports a missing file, an unknown extension and a shape mismatch', () => {
    expect(faultOf(() => loadData(host, 'd/nope.csv', null, [3], 'y')).code).toBe('GD4001');
    expect(faultOf(() => loadData(host, 'd/X.txt', null, [1], 'X')).code).toBe('GD4005');
    const m = faultOf(() => fitShape({ shape: [3, 2], data: new Float32Array(6) }, [2, 3], 'W', 'W.csv'));
    expect(m.code).toBe('GD4003');
    expect(m.message).toBe("data 'W' is declared [2, 3] but W.csv has shape [3, 2]");
  });
});
