/** `state: dense` on a per-example param is refused with a clear GD4011 (not silently run as lazy). */
import { describe, expect, it } from 'vitest';
import { run } from '../../api.js';
import { memoryHost } from '../../compiler/host.js';

const program = (opt: string) => `data Y: [8, 2] = randn(seed: 1) batch 4
param z: [8, 2] per Y = zeros
minimize f = mean((z - Y)^2) over z by adam(lr: 0.1${opt}) for 4 steps
`;

describe('per-example optimizer state', () => {
  it('lazy (the default) runs; dense is refused with GD4011 pointing at the option', async () => {
    const lazy = await run('p.gd', { text: program(''), host: memoryHost({}), backend: 'cpu' });
    expect(lazy.rendered).toBe('');
    expect(lazy.ok).toBe(true);
    const dense = await run('p.gd', { text: program(', state: dense'), host: memoryHost({}), backend: 'cpu' });
    expect(dense.ok).toBe(false);
    expect(dense.diagnostics.map((d) => d.code)).toEqual(['GD4011']);
    expect(dense.rendered).toContain("'state: dense'");
    expect(dense.rendered).toMatch(/p\.gd:3:\d+/);
  });
});
