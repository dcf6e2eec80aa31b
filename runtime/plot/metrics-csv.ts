/** Reads a run's metrics.csv back: the step column and every column whose cells are numbers (the logged scalars). */

/** One logged scalar over steps; non-finite values (nan, inf) are left out, a plot cannot place them. */
export interface Series {
  readonly name: string;
  readonly points: readonly { readonly step: number; readonly value: number }[];
}

/** Splits CSV text into rows of cells (RFC 4180 quoting: `"a, b"`, `""` for a quote). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$|^-?inf$|^nan$/;

/**
 * The scalar series of a metrics.csv: a column is scalar when every non-empty cell is a number (tensor
 * values are quoted JSON arrays and are not plotted). Columns keep their order in the file.
 */
export function scalarSeries(csv: string): Series[] {
  const [header, ...rows] = parseCsv(csv);
  if (!header || header[0] !== 'step') return [];
  const out: Series[] = [];
  for (let c = 1; c < header.length; c++) {
    const cells = rows.map((r) => r[c] ?? '');
    if (!cells.every((s) => s === '' || NUMBER.test(s))) continue;
    const points: { step: number; value: number }[] = [];
    rows.forEach((r, i) => {
      const v = Number(cells[i]);
      if (cells[i] !== '' && Number.isFinite(v)) points.push({ step: Number(r[0]), value: v });
    });
    out.push({ name: header[c]!, points });
  }
  return out;
}
