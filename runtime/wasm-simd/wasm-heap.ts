/** tfjs-wasm's heap as generated WASM modules see it: the backend's exported memory and how tensors map into it. */
import * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's BackendWasm a generated module's call needs (not in its public typings). */
export interface WasmBackendInternals {
  readonly wasm: { readonly asm?: { readonly memory?: WebAssembly.Memory } };
  readonly dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

/**
 * The active backend when it is tfjs-wasm with an unshared exported memory, else null. tfjs's threaded
 * build (cross-origin-isolated pages) uses a shared memory, which a module declaring an unshared import
 * cannot link against: fused kernels stay op by op there and random ops stay tfjs kernels.
 */
export function wasmHeap(): { backend: WasmBackendInternals; memory: WebAssembly.Memory } | null {
  if (tf.getBackend() !== 'wasm') return null;
  const backend = tf.backend() as unknown as WasmBackendInternals;
  const memory = backend.wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  if (typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer) return null;
  return { backend, memory };
}

/** A fresh float32 tensor allocated by the backend on its heap (tracked by the caller's tf.tidy). */
export function heapOutput(backend: WasmBackendInternals, shape: readonly number[]): tf.Tensor {
  return tf.engine().makeTensorFromTensorInfo(backend.makeOutput([...shape], 'float32'), tf.backend());
}

/** The byte address of a tensor's data on the heap (valid until the tensor is disposed; the heap may grow, addresses stay). */
export function heapAddress(backend: WasmBackendInternals, t: tf.Tensor): number {
  return backend.dataIdMap.get(t.dataId)!.memoryOffset;
}
