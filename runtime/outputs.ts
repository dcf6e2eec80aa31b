/** The run folder: metrics.csv (written row by row), record files, params.json, run.json and save files. */
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { outputNotWritable } from '../compiler/diagnostics/constructors/cli.js';
import { fail } from './faults.js';
import type { HostTensor } from './data/host-tensor.js';

/** A logged value: a number for scalars, a (nested) array for tensors. */
export type LogValue = number | LogValue[];

/** One log row: the global step (steps completed) and each item's value keyed by its display name. */
export interface LogRow {
  readonly step: number;
  readonly values: Readonly<Record<string, LogValue>>;
}

/** `runs/<program>-<YYYYMMDD-HHMMSS>` relative to `base` (the current folder by default). */
export function defaultRunDir(programFile: string, now: Date = new Date(), base = '.'): string {
  const stem = basename(programFile).replace(/\.gd$/, '');
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return join(base, 'runs', `${stem}-${stamp}`);
}

/** The shortest decimal that reads back as the same float32 (so 0.1f prints as 0.1, not 0.10000000149011612). */
export function formatFloat32(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const f = Math.fround(x);
  for (let p = 1; p <= 9; p++) {
    const s = Number(f.toPrecision(p));
    if (Math.fround(s) === f) return String(s);
  }
  return String(f);
}

/** Nested arrays of a tensor's values (a number for a scalar), rounded to their float32 short form. */
export function toNested(t: HostTensor): LogValue {
  const short = (v: number) => (Number.isFinite(v) ? Number(formatFloat32(v)) : v);
  if (t.shape.length === 0) return short(t.data[0]!);
  const build = (axis: number, offset: number): LogValue[] => {
    const n = t.shape[axis]!;
    const stride = t.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const out: LogValue[] = [];
    for (let i = 0; i < n; i++) out.push(axis === t.shape.length - 1 ? short(t.data[offset + i]!) : build(axis + 1, offset + i * stride));
    return out;
  };
  return build(0, 0);
}

/** A CSV cell: numbers in short float32 form, tensors as a quoted JSON array. */
function csvCell(v: LogValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return formatFloat32(v);
  return `"${JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? formatFloat32(x) : x)).replace(/"/g, '""')}"`;
}

/** Appends rows to a CSV file one line at a time, so a crash loses nothing already written. */
export class CsvWriter {
  constructor(
    readonly path: string,
    readonly columns: readonly string[],
  ) {}

  /** Creates (or truncates) the file with its header and the given rows. */
  start(rows: readonly LogRow[] = []): void {
    const header = ['step', ...this.columns].map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
    writeFileSync(this.path, `${header}\n${rows.map((r) => this.line(r)).join('')}`);
  }

  private line(r: LogRow): string {
    return `${[String(r.step), ...this.columns.map((c) => csvCell(r.values[c]))].join(',')}\n`;
  }

  append(r: LogRow): void {
    appendFileSync(this.path, this.line(r));
  }
}

/** JSON form of tensors: { name: { shape, data } } with flat row-major data. */
export function tensorsJson(ts: ReadonlyMap<string, HostTensor> | Readonly<Record<string, HostTensor>>): Record<string, { shape: number[]; data: number[] }> {
  const entries = ts instanceof Map ? [...ts.entries()] : Object.entries(ts);
  // No prototype: a param named `__proto__` is then an own key (on a plain object the assignment would
  // set the prototype and JSON.stringify would drop it).
  const out: Record<string, { shape: number[]; data: number[] }> = Object.create(null);
  for (const [k, t] of entries) {
    // JSON cannot hold NaN/Infinity; they are written as null (the run stops with GD4006 before that matters).
    out[k] = { shape: [...t.shape], data: Array.from(t.data, (v: number) => (Number.isFinite(v) ? Number(formatFloat32(v)) : (null as unknown as number))) };
  }
  return out;
}

/** The versions recorded in run.json. */
export function versions(): { gdlang: string; tfjs: string } {
  const req = createRequire(import.meta.url);
  let gdlang = 'unknown';
  // Source runs from runtime/, the build from dist/runtime/: the package.json is one or two levels up.
  for (const p of ['../package.json', '../../package.json']) {
    try {
      const pkg = req(p) as { name?: string; version?: string };
      if (pkg.name === 'gdlang') {
        gdlang = pkg.version ?? gdlang;
        break;
      }
    } catch {
      // try the next candidate
    }
  }
  return { gdlang, tfjs: tf.version_core };
}

/** A run's output folder. Every path the program names (record/save) resolves inside it. */
export class RunFolder {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
    try {
      mkdirSync(this.dir, { recursive: true });
    } catch (e) {
      fail(outputNotWritable(dir, (e as Error).message));
    }
  }

  /** `rel` inside the folder; a path that would escape it (absolute or ../) is refused. */
  path(rel: string): string {
    const p = resolve(this.dir, rel);
    const r = relative(this.dir, p);
    if (isAbsolute(rel) || r.startsWith('..')) fail(outputNotWritable(rel, 'output paths must stay inside the run folder'));
    mkdirSync(dirname(p), { recursive: true });
    return p;
  }

  /** Writes JSON atomically (temp file + rename), so readers never see half a file. */
  writeJson(rel: string, value: unknown): string {
    const p = this.path(rel);
    try {
      writeFileSync(`${p}.tmp`, `${JSON.stringify(value, null, 1)}\n`);
      renameSync(`${p}.tmp`, p);
    } catch (e) {
      fail(outputNotWritable(p, (e as Error).message));
    }
    return p;
  }
}
