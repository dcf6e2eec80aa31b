/**
 * Identifiers and literals for emitted TypeScript: program names become valid, unique identifiers
 * (`default` → `default_`, `w.m` → `w_m`), strings become escaped literals, numbers round-trip exactly.
 */

/** Words that cannot name a variable or parameter in strict-mode ES modules, plus names that behave specially. */
const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null',
  'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield',
  'let', 'static', 'implements', 'interface', 'package', 'private', 'protected', 'public', 'await', 'async',
  'arguments', 'eval', 'undefined', 'NaN', 'Infinity', 'of', 'type', 'declare', 'any', 'unknown', 'never',
  'object', 'string', 'number', 'boolean', 'symbol', 'bigint',
  // An own key named __proto__ in an object literal sets the prototype instead; constructor/prototype confuse readers.
  '__proto__', 'constructor', 'prototype',
  // The emitted module's own names.
  'tf', 'gd', 'options', 'program', 's', 'self',
]);

/** Allocates identifiers in one scope: each program name maps to one valid identifier, never to another's. */
export class NameScope {
  private readonly used = new Set<string>();
  private readonly byName = new Map<string, string>();

  constructor(private readonly parent?: NameScope) {}

  /** The identifier for `name` (the same one on every call). */
  id(name: string): string {
    const known = this.byName.get(name);
    if (known !== undefined) return known;
    const fresh = this.fresh(name);
    this.byName.set(name, fresh);
    return fresh;
  }

  /** A new identifier based on `hint` that no other name in this scope (or its parent) uses. */
  fresh(hint: string): string {
    let base = hint.replace(/[^A-Za-z0-9_$]/g, '_');
    if (base === '' || /^[0-9]/.test(base)) base = `_${base}`;
    if (RESERVED.has(base)) base = `${base}_`;
    let cand = base;
    for (let i = 2; this.taken(cand); i++) cand = `${base}_${i}`;
    this.used.add(cand);
    return cand;
  }

  private taken(id: string): boolean {
    return this.used.has(id) || (this.parent?.taken(id) ?? false);
  }
}

/** A TypeScript string literal for any string (quotes, backslashes, control characters and line separators escaped). */
export function str(s: string): string {
  return JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A TypeScript numeric expression that evaluates to exactly `v` (including -0, NaN and the infinities). */
export function num(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

/** A number list literal. */
export function nums(vs: readonly number[]): string {
  return `[${vs.map(num).join(', ')}]`;
}

/** A PascalCase word from a program name, for type and function names (`least-squares` → `LeastSquares`). */
export function pascal(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  const p = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return p === '' || /^[0-9]/.test(p) ? `G${p}` : p;
}
