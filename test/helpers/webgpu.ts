/** Shared by the webgpu test files: activating webgpu (in CI, CI=true, a missing Dawn/SwiftShader is a failure; locally a logged skip) and one step on host feeds. */
import { expect, it } from 'vitest';
import type { Graph } from '../../compiler/ir/ir.js';
import { selectBackend } from '../../runtime/backend.js';
import { GraphExecutor } from '../../runtime/executor.js';

const inCI = process.env['CI'] === 'true' || process.env['CI'] === '1';

/** Null when webgpu is active; otherwise why not. Registers a test that fails in CI when it is not. */
export async function probeWebgpu(): Promise<string | null> {
  const unavailable = await selectBackend('webgpu').then(
    () => null,
    (e: unknown) => String((e as { diagnostic?: { message?: string } }).diagnostic?.message ?? e),
  );
  if (unavailable && !inCI) console.log(`webgpu tests skipped: ${unavailable}`);
  it('Dawn with a WebGPU adapter is available (required in CI)', () => {
    if (inCI) expect(unavailable, 'CI installs chromium (SwiftShader) and libvulkan1: Dawn must find an adapter').toBeNull();
  });
  return unavailable;
}

/** Runs one step of `g` on host feeds; returns every output on the host. */
export async function stepOnce(g: Graph, feeds: Record<string, Float64Array>): Promise<Record<string, Float32Array>> {
  const ex = new GraphExecutor(g);
  const f = new Map(g.inputs.map((i) => [i.name, { shape: i.var.shape, data: Float32Array.from(feeds[i.name]!) }] as const));
  const outs = ex.run(f);
  const res: Record<string, Float32Array> = {};
  for (const [k, t] of outs) {
    res[k] = (await t.data()) as Float32Array;
    t.dispose();
  }
  ex.dispose();
  return res;
}

