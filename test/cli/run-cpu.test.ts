/** `gd run --backend cpu` prints gd's own lines only (no tfjs banner about tfjs-node mixed into the progress). */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gd } from '../helpers/cli.js';

describe('gd run --backend cpu', () => {
  it('runs with plain progress lines and no third-party banner', () => {
    const r = gd(['run', 'examples/least-squares.gd', '--backend', 'cpu', '--steps', '20', '--out', mkdtempSync(join(tmpdir(), 'gd-cpu-'))]);
    expect(r.code, r.stderr).toBe(0);
    const all = r.stdout + r.stderr;
    expect(all).not.toMatch(/tfjs-node|=====/);
    expect(all).toMatch(/^step 0\/20 {2}loss=/m);
    expect(all).toMatch(/loss = .* after 20 steps .*cpu/);
  });
});
