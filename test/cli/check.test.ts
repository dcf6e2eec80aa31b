/** `gd check` and `gd compile --dump ast` as a user runs them: exit codes, rendered messages, JSON. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gd } from '../helpers/cli.js';

const examples = readdirSync(join(import.meta.dirname, '../../examples')).filter((f) => f.endsWith('.gd'));

function tmpProgram(text: string, name = 'prog.gd'): string {
  const dir = mkdtempSync(join(tmpdir(), 'gd-cli-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('gd check', () => {
  it('accepts every example (exit 0, no output)', () => {
    const r = gd(['check', ...examples.map((e) => `examples/${e}`)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('reports a shape error with file:line:col, the code, the source line and a caret; exit 1', () => {
    const file = tmpProgram('data A: [3, 4] = randn(seed: 1)\ndata b: [5] = randn(seed: 2)\nparam x: [4] = zeros\nminimize f = sum(A @ b) over x by gd(lr: 0.1) for 3 steps\n');
    const r = gd(['check', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:\\d+: error\\[GD2005\\]`));
    expect(r.stderr).toContain('minimize f = sum(A @ b)');
    expect(r.stderr).toMatch(/\^/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it('prints diagnostics as JSON objects with positions', () => {
    const file = tmpProgram('param w: [3] = zeros\nminimize f = sum(w * q) over w by gd(lr: 0.1) for 3 steps\n');
    const r = gd(['check', '--json', file]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ code: 'GD2001', severity: 'error', file, line: 2, col: 22, endLine: 2, endCol: 23 });
    expect(String(out[0]!.message)).toContain("'q'");
  });

  it('reports every syntax error in a file, not just the first', () => {
    const file = tmpProgram('param w: [3] = zeros\nlet a = (1 + \nlet b = 2 *\nminimize f = sum(w^2) over w by gd(lr: 0.1) for 3 steps\n');
    const r = gd(['check', '--json', file]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as Array<{ code: string; line: number }>;
    expect(out.length).toBeGreaterThanOrEqual(2);
    expect(out.every((d) => d.code.startsWith('GD1'))).toBe(true);
  });

  it('usage errors exit 2 with a GD9xxx code: missing file, unknown flag, bad --set', () => {
    const missing = gd(['check', 'no/such/file.gd']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('GD9001');
    const flag = gd(['check', '--frobnicate', 'examples/least-squares.gd']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('GD9002');
    const set = gd(['check', '--set', 'n=abc', 'examples/ridge.gd']);
    expect(set.code).toBe(2);
    expect(set.stderr).toContain('GD9003');
  });

  it('an unknown --set name is a usage error (exit 2, GD9004) in every command that takes --set', () => {
    for (const cmd of [['check'], ['compile', '--emit', 'ts'], ['compile', '--dump', 'ir'], ['gradcheck'], ['run', '--quiet']]) {
      const r = gd([...cmd, '--set', 'zz=3', 'examples/least-squares.gd']);
      expect(r.stderr, cmd.join(' ')).toContain('GD9004');
      expect(r.code, cmd.join(' ')).toBe(2);
    }
  });
});

describe('gd compile --dump ast', () => {
  it('prints a stable dump without spans or paths', async () => {
    const r = gd(['compile', 'examples/least-squares.gd', '--dump', 'ast']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/least-squares|start|end|span/);
    await expect(r.stdout).toMatchFileSnapshot('../golden/ast/least-squares.txt');
    // The same program moved to another folder and with different whitespace dumps identically.
    const moved = tmpProgram(
      readFileSync(join(import.meta.dirname, '../../examples/least-squares.gd'), 'utf8').replace(/\n/g, '\n\n'),
      'other.gd',
    );
    expect(gd(['compile', moved, '--dump', 'ast']).stdout).toBe(r.stdout);
  });
});
