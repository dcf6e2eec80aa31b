import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileSolve, front } from '../../compiler/pipeline.js';
import { selectBackend } from '../../runtime/backend.js';
import { encodeNpy } from '../../runtime/data/npy.js';
import { nodeFiles } from '../../runtime/node-files.js';
import { runProgram } from '../../runtime/run.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('data files through the pipeline', () => {
  it('loads csv (with header), json ({shape, data}) and npy relative to the .gd file; the run sees the values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gd-data-'));
    writeFileSync(join(dir, 'A.csv'), 'x,y\n1,2\n3,4\n5,6\n');
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ shape: [3], data: [1, 0, -1] }));
    writeFileSync(join(dir, 'c.npy'), encodeNpy({ shape: [2], data: Float32Array.of(0.5, -2) }));
    const src = `data A: [3, 2] = load("A.csv")
data b: [3] = load("b.json")
data c: [2] = load("c.npy")
param w: [2] = zeros
minimize f = 0.5 * sum((A @ w - b)^2) + sum(c * w) * 0 over w by gd(lr: 0.01) for 3000 steps
`;
    const file = join(dir, 'prog.gd');
    writeFileSync(file, src);
    const fr = front(file, src, nodeFiles);
    if (!fr.checked) throw new Error(fr.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
    const checked = fr.checked;
    const res = await runProgram(checked, { backend: 'wasm', seed: 0, outDir: null, compileStep: (item) => compileSolve(checked, item), host: nodeFiles });
    expect(res.status).toBe('ok');
    // Least squares closed form: w = (AᵀA)⁻¹ Aᵀ b with A = [[1,2],[3,4],[5,6]], b = [1,0,-1] gives w = [-2, 1.5].
    expect(res.params['w']!.data[0]).toBeCloseTo(-2, 2);
    expect(res.params['w']!.data[1]).toBeCloseTo(1.5, 2);
  });
});
