/** `gd compile --dump wgsl`: the generated shaders of least-squares, golden; splat constants appear as uniforms with their values listed, never in the shader text. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump, front } from '../../compiler/pipeline.js';
import { memoryHost } from '../../compiler/host.js';
import { ROOT, gd } from '../helpers/cli.js';

describe('gd compile --dump wgsl', () => {
  const file = join(ROOT, 'examples/least-squares.gd');
  it('prints one WGSL program per fused kernel write (golden)', async () => {
    const text = dump(front(file, readFileSync(file, 'utf8'), memoryHost({})), 'wgsl');
    // gd(lr: 0.1): the learning rate is listed as a uniform's value, and no shader body contains it.
    expect(text).toMatch(/uniforms c0 = %\d+ \(0\.1\)/);
    for (const body of text.split(/^\/\/ k\d+\.\d+:.*$/m)) expect(body).not.toContain('0.1');
    await expect(text + '\n').toMatchFileSnapshot('../golden/wgsl/least-squares.txt');
  });
  it('is what the CLI prints', () => {
    const r = gd(['compile', 'examples/least-squares.gd', '--dump', 'wgsl'], { cwd: ROOT });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(ROOT, 'test/golden/wgsl/least-squares.txt'), 'utf8'));
  });
});
