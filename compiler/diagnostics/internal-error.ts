/** Compiler bugs: never a user's fault, always a separate error type from diagnostics. */

/** Thrown when the compiler reaches a state its own invariants rule out. */
export class InternalError extends Error {
  constructor(message: string) {
    super(`internal compiler error: ${message}`);
    this.name = 'InternalError';
  }
}

/** Asserts an invariant of the compiler (not of user input). */
export function invariant(cond: unknown, message: string): asserts cond {
  if (!cond) throw new InternalError(message);
}

/** Exhaustiveness helper for discriminated unions. */
export function unreachable(x: never, what = 'value'): never {
  throw new InternalError(`unexpected ${what}: ${JSON.stringify(x)}`);
}
