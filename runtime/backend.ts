/** Chooses and initializes the tfjs backend a run executes on (wasm by default; cpu; optional tensorflow and webgpu). */
import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { installWebgpuNodeReads } from './webgpu/node-reads.js';
import { backendUnavailable } from '../compiler/diagnostics/constructors/runtime.js';
import { fail } from './faults.js';

export type BackendName = 'wasm' | 'cpu' | 'tensorflow' | 'webgpu';
export const BACKENDS: readonly BackendName[] = ['wasm', 'cpu', 'tensorflow', 'webgpu'];

export interface SelectedBackend {
  /** The tfjs backend name now active (`tensorflow` for tfjs-node). */
  readonly name: string;
  /** Which package provided it, or a caveat worth printing once (e.g. "tfjs-node (CPU), tfjs-node-gpu not installed"). */
  readonly note?: string;
}

const require_ = createRequire(import.meta.url);

/**
 * Imports an optional package by a specifier tsc cannot see, so a missing package is a run-time
 * condition rather than a build error. Returns the module or the import error.
 */
async function importOptional(specifier: string): Promise<{ ok: true; mod: unknown } | { ok: false; error: Error }> {
  const spec: string = specifier;
  try {
    return { ok: true, mod: await import(spec) };
  } catch (e) {
    return { ok: false, error: e as Error };
  }
}

/** Whether an import failed because the package is absent (versus present but broken, e.g. no libtensorflow). */
function isNotInstalled(e: Error, pkg: string): boolean {
  const code = (e as { code?: string }).code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && e.message.includes(pkg);
}

/** The first line of an error message, trimmed for a one-line diagnostic. */
function firstLine(e: Error): string {
  return (e.message.split('\n')[0] ?? '').slice(0, 200);
}

async function activate(name: string): Promise<boolean> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  return ok && tf.getBackend() === name;
}

