/** Reads numeric CSV text (comma-separated, optional header row) into a float32 matrix. */
import { dataFileMalformed, dataNonNumeric } from '../../compiler/diagnostics/constructors/runtime.js';
import type { Span } from '../../compiler/diagnostics/span.js';
import { fail } from '../faults.js';
import type { HostTensor } from './host-tensor.js';

/** Parses one cell; accepts what Number() accepts plus nan/inf spelled as numpy writes them. */
export function parseNumber(cell: string): number | null {
  const s = cell.trim();
  if (s === '') return null;
  const lower = s.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  // Number() also accepts '0x1f' and '' — hex is harmless, the empty cell was handled above.
  const v = Number(s);
  return Number.isNaN(v) ? null : v;
}

/**
 * Parses CSV text. The first row is a header when none of its cells is a number (a mixed first row is
 * data, so a typo in it is reported rather than silently skipped). One column gives shape [rows],
 * otherwise [rows, cols]. Errors name the file, the 1-based line and the 1-based column.
 */
export function parseCsv(text: string, file: string, span?: Span): HostTensor {
  const lines = text.split(/\r?\n/);
  // Trailing blank lines are common (editors add them); blank lines in the middle are not data either.
  const rows: { line: number; cells: string[] }[] = [];
  lines.forEach((l, i) => {
    if (l.trim() !== '') rows.push({ line: i + 1, cells: l.split(',') });
  });
  if (rows.length === 0) fail(dataFileMalformed(`${file}: the file has no rows`, span));
  if (rows[0]!.cells.every((c) => parseNumber(c) === null)) rows.shift();
  if (rows.length === 0) fail(dataFileMalformed(`${file}: the file has a header but no data rows`, span));
  const cols = rows[0]!.cells.length;
  const first = rows[0]!.line;
  const data = new Float32Array(rows.length * cols);
  rows.forEach((r, i) => {
    if (r.cells.length !== cols) {
      fail(dataFileMalformed(`${file}:${r.line}: row has ${r.cells.length} values, expected ${cols} (as in line ${first})`, span));
    }
    r.cells.forEach((c, j) => {
      const v = parseNumber(c);
      if (v === null) {
        if (c.trim() === '') fail(dataFileMalformed(`${file}:${r.line}:${j + 1}: empty cell`, span));
        fail(dataNonNumeric(`${file}:${r.line}:${j + 1}`, c.trim(), span));
      }
      data[i * cols + j] = v;
    });
  });
  return { shape: cols === 1 ? [rows.length] : [rows.length, cols], data };
}
