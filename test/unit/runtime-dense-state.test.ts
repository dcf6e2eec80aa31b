/** `state: dense` on a per-example param runs (it was refused with GD4011 before it was implemented) and is not the lazy update. */
import { describe, expect, it } from 'vitest';
import { run } from '../../api.js';
import { memoryHost } from '../../compiler/host.js';

const program = (opt: string) => `data Y: [8, 2] = randn(seed: 1) batch 4
param z: [8, 2] per Y = zeros
minimize f = mean((z - Y)^2) over z by adam(lr: 0.1${opt}) for 4 steps
`;

describe('per-example optimizer state', () => {
  it('lazy (the default) and dense both run, to different tables', async () => {
    const lazy = await run('p.gd', { text: program(''), host: memoryHost({}), backend: 'cpu' });
    expect(lazy.rendered).toBe('');
    expect(lazy.ok).toBe(true);
    const dense = await run('p.gd', { text: program(', state: dense'), host: memoryHost({}), backend: 'cpu' });
    expect(dense.rendered).toBe('');
    expect(dense.ok).toBe(true);
    // Rows outside the second batch keep moving on their Adam moments under dense only.
    expect(Array.from(dense.params.z!.data)).not.toEqual(Array.from(lazy.params.z!.data));
  });
});