async function selectWasm(): Promise<SelectedBackend> {
  const wasm = (await import('@tensorflow/tfjs-backend-wasm')) as typeof import('@tensorflow/tfjs-backend-wasm');
  // Point the loader at the .wasm binaries shipped in the package itself, so nothing is fetched.
  const dist = join(dirname(require_.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
  // Setting the paths again after the module has initialized is harmless: the loader reads them only once.
  wasm.setWasmPaths(dist);
  if (!(await activate('wasm'))) fail(backendUnavailable('wasm', 'the WebAssembly module failed to initialize', 'reinstall gdlang (npm install) or use --backend cpu'));
  return { name: 'wasm' };
}

async function selectCpu(): Promise<SelectedBackend> {
  // tfjs-backend-cpu greets Node users with a banner about tfjs-node on its first write; gd's own
  // `--backend tensorflow` message covers that, and the banner would interleave with progress lines.
  // Prod mode silences tfjs's warnings (and skips its debug-only checks; gd checks finiteness itself).
  tf.enableProdMode();
  await import('@tensorflow/tfjs-backend-cpu');
  if (!(await activate('cpu'))) fail(backendUnavailable('cpu', 'tfjs-backend-cpu failed to initialize', 'reinstall gdlang (npm install)'));
  return { name: 'cpu' };
}

async function selectTensorflow(): Promise<SelectedBackend> {
  const gpu = await importOptional('@tensorflow/tfjs-node-gpu');
  const cpu = gpu.ok ? null : await importOptional('@tensorflow/tfjs-node');
  if (!gpu.ok && cpu && !cpu.ok) {
    const absent = isNotInstalled(gpu.error, 'tfjs-node-gpu') && isNotInstalled(cpu.error, 'tfjs-node');
    const why = absent ? 'neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed' : `cannot load libtensorflow (${firstLine(cpu.error)})`;
    fail(backendUnavailable('tensorflow', why, 'npm install @tensorflow/tfjs-node-gpu (CUDA) or @tensorflow/tfjs-node; its install downloads libtensorflow'));
  }
  if (!(await activate('tensorflow'))) {
    fail(backendUnavailable('tensorflow', 'tfjs-node loaded but registered no tensorflow backend with this copy of tfjs-core', 'make sure @tensorflow/tfjs-node uses @tensorflow/tfjs-core 4.22 (npm dedupe)'));
  }
  return { name: 'tensorflow', note: gpu.ok ? 'tfjs-node-gpu' : 'tfjs-node (CPU; tfjs-node-gpu not available)' };
}

/** SwiftShader's Vulkan driver as Debian's chromium package ships it: Dawn's adapter of last resort on a machine without a GPU. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

interface DawnModule {
  readonly create: (opts: string[]) => { requestAdapter(): Promise<{ info?: { description?: string; device?: string } } | null> };
  readonly globals?: Record<string, unknown>;
}

/**
 * Finds a WebGPU adapter through Dawn. The Vulkan loader reads VK_ICD_FILENAMES when Dawn first
 * enumerates drivers, so the SwiftShader fallback must be set in this process before create(); a
 * second create() after a failed one sees the new variable (Dawn enumerates per instance).
 */
async function dawnGpu(m: DawnModule): Promise<{ gpu: unknown; note?: string } | null> {
  // Dawn's Vulkan probe prints "XDG_RUNTIME_DIR is invalid" to stderr when it is unset (it looks for a
  // Wayland display it never uses); pointing it at the temp dir keeps progress output clean.
  process.env['XDG_RUNTIME_DIR'] ??= tmpdir();
  const first = m.create([]);
  if (await first.requestAdapter().catch(() => null)) return { gpu: first };
  if (process.env['VK_ICD_FILENAMES'] || !existsSync(SWIFTSHADER_ICD)) return null;
  process.env['VK_ICD_FILENAMES'] = SWIFTSHADER_ICD;
  const soft = m.create([]);
  if (!(await soft.requestAdapter().catch(() => null))) return null;
  return { gpu: soft, note: 'no GPU adapter found; running on SwiftShader, a software Vulkan rasterizer on the CPU (slow)' };
}

interface AdapterLike {
  readonly limits: { readonly maxStorageBuffersPerShaderStage: number };
  requestDevice(d?: { requiredLimits?: Record<string, number> }): Promise<unknown>;
}
interface GpuLike {
  requestAdapter(o?: unknown): Promise<AdapterLike | null>;
}

/**
 * tfjs-backend-webgpu asks for a device with WebGPU's default of 8 storage buffers per stage; a fused
 * kernel reading many values needs more, and adapters offer more (SwiftShader: 12). The device is
 * asked for the adapter's own limit (runtime/webgpu/fused-runners.ts reads it back from the device).
 */
function withAdapterBufferLimit(gpu: GpuLike): GpuLike {
  return {
    requestAdapter: async (o?: unknown) => {
      const a = await gpu.requestAdapter(o);
      if (!a) return a;
      const request = a.requestDevice.bind(a);
      return new Proxy(a, {
        get(target, prop) {
          if (prop === 'requestDevice') {
            return (d: { requiredLimits?: Record<string, number> } = {}) =>
              request({ ...d, requiredLimits: { ...d.requiredLimits, maxStorageBuffersPerShaderStage: target.limits.maxStorageBuffersPerShaderStage } });
          }
          const v = Reflect.get(target, prop, target) as unknown;
          return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(target) : v;
        },
      });
    },
  };
}

async function selectWebgpu(): Promise<SelectedBackend> {
  const dawn = await importOptional('webgpu');
  if (!dawn.ok) {
    const why = isNotInstalled(dawn.error, 'webgpu') ? "the 'webgpu' package (Dawn for Node) is not installed" : `cannot load Dawn (${firstLine(dawn.error)})`;
    fail(backendUnavailable('webgpu', why, 'npm install webgpu @tensorflow/tfjs-backend-webgpu (CPU-only Linux: install chromium and set VK_ICD_FILENAMES to its SwiftShader ICD)'));
  }
  const m = dawn.mod as DawnModule;
  // tfjs-backend-webgpu uses the WebGPU constants (GPUBufferUsage, GPUMapMode, GPUShaderStage...) as globals, as in a browser.
  if (m.globals) Object.assign(globalThis, m.globals);
  let note: string | undefined;
  // tfjs-backend-webgpu looks for navigator.gpu; Node has no navigator, so one is provided around Dawn.
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (!g.navigator?.gpu) {
    const found = await dawnGpu(m);
    if (!found) {
      const why = process.env['VK_ICD_FILENAMES'] ? `no WebGPU adapter (Dawn found no Vulkan device through VK_ICD_FILENAMES=${process.env['VK_ICD_FILENAMES']})` : 'no WebGPU adapter (Dawn found no Vulkan device)';
      fail(backendUnavailable('webgpu', why, `install a Vulkan driver, or chromium for SwiftShader and set VK_ICD_FILENAMES=${SWIFTSHADER_ICD}`));
    }
    note = found.note;
    // One line on stderr (never stdout, which --json owns): the run works, but slowly, on the CPU.
    if (note) process.stderr.write(`note: ${note}\n`);
    Object.defineProperty(globalThis, 'navigator', { value: { ...(g.navigator ?? {}), gpu: withAdapterBufferLimit(found.gpu as GpuLike) }, configurable: true, writable: true });
  }
  const backend = await importOptional('@tensorflow/tfjs-backend-webgpu');
  if (!backend.ok) {
    const why = isNotInstalled(backend.error, 'tfjs-backend-webgpu') ? '@tensorflow/tfjs-backend-webgpu is not installed' : `cannot load tfjs-backend-webgpu (${firstLine(backend.error)})`;
    fail(backendUnavailable('webgpu', why, 'npm install @tensorflow/tfjs-backend-webgpu@4.22.0'));
  }
  let ok = false;
  try {
    ok = await activate('webgpu');
  } catch (e) {
    fail(backendUnavailable('webgpu', `no WebGPU adapter (${firstLine(e as Error)})`, `on a CPU-only Linux box set VK_ICD_FILENAMES=${SWIFTSHADER_ICD}`));
  }
  if (!ok) fail(backendUnavailable('webgpu', 'no WebGPU adapter was found', `on a CPU-only Linux box set VK_ICD_FILENAMES=${SWIFTSHADER_ICD}`));
  installWebgpuNodeReads();
  return note ? { name: 'webgpu', note } : { name: 'webgpu' };
}

const SELECTORS = {
  wasm: selectWasm,
  cpu: selectCpu,
  tensorflow: selectTensorflow,
  webgpu: selectWebgpu,
} satisfies Record<BackendName, () => Promise<SelectedBackend>>;

/** Loads and activates the named backend; throws a RuntimeFault carrying GD4009 with a one-line reason when it cannot. */
export async function selectBackend(name: BackendName): Promise<SelectedBackend> {
  return SELECTORS[name]();
}
