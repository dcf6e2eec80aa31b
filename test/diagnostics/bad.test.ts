/**
 * Golden diagnostics: every program in bad/ has exactly one error, whose code is named on its first line
 * (`# expect: GD2005`), and whose rendered message is kept in __snapshots__/<name>.txt (update with `vitest -u`).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../compiler/parse.js';
import { check } from '../../compiler/check/check.js';
import type { CompilerHost } from '../../compiler/host.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { renderDiagnostics } from '../../compiler/diagnostics/render.js';
import { CODES } from '../../compiler/diagnostics/codes.js';
import { refreshedDoc } from './update-diagnostics-doc.js';
// Bad programs may `use std.*` (e.g. std.dsgd's per-block options); the modules register on import.
import '../../runtime/std/index.js';

const root = import.meta.dirname;
const files = readdirSync(join(root, 'bad'))
  .filter((f) => f.endsWith('.gd'))
  .sort();

/** Files are named relative to test/diagnostics, so rendered paths are stable wherever the repo lives. */
const host: CompilerHost = {
  readText: (p) => (existsSync(join(root, p)) && statSync(join(root, p)).isFile() ? readFileSync(join(root, p), 'utf8') : undefined),
  readBytes: (p, max) => {
    if (!existsSync(join(root, p)) || !statSync(join(root, p)).isFile()) return undefined;
    const b = new Uint8Array(readFileSync(join(root, p)));
    return max === undefined ? b : b.subarray(0, max);
  },
  size: (p) => (existsSync(join(root, p)) && statSync(join(root, p)).isFile() ? statSync(join(root, p)).size : undefined),
};

function diagnose(file: string, text: string): Diagnostic[] {
  const p = parse(file, text);
  if (hasErrors(p.diagnostics)) return sortDiagnostics(p.diagnostics);
  return sortDiagnostics([...p.diagnostics, ...check(p.program, host, { parseFile: parse }).diagnostics]);
}

describe('bad programs', () => {
  it('has at least 40 of them', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it('docs/diagnostics.md explains every code of the catalogue, with the current golden examples', () => {
    const doc = readFileSync(join(root, '../../docs/diagnostics.md'), 'utf8');
    const missing = Object.keys(CODES).filter((c) => !doc.includes(`### ${c} ${CODES[c as keyof typeof CODES].title}`));
    expect(missing).toEqual([]);
    expect(refreshedDoc(doc), 'docs/diagnostics.md is stale: run `npx tsx test/diagnostics/update-diagnostics-doc.ts`').toBe(doc);
  });

  for (const f of files) {
    it(f, async () => {
      const name = `bad/${f}`;
      const text = readFileSync(join(root, name), 'utf8');
      const expected = /^# expect: (GD\d{4})/.exec(text)?.[1];
      expect(expected, 'first line must be "# expect: GDxxxx"').toBeDefined();
      const diags = diagnose(name, text);
      const errors = diags.filter((d) => d.severity === 'error');
      const rendered = renderDiagnostics(diags, (n) => host.readText(n));
      expect(errors.map((d) => d.code), rendered).toEqual([expected]);
      // The error points into a file and carries a message that names the problem.
      expect(errors[0]!.span).toBeDefined();
      await expect(rendered + '\n').toMatchFileSnapshot(join(root, '__snapshots__', f.replace(/\.gd$/, '.txt')));
    });
  }
});
