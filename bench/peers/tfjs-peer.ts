/** What every hand-written tfjs peer gives the runner (one step, dispose), and the gradient registry tf.grad needs. */
import { buildSync } from 'esbuild';
import { createRequire } from 'node:module';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface TfjsPeer {
  /** One step: gradient, update, and the loss read back to the host (as a user logging it would). */
  readonly step: () => void;
  readonly dispose: () => void;
}

let registered = false;

/**
 * Registers tfjs-core's gradient functions, as `import '@tensorflow/tfjs'` does for a TS user. tfjs-core
 * ships them only as extensionless ESM files (dist/register_all_gradients.js) that Node cannot load,
 * so they are bundled once with esbuild (present with tsx, which runs the bench). The bundle's ops
 * find the process-wide engine and kernel registry through tfjs's globals, so its gradients run on
 * the backend the bench selected.
 */
export async function registerGradients(): Promise<void> {
  if (registered) return;
  const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  const out = buildSync({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent' });
  const file = join(mkdtempSync(join(tmpdir(), 'gd-bench-')), 'register-gradients.mjs');
  writeFileSync(file, out.outputFiles[0]!.text);
  await import(pathToFileURL(file).href);
  registered = true;
}
