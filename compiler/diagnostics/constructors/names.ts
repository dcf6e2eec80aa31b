/** Constructors for name-resolution diagnostics (unknown, duplicate, misused names; imports and modules). */
import type { Diagnostic, DiagnosticNote } from '../diagnostic.js';
import { makeDiagnostic } from '../make.js';
import type { Span } from '../span.js';

const didYouMean = (s: string | undefined) => (s ? `did you mean '${s}'?` : undefined);

/** GD2001: a name that is not declared where it is used (or only declared after the use). */
export function unknownName(
  name: string,
  span: Span,
  opts: { suggestion?: string; declaredLater?: Span; help?: string } = {},
): Diagnostic {
  if (opts.declaredLater) {
    return makeDiagnostic('GD2001', span, `'${name}' is used before it is declared`, {
      notes: [{ message: `'${name}' is declared here, after its use`, span: opts.declaredLater }],
      help: `move the declaration of '${name}' above this line: names are visible only after their declaration`,
    });
  }
  const help = opts.help ?? didYouMean(opts.suggestion) ?? `declare it first, e.g. \`const ${name} = ...\` or \`data ${name}: [...] = ...\``;
  return makeDiagnostic('GD2001', span, `unknown name '${name}'`, { help });
}

/** GD2002: a second declaration of a name already declared (in this file or an imported one). */
export function duplicateDeclaration(name: string, span: Span, first: Span): Diagnostic {
  return makeDiagnostic('GD2002', span, `'${name}' is declared twice`, {
    notes: [{ message: 'first declared here', span: first }],
    help: `rename one of the two declarations of '${name}'`,
  });
}

/** GD2010: a call of a name that is neither a builtin nor a def. */
export function unknownFunction(name: string, span: Span, suggestion?: string): Diagnostic {
  return makeDiagnostic('GD2010', span, `unknown function '${name}'`, {
    help: didYouMean(suggestion) ?? `define it with \`def ${name}(x) = ...\` or use a builtin (see the language reference)`,
  });
}

/** GD2013: a size (or a whole shape) that is neither declared nor inferable from the declaration that uses it. */
export function unknownDim(what: string, span: Span, why: string, dimName?: string): Diagnostic {
  return makeDiagnostic('GD2013', span, `cannot infer ${what}: ${why}`, {
    help: dimName ? `declare it with \`dim ${dimName} = ...\`, or load a file whose shape gives it` : 'write the shape in the declaration, e.g. `param w: [10] = zeros`',
  });
}

/** GD2018: a def that calls itself, directly or through other defs (defs are inlined, so they cannot recurse). */
export function recursiveDef(chain: readonly string[], span: Span, defSpan?: Span): Diagnostic {
  const notes: DiagnosticNote[] = defSpan ? [{ message: `'${chain[0]}' is defined here`, span: defSpan }] : [];
  return makeDiagnostic('GD2018', span, `recursive def: ${chain.join(' → ')}`, {
    notes,
    help: 'defs are inlined at compile time and cannot call themselves; unroll the recursion by hand',
  });
}

/** GD2020: `use std.X` with no such standard-library module. */
export function unknownModule(name: string, span: Span, available: readonly string[], suggestion?: string): Diagnostic {
  return makeDiagnostic('GD2020', span, `unknown module '${name}'`, {
    help: didYouMean(suggestion) ?? `the standard library has: ${available.join(', ')}`,
  });
}

/** GD2021: `import "f.gd"` names no readable file. */
export function importNotFound(path: string, resolved: string, span: Span): Diagnostic {
  return makeDiagnostic('GD2021', span, `cannot import '${path}': no file at '${resolved}'`, {
    help: 'import paths are relative to the folder of the importing .gd file',
  });
}

/** GD2022: a name that denotes something other than a tensor used as a value (a def, a builtin function, an initializer). */
export function nameIsNotAValue(name: string, what: string, span: Span, help?: string): Diagnostic {
  return makeDiagnostic('GD2022', span, `'${name}' is ${what}, not a value`, help ? { help } : {});
}

/** GD2025: a call of a name that is a tensor, not a function. */
export function notCallable(name: string, kind: string, span: Span, declared?: Span): Diagnostic {
  return makeDiagnostic('GD2025', span, `'${name}' is ${kind}, not a function; it cannot be called`, {
    notes: declared ? [{ message: `'${name}' is declared here`, span: declared }] : [],
    help: `index it with ${name}[...] or call a def`,
  });
}

/** GD2028: files that import each other. */
export function importCycle(chain: readonly string[], span: Span): Diagnostic {
  return makeDiagnostic('GD2028', span, `import cycle: ${chain.join(' → ')}`, {
    help: 'move the shared defs and consts into a third file that both import',
  });
}

/** GD2030: an initializer word that is not zeros, ones, uniform, randn(...), rand(...) or load(...). */
export function unknownInitializer(name: string, span: Span, suggestion?: string): Diagnostic {
  return makeDiagnostic('GD2030', span, `unknown initializer '${name}'`, {
    help: didYouMean(suggestion) ?? 'initializers are zeros, ones, uniform, randn(seed: k), rand(seed: k), load("file") or an expression',
  });
}

/** GD2031: an imported file declares something that imports do not bring (data, params, solves, ...). */
export function notImportable(what: string, file: string, span: Span): Diagnostic {
  return makeDiagnostic('GD2031', span, `${what} in imported file '${file}' is not imported`, {
    help: 'an imported file brings only its dims, consts and defs; move other statements into the main program',
  });
}

/** GD2032: `x.NAME` for any attribute other than `.T`. */
export function unknownAttribute(name: string, span: Span): Diagnostic {
  return makeDiagnostic('GD2032', span, `unknown attribute '.${name}'`, {
    help: "the only attribute is '.T' (transpose); for other operations call a builtin, e.g. sum(x)",
  });
}
