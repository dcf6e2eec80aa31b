/** Constructors for GD9xxx: command-line usage and file IO problems (no source span: they concern the invocation). */
import type { Diagnostic } from '../diagnostic.js';
import { makeDiagnostic } from '../make.js';

export function fileNotFound(path: string): Diagnostic {
  return makeDiagnostic('GD9001', undefined, `cannot read '${path}': no such file`, {
    help: 'check the path; relative paths are resolved against the current folder',
  });
}

export function unknownOption(option: string, known: readonly string[]): Diagnostic {
  return makeDiagnostic('GD9002', undefined, `unknown option '${option}'`, { help: `known options: ${known.join(', ')}` });
}

export function invalidSetOverride(text: string): Diagnostic {
  return makeDiagnostic('GD9003', undefined, `--set expects name=number, got '${text}'`, {
    help: 'for example: --set n=1024 --set lam=1e-3',
  });
}

export function unknownOverride(name: string, known: readonly string[]): Diagnostic {
  return makeDiagnostic('GD9004', undefined, `--set ${name}: the program declares no dim or const named '${name}'`, {
    help: known.length ? `dims and consts you can set: ${known.join(', ')}` : 'this program declares no dims or consts',
  });
}

export function outputNotWritable(path: string, reason: string): Diagnostic {
  return makeDiagnostic('GD9005', undefined, `cannot write '${path}': ${reason}`);
}

export function usage(message: string, help?: string): Diagnostic {
  return makeDiagnostic('GD9006', undefined, message, help ? { help } : {});
}
