/**
 * The front end never throws and never hangs, whatever bytes it is given: example programs are mutated
 * (tokens deleted, duplicated, swapped; truncated; random bytes spliced in) and every result must come
 * back as diagnostics whose spans lie inside the file.
 */
import { describe, expect, it } from 'vitest';
import '../../runtime/std/index.js'; // std modules register themselves, as the CLI does
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../compiler/parse.js';
import { check } from '../../compiler/check/check.js';
import { memoryHost } from '../../compiler/host.js';

const dir = join(import.meta.dirname, '../../examples');
const examples = readdirSync(dir)
  .filter((f) => f.endsWith('.gd'))
  .map((f) => ({ name: `examples/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
// Data files the examples load, so the checker reaches its later stages on near-valid programs.
const files: Record<string, string> = {};
for (const f of readdirSync(dir)) if (!f.endsWith('.gd')) files[`examples/${f}`] = readFileSync(join(dir, f), 'utf8');
const host = memoryHost(files);

const tokenize = (s: string) => s.match(/[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\s+|./gs) ?? [];

type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'truncate'; frac: number }
  | { kind: 'bytes'; at: number; bytes: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), frac: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('bytes' as const), at: fc.nat(), bytes: fc.string({ unit: 'binary', maxLength: 8 }) }),
);

function mutate(text: string, ms: readonly Mutation[]): string {
  let toks = tokenize(text);
  for (const m of ms) {
    const n = toks.length;
    if (n === 0) break;
    if (m.kind === 'delete') toks = toks.filter((_, i) => i !== m.at % n);
    else if (m.kind === 'duplicate') toks.splice(m.at % n, 0, toks[m.at % n]!);
    else if (m.kind === 'swap') {
      const a = m.a % n;
      const b = m.b % n;
      [toks[a], toks[b]] = [toks[b]!, toks[a]!];
    } else if (m.kind === 'truncate') toks = toks.slice(0, Math.floor(m.frac * n));
    else toks.splice(m.at % n, 0, m.bytes);
  }
  return toks.join('');
}

describe('front end under mutation', () => {
  it('never throws, never hangs, and keeps every span inside the file (5,000 mutants)', () => {
    let slowest = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: examples.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (ei, ms) => {
        const ex = examples[ei]!;
        const text = mutate(ex.text, ms);
        const t0 = performance.now();
        const p = parse(ex.name, text);
        const diags = [...p.diagnostics];
        if (!p.diagnostics.some((d) => d.severity === 'error')) diags.push(...check(p.program, host, { parseFile: parse }).diagnostics);
        const dt = performance.now() - t0;
        slowest = Math.max(slowest, dt);
        expect(dt).toBeLessThan(2000);
        for (const d of diags) {
          expect(d.code).toMatch(/^GD\d{4}$/);
          if (d.span && d.span.file === ex.name) {
            expect(d.span.start).toBeGreaterThanOrEqual(0);
            expect(d.span.end).toBeGreaterThanOrEqual(d.span.start);
            expect(d.span.end).toBeLessThanOrEqual(text.length);
          }
        }
      }),
      { numRuns: 5000, seed: 20261128 },
    );
    expect(slowest).toBeLessThan(2000);
  }, 240_000);
});
