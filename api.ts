/**
 * The programmatic API of the `gdlang` package: `import { check, compile, run } from 'gdlang'`.
 * User errors come back as Diagnostic values (with their rendered text), never as exceptions; only
 * compiler bugs (InternalError) throw. Files are read from the local file system unless a host is given.
 */
import type { Diagnostic } from './compiler/diagnostics/diagnostic.js';
import { hasErrors } from './compiler/diagnostics/diagnostic.js';
import { fileNotFound } from './compiler/diagnostics/constructors/cli.js';
import { renderDiagnostics } from './compiler/diagnostics/render.js';
import type { CompilerHost } from './compiler/host.js';
import { compileSolve, dump, emitTs, front, type DumpKind, type FrontResult } from './compiler/pipeline.js';
import type { BackendName } from './runtime/backend.js';
import type { LogValue } from './runtime/outputs.js';
import { nodeFiles } from './runtime/node-files.js';
import { runProgram } from './runtime/run.js';
// Programs may `use std.*`: the standard-library modules register on import.
import './runtime/std/index.js';

export type { Diagnostic, DumpKind, BackendName, CompilerHost };

export interface SourceOptions {
  /** The program's text; read from `file` when omitted. */
  readonly text?: string;
  /** Overrides for dims and consts (`gd ... --set name=value`). */
  readonly overrides?: Readonly<Record<string, number>>;
  /** Where .gd imports and data files are read from (default: the local file system). */
  readonly host?: CompilerHost;
}

export interface CheckResult {
  /** True when there is no error (warnings may remain). */
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  /** The diagnostics rendered with source excerpts, as `gd check` prints them ('' when none). */
  readonly rendered: string;
}

export interface CompileOptions extends SourceOptions {
  /** What to produce: a standalone TypeScript module (default), or one phase's dump. */
  readonly emit?: 'ts';
  readonly dump?: DumpKind;
}

export interface CompileResult extends CheckResult {
  /** The emitted module or the dump; null when the program has errors. */
  readonly output: string | null;
}

export interface RunOptions extends SourceOptions {
  /** tfjs backend (default wasm). */
  readonly backend?: BackendName;
  /** Seed of all randomness (default 0). */
  readonly seed?: number;
  /** Overrides every solve's step count. */
  readonly steps?: number;
  /** Run folder to write metrics, params and checkpoints to; null (default) writes nothing. */
  readonly outDir?: string | null;
  /** false: every op runs as its tfjs kernel, no generated fused kernels (as `gd run --no-fuse`). */
  readonly fused?: boolean;
}

export interface RunResult extends CheckResult {
  readonly status: 'ok' | 'error' | 'interrupted';
  /** The last solve's objective at the final state. */
  readonly objective: { readonly name: string; readonly value: number } | null;
  readonly params: Readonly<Record<string, { readonly shape: readonly number[]; readonly data: Float32Array }>>;
  readonly log: readonly { readonly step: number; readonly values: Readonly<Record<string, LogValue>> }[];
  readonly steps: number;
  readonly runDir: string | null;
}

function frontOf(file: string, opts: SourceOptions): { fr: FrontResult } | { error: Diagnostic } {
  const host = opts.host ?? nodeFiles;
  const text = opts.text ?? host.readText(file);
  if (text === undefined) return { error: fileNotFound(file) };
  return { fr: front(file, text, host, { overrides: { ...opts.overrides } }) };
}

function result(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, host: CompilerHost): CheckResult {
  const rendered = diagnostics.length === 0 ? '' : renderDiagnostics(diagnostics, (f) => sources.get(f) ?? host.readText(f), { color: false });
  return { ok: !hasErrors(diagnostics), diagnostics, rendered };
}

/** Parses and checks a program (`gd check`). */
export function check(file: string, opts: SourceOptions = {}): CheckResult {
  const f = frontOf(file, opts);
  if ('error' in f) return result([f.error], new Map(), opts.host ?? nodeFiles);
  return result(f.fr.diagnostics, f.fr.sources, opts.host ?? nodeFiles);
}

/** Compiles a program to a standalone TypeScript module (`gd compile --emit ts`) or prints a phase (`--dump`). */
export async function compile(file: string, opts: CompileOptions = {}): Promise<CompileResult> {
  const f = frontOf(file, opts);
  const host = opts.host ?? nodeFiles;
  if ('error' in f) return { ...result([f.error], new Map(), host), output: null };
  const base = result(f.fr.diagnostics, f.fr.sources, host);
  if (opts.dump !== undefined) return { ...base, output: opts.dump === 'ast' || f.fr.checked ? dump(f.fr, opts.dump) : null };
  return { ...base, output: f.fr.checked ? await emitTs(f.fr) : null };
}

/** Checks, compiles and runs a program on tfjs (`gd run`); run-time errors are diagnostics in the result. */
export async function run(file: string, opts: RunOptions = {}): Promise<RunResult> {
  const host = opts.host ?? nodeFiles;
  const f = frontOf(file, opts);
  const failed = (c: CheckResult): RunResult => ({ ...c, ok: false, status: 'error', objective: null, params: {}, log: [], steps: 0, runDir: null });
  if ('error' in f) return failed(result([f.error], new Map(), host));
  const checked = f.fr.checked;
  if (!checked) return failed(result(f.fr.diagnostics, f.fr.sources, host));
  const res = await runProgram(checked, {
    backend: opts.backend ?? 'wasm',
    seed: opts.seed ?? 0,
    ...(opts.steps !== undefined ? { steps: opts.steps } : {}),
    outDir: opts.outDir ?? null,
    ...(opts.fused === false ? { fused: false } : {}),
    compileStep: (item) => compileSolve(checked, item, 'O1', { probe: true }),
    host,
    programName: file,
  });
  const diags = [...f.fr.diagnostics, ...res.diagnostics];
  return { ...result(diags, f.fr.sources, host), ok: res.status === 'ok', status: res.status, objective: res.objective, params: res.params, log: res.log, steps: res.steps, runDir: res.runDir };
}
