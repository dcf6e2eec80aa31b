import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../runtime/backend.js';
import type { RuntimeFault } from '../../runtime/faults.js';

describe('selectBackend', () => {
  it('activates wasm from the local package and computes', async () => {
    expect((await selectBackend('wasm')).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(Array.from(await tf.add(tf.tensor([1, 2]), tf.tensor([3, 4])).data())).toEqual([4, 6]);
  });
  it('activates cpu', async () => {
    expect((await selectBackend('cpu')).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    await selectBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
  it('explains in one line when tensorflow or webgpu cannot load', async () => {
    for (const name of ['tensorflow', 'webgpu'] as const) {
      let d;
      try {
        await selectBackend(name);
        continue; // installed on this machine: nothing to check
      } catch (e) {
        d = (e as RuntimeFault).diagnostic;
      }
      expect(d.code).toBe('GD4009');
      expect(d.message).not.toContain('\n');
      expect(d.message).toMatch(/not installed|cannot load|no WebGPU adapter/);
      expect(d.help).toMatch(/npm install|VK_ICD_FILENAMES/);
    }
  });
});
