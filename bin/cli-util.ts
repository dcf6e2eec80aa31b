/** Small pieces every command shares: reading the program, --set parsing, printing diagnostics, exit codes. */
import { nodeFiles } from '../runtime/node-files.js';
import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { renderDiagnostics, diagnosticToJson, type SourceLookup } from '../compiler/diagnostics/render.js';
import { fileNotFound, invalidSetOverride } from '../compiler/diagnostics/constructors/cli.js';

/** Exit codes shared by all commands. */
export const EXIT = { ok: 0, diagnostics: 1, usage: 2, interrupted: 130 } as const;

/** The exit code for a list of diagnostics: 2 when an error is a usage error (GD9xxx: a bad flag or --set), 1 for other errors, else 0. */
export function exitFor(diagnostics: readonly Diagnostic[]): number {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!errors.length) return EXIT.ok;
  return errors.some((d) => d.code.startsWith('GD9')) ? EXIT.usage : EXIT.diagnostics;
}

/** Reads a .gd file, or returns the GD9001 diagnostic. */
export function readProgram(path: string): { text: string } | { error: Diagnostic } {
  const text = nodeFiles.readText(path);
  return text === undefined ? { error: fileNotFound(path) } : { text };
}

/** Parses repeated `--set name=value` flags into overrides. */
export function parseSets(sets: readonly string[] | undefined): { overrides: Record<string, number> } | { error: Diagnostic } {
  const overrides: Record<string, number> = {};
  for (const s of sets ?? []) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+?)\s*$/.exec(s);
    const v = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(v)) return { error: invalidSetOverride(s) };
    overrides[m[1]!] = v;
  }
  return { overrides };
}

/** Looks up source texts first in what the compiler read, then on disk. */
export function sourceLookup(sources: ReadonlyMap<string, string>): SourceLookup {
  return (file) => sources.get(file) ?? nodeFiles.readText(file);
}

/** Prints diagnostics for people (stderr) — colour only on a TTY. */
export function printDiagnostics(diags: readonly Diagnostic[], sources: ReadonlyMap<string, string>): void {
  if (diags.length === 0) return;
  process.stderr.write(renderDiagnostics(diags, sourceLookup(sources), { color: Boolean(process.stderr.isTTY) }) + '\n');
}

/** The JSON objects of `--json` output. */
export function diagnosticsJson(diags: readonly Diagnostic[], sources: ReadonlyMap<string, string>) {
  const src = sourceLookup(sources);
  return diags.map((d) => diagnosticToJson(d, src));
}

/**
 * The usual opening of a single-file command: parse --set, read the file, print a usage diagnostic
 * and set exit code 2 on failure (returns null then).
 */
export function readWithOverrides(file: string, sets: readonly string[] | undefined): { text: string; overrides: Record<string, number> } | null {
  const s = parseSets(sets);
  const r = 'error' in s ? s : readProgram(file);
  if ('error' in r) {
    printDiagnostics([r.error], new Map());
    process.exitCode = EXIT.usage;
    return null;
  }
  return { text: r.text, overrides: (s as { overrides: Record<string, number> }).overrides };
}
