/** `gd compile --emit ts [-o]` through the CLI, and the package API (`check`, `compile`, `run`) from dist/api.js. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, gd } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'gd-emit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gd compile --emit ts', () => {
  it('writes the module to -o, the same text as on stdout', () => {
    const out = join(dir, 'ls.ts');
    const a = gd(['compile', 'examples/least-squares.gd', '--emit', 'ts', '-o', out]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe('');
    const b = gd(['compile', 'examples/least-squares.gd', '--emit', 'ts']);
    expect(b.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(b.stdout);
    expect(b.stdout).toContain('export async function createProgram(options: ProgramOptions = {}): Promise<Program>');
  });

  it('reports diagnostics and emits nothing for a program with errors', () => {
    const r = gd(['compile', 'test/diagnostics/bad/axis-out-of-range.gd', '--emit', 'ts']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
  });

  it('still requires --dump or --emit', () => {
    const r = gd(['compile', 'examples/least-squares.gd']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--dump or --emit/);
  });
});

describe('the gdlang API', () => {
  it('check/compile/run return diagnostics as values and results as data', async () => {
    const api = (await import(join(ROOT, 'dist/api.js'))) as typeof import('../../api.js');
    const bad = api.check('bad.gd', { text: 'param w: [3] = zeros\nminimize f = sum(q) over w by gd(lr: 0.1) for 3 steps\n' });
    expect(bad.ok).toBe(false);
    expect(bad.diagnostics.length).toBeGreaterThan(0);
    expect(bad.rendered).toContain(bad.diagnostics[0]!.code);
    const missing = api.check(join(dir, 'nope.gd'));
    expect(missing.ok).toBe(false);
    expect(missing.diagnostics[0]!.code).toBe('GD9001');

    const src = 'param w: [2] = zeros\nminimize f = sum((w - 3)^2) over w by gd(lr: 0.25) for 1 steps\n';
    const c = await api.compile('p.gd', { text: src });
    expect(c.ok).toBe(true);
    expect(c.output).toContain('createProgram');
    expect((await api.compile('bad.gd', { text: 'param w: [3] = zeros\nminimize f = sum(q) over w by gd(lr: 0.1) for 3 steps\n' })).output).toBeNull();

    // One gd step from 0 with lr 1/4 on (w - 3)^2: w = 0 - 0.25 * 2 * (0 - 3) = 1.5; f = 2 * (1.5 - 3)^2 = 4.5.
    const r = await api.run('p.gd', { text: src, backend: 'cpu' });
    expect(r.ok).toBe(true);
    expect(Array.from(r.params['w']!.data)).toEqual([1.5, 1.5]);
    expect(r.objective).toEqual({ name: 'f', value: 4.5 });
  });
});
