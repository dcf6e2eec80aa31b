/** Replaces tfjs-backend-webgpu's synchronous read-back, which needs OffscreenCanvas (browsers only), with a clear error under Node. */
import * as tf from '@tensorflow/tfjs-core';
import { InternalError } from '../../compiler/diagnostics/internal-error.js';

/**
 * Under Node, Dawn offers no way to wait for a GPU buffer mapping without returning to the event loop,
 * so `dataSync()` cannot work: tfjs's readSync draws through an OffscreenCanvas and fails with a bare
 * ReferenceError. The runtime reads back with `await t.data()` instead; any synchronous read left
 * (a bug) now says which API to use. Values already cached on the host still read synchronously.
 */
export function installWebgpuNodeReads(): void {
  if (typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas !== 'undefined') return;
  const backend = tf.findBackend('webgpu') as unknown as { readSync(dataId: object): unknown; tensorMap: { get(id: object): { values?: unknown; dtype: string } | undefined } } | null;
  if (!backend) return;
  const proto = Object.getPrototypeOf(backend) as { readSync(dataId: object): unknown; __gdPatched?: boolean };
  if (proto.__gdPatched) return;
  const original = proto.readSync;
  proto.readSync = function (this: typeof backend, dataId: object) {
    const d = this!.tensorMap.get(dataId);
    if (d && (d.values != null || d.dtype === 'string')) return original.call(this, dataId);
    throw new InternalError('synchronous read-back (dataSync) on the webgpu backend under Node: Dawn has none; use await tensor.data()');
  };
  proto.__gdPatched = true;
}
