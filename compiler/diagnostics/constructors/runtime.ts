/** Constructors for the GD4xxx diagnostics: data loading and run-time faults (one named constructor per code). */
import type { Diagnostic } from '../diagnostic.js';
import { makeDiagnostic, showShape } from '../make.js';
import type { Span } from '../span.js';

/** GD4001: a `load(...)` path names no readable file. */
export function dataFileNotFound(path: string, span?: Span): Diagnostic {
  return makeDiagnostic('GD4001', span, `data file '${path}' not found`, {
    help: 'paths in load(...) are relative to the folder of the .gd file',
  });
}

/** GD4002: the file exists but is not valid csv/json/npy; `detail` starts with `file[:row[:col]]: `. */
export function dataFileMalformed(detail: string, span?: Span): Diagnostic {
  return makeDiagnostic('GD4002', span, detail);
}

/** GD4003: the loaded (or computed) tensor's shape differs from the declared one. */
export function dataShapeMismatch(name: string, declared: readonly number[], actual: readonly number[], source: string, span?: Span): Diagnostic {
  return makeDiagnostic('GD4003', span, `data '${name}' is declared ${showShape(declared)} but ${source} has shape ${showShape(actual)}`);
}

/** GD4004: a cell or element is not a number: "X.csv:14:3: 'abc' is not a number". */
export function dataNonNumeric(where: string, value: string, span?: Span): Diagnostic {
  return makeDiagnostic('GD4004', span, `${where}: '${value}' is not a number`);
}

/** GD4005: a file format or element type the loaders do not read. */
export function unsupportedDataFormat(path: string, what: string, span?: Span): Diagnostic {
  return makeDiagnostic('GD4005', span, `${path}: ${what}`, {
    help: "supported: .csv (numeric cells), .json (nested arrays or {shape, data}), .npy ('<f4', '<f8', '<i4', '<i8', C order)",
  });
}

/** GD4006: a NaN or Inf appeared in the objective or an updated param; `what` is e.g. "param 'w'". */
export function nonFiniteValue(step: number, what: string, value: number, checkpoint: string | null, span?: Span): Diagnostic {
  return makeDiagnostic('GD4006', span, `${what} became ${String(value)} at step ${step}`, {
    notes: checkpoint ? [{ message: `the last finite state was saved to ${checkpoint}` }] : [],
    help: 'lower the learning rate, add `clip:`, or check the objective for log/sqrt/division of values that reach 0',
  });
}

/** GD4007: the run was interrupted (SIGINT) after `step` steps. */
export function interrupted(step: number, checkpoint: string | null): Diagnostic {
  return makeDiagnostic('GD4007', undefined, `interrupted at step ${step}`, {
    ...(checkpoint ? { help: `resume with --resume ${checkpoint}` } : {}),
  });
}

/** GD4008: `--resume DIR` names no usable checkpoint, or one from a different program. */
export function checkpointInvalid(dir: string, why: string): Diagnostic {
  return makeDiagnostic('GD4008', undefined, `cannot resume from '${dir}': ${why}`);
}

/** GD4009: the requested tfjs backend cannot be loaded; `why` and `install` are one short clause each. */
export function backendUnavailable(name: string, why: string, install: string): Diagnostic {
  return makeDiagnostic('GD4009', undefined, `backend '${name}' is unavailable: ${why}`, { help: install });
}

/** GD4010: data supplied by an embedding caller does not match the declared data. */
export function suppliedDataMismatch(name: string, why: string, span?: Span): Diagnostic {
  return makeDiagnostic('GD4010', span, `supplied data '${name}': ${why}`);
}

/** GD4011: the program uses something the runtime cannot execute yet. */
export function runtimeUnsupported(what: string, span?: Span): Diagnostic {
  return makeDiagnostic('GD4011', span, `the runtime does not support ${what} yet`);
}
