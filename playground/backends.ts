/**
 * The page's tfjs backends: webgpu where the browser has it, else webgl, else wasm, else cpu (or one
 * named in the picker). The wasm binaries are Vite-served assets of this site, so nothing is fetched
 * from a CDN and the built site works offline.
 */
import * as tf from '@tensorflow/tfjs-core';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export type PageBackend = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendChoice = 'auto' | PageBackend;

/** The automatic order: fastest first. */
export const AUTO_ORDER: readonly PageBackend[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
export const CHOICES: readonly BackendChoice[] = ['auto', ...AUTO_ORDER];

const LOADERS = {
  webgpu: async () => {
    if (!(navigator as { gpu?: unknown }).gpu) throw new Error('this browser has no WebGPU');
    await import('@tensorflow/tfjs-backend-webgpu');
  },
  webgl: async () => {
    await import('@tensorflow/tfjs-backend-webgl');
  },
  wasm: async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
  },
  cpu: async () => {
    await import('@tensorflow/tfjs-backend-cpu');
  },
} satisfies Record<PageBackend, () => Promise<void>>;

/** Loads and activates one backend; throws with the reason when it cannot. */
async function activate(name: PageBackend): Promise<void> {
  await LOADERS[name]();
  let ok = false;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (e) {
    throw new Error(`${name}: ${(e as Error).message}`);
  }
  if (!ok || tf.getBackend() !== name) throw new Error(`${name} failed to initialize`);
}

export interface Activated {
  readonly name: PageBackend;
  /** Backends tried before it and why each failed (auto only). */
  readonly skipped: readonly string[];
}

/** Activates the chosen backend, or for 'auto' the first of AUTO_ORDER that initializes. */
export async function activateBackend(choice: BackendChoice): Promise<Activated> {
  if (choice !== 'auto') {
    await activate(choice);
    return { name: choice, skipped: [] };
  }
  const skipped: string[] = [];
  for (const name of AUTO_ORDER) {
    try {
      await activate(name);
      return { name, skipped };
    } catch (e) {
      skipped.push(`${name} (${(e as Error).message})`);
    }
  }
  throw new Error(`no tfjs backend initialized: ${skipped.join('; ')}`);
}
