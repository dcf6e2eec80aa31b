/** Small helpers for checker tests: parse + check a source string against an in-memory file set. */
import { expect } from 'vitest';
import { parse } from '../../compiler/parse.js';
import { check } from '../../compiler/check/check.js';
import type { CheckedProgram, Shape } from '../../compiler/check/checked.js';
import { memoryHost } from '../../compiler/host.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type * as A from '../../compiler/ast/ast.js';

export interface Run {
  readonly checked: CheckedProgram | null;
  readonly diagnostics: Diagnostic[];
  readonly errors: Diagnostic[];
}

export function run(src: string, files: Record<string, string | Uint8Array> = {}, overrides?: Record<string, number>): Run {
  const p = parse('main.gd', src);
  expect(p.diagnostics.filter((d) => d.severity === 'error'), 'the test program must parse').toEqual([]);
  const r = check(p.program, memoryHost({ 'main.gd': src, ...files }), { parseFile: parse, ...(overrides ? { overrides } : {}) });
  return { ...r, errors: r.diagnostics.filter((d) => d.severity === 'error') };
}

/** Checks a program that must have no errors, and returns its CheckedProgram. */
export function ok(src: string, files: Record<string, string | Uint8Array> = {}, overrides?: Record<string, number>): CheckedProgram {
  const r = run(src, files, overrides);
  expect(r.errors.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  expect(r.checked).not.toBeNull();
  return r.checked!;
}

/** The codes of the errors a program gets. */
export function codes(src: string, files: Record<string, string | Uint8Array> = {}, overrides?: Record<string, number>): string[] {
  return run(src, files, overrides).errors.map((d) => d.code);
}

/** The single error of a program, asserting its code. */
export function oneError(src: string, code: string, files: Record<string, string | Uint8Array> = {}): Diagnostic {
  const r = run(src, files);
  expect(r.errors.map((d) => `${d.code} ${d.message}`)).toHaveLength(1);
  expect(r.errors[0]!.code).toBe(code);
  return r.errors[0]!;
}

/** The shape the checker recorded for the objective of the solve named `name`. */
export function objectiveShape(c: CheckedProgram, name: string): Shape | undefined {
  const item = c.plan.find((p) => p.kind === 'solve' && p.stmt.name.name === name);
  return item && item.kind === 'solve' ? c.shapes.get(item.stmt.objective) : undefined;
}

/** The shape of the value of `let NAME = ...`. */
export function letShape(c: CheckedProgram, name: string): Shape | undefined {
  const s = c.symbols.get(name);
  return s && s.kind === 'let' ? s.shape : undefined;
}

/** Every expression node of the main program (for "every node has a shape" checks). */
export function allExprs(program: A.Program): A.Expr[] {
  const out: A.Expr[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (v === null || typeof v !== 'object') return;
    const o = v as { kind?: string };
    if (o.kind === 'Def' || o.kind === 'Lambda') return; // checked per call site / as part of pairwise
    if (['Number', 'Name', 'Tensor', 'Binary', 'Unary', 'Call', 'Index', 'Attr', 'String'].includes(o.kind ?? '')) out.push(o as A.Expr);
    for (const [k, x] of Object.entries(o)) if (k !== 'span' && k !== 'opSpan') visit(x);
  };
  visit(program.body);
  return out;
}
