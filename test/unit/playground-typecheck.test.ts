/** The playground's own TypeScript (playground/tsconfig.json: DOM types, Vite's bundler resolution) type-checks, as `npm run build`'s tsc does not cover it. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

describe('playground', () => {
  it('tsc -p playground reports no errors', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'playground'), '--noEmit'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);
});
