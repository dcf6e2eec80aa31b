/** Run-time user errors as exceptions inside the runtime, turned back into Diagnostic values at its boundary. */
import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';

/**
 * Thrown by loaders and the run loop when the user's program or data fails at run time. Deep helpers
 * (a csv parser, a kernel) throw it so they need not thread result types; runProgram catches it and
 * reports `diagnostic` as a value.
 */
export class RuntimeFault extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.name = 'RuntimeFault';
  }
}

/** Throws `d` as a RuntimeFault. */
export function fail(d: Diagnostic): never {
  throw new RuntimeFault(d);
}

/** The first non-finite entry of `data`, or null when all are finite. */
export function firstNonFinite(data: ArrayLike<number>): { index: number; value: number } | null {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) return { index: i, value: v };
  }
  return null;
}
