/** `gd gradcheck`: the table, the JSON form, and the exit code against the tolerance. */
import { describe, expect, it } from 'vitest';
import { gd } from '../helpers/cli.js';

describe('gd gradcheck', () => {
  it('passes on an example, one row per objective and target, errors far below 1e-6', () => {
    const r = gd(['gradcheck', 'examples/methods.gd', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { objective: string; target: string; maxRelError: number; ok: boolean }[];
    expect(rows.map((x) => `${x.objective}/${x.target}`)).toEqual(['f1/x', 'f2/u', 'f3/v']);
    for (const x of rows) {
      expect(x.ok).toBe(true);
      expect(x.maxRelError).toBeLessThan(1e-6);
    }
  });

  it('checks at random points too, and exits 1 when the tolerance is below the finite-difference error', () => {
    const ok = gd(['gradcheck', 'examples/ridge.gd', '--at', 'random', '--seed', '3']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/loss \/ w\s+\d\.\d\de-\d+\s+ok/);
    // Central differences in float64 carry ~1e-10 error: a 1e-300 tolerance must fail, with FAIL in the table.
    const strict = gd(['gradcheck', 'examples/ridge.gd', '--tol', '1e-300']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('FAIL');
  });

  it('reports program errors as diagnostics (exit 1) and bad flags as usage errors (exit 2)', () => {
    expect(gd(['gradcheck', 'test/diagnostics/bad/unknown-method.gd']).code).toBe(1);
    const bad = gd(['gradcheck', 'examples/ridge.gd', '--tol', 'abc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('GD9006');
  });
});
