/**
 * rand/randn on tfjs-wasm: the fixed Philox module (compiler/backends/wasm/philox-wasm.ts, bytes in
 * philox-module.ts) writes the draws straight into a tensor the backend allocated, so nothing is
 * generated in JS or uploaded; the numbers are compiler/ir/rng.ts's, bit for bit.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Graph, Shape } from '../../compiler/ir/ir.js';
import { listAttr, numAttr, sizeOf } from '../../compiler/ir/ops.js';
import { toU32 } from '../../compiler/ir/rng.js';
import type { FusedRunner } from '../executor.js';
import { PHILOX_WASM_BASE64 } from './philox-module.js';
import { heapAddress, heapOutput, wasmHeap } from './wasm-heap.js';

type Fill = (addr: number, n: number, seed: number, step: number, stream: number) => void;

let philox: WebAssembly.Module | null = null;
/** The instance on the current memory: a re-initialized backend has a new memory, and gets a new instance. */
let instance: { memory: WebAssembly.Memory; rand: Fill; randn: Fill } | null = null;

/** The module, compiled on first use: 3.3 KB, under the 4 KB that browsers compile synchronously on the main thread. */
function instanceOn(memory: WebAssembly.Memory): { rand: Fill; randn: Fill } {
  if (instance?.memory === memory) return instance;
  philox ??= new WebAssembly.Module(Uint8Array.from(atob(PHILOX_WASM_BASE64), (c) => c.charCodeAt(0)));
  const ex = new WebAssembly.Instance(philox, { env: { memory } }).exports;
  instance = { memory, rand: ex['rand'] as Fill, randn: ex['randn'] as Fill };
  return instance;
}

let enabled = true;

/** Turns the WASM draws off (false: random ops run as tfjs kernels, generated in JS and uploaded) — for differential tests. */
export function setWasmRandom(on: boolean): void {
  enabled = on;
}

let draws = 0;

/** How many random ops the WASM module drew in this process (tests check that the default path takes them). */
export function wasmRandomDraws(): number {
  return draws;
}

/** One runner per rand/randn equation of `g`, run in its place; none off tfjs-wasm or when turned off. */
export function wasmRandomRunners(g: Graph): FusedRunner[] {
  if (!enabled || !wasmHeap()) return [];
  const runners: FusedRunner[] = [];
  g.eqns.forEach((e, i) => {
    if (e.op !== 'rand' && e.op !== 'randn') return;
    const kind = e.op;
    const stream = toU32(numAttr(e.attrs, 'stream')) | 0;
    const shape = listAttr(e.attrs, 'shape');
    const key = e.inputs[0]!.id;
    runners.push({ members: new Set([i]), at: i, run: (read) => new Map([[e.out.id, draw(kind, read(key), stream, shape)]]) });
  });
  return runners;
}

/**
 * Draws into a fresh backend tensor (tracked by the caller's tf.tidy). The key [seed, step] is read
 * with dataSync: on tfjs-wasm that copies 8 bytes out of the heap, no device round trip.
 */
function draw(kind: 'rand' | 'randn', key: tf.Tensor, stream: number, shape: Shape): tf.Tensor {
  const heap = wasmHeap();
  if (!heap) throw new Error('a WASM random op ran while tfjs-wasm is not the active backend');
  const { backend, memory } = heap;
  const k = key.dataSync();
  const out = heapOutput(backend, shape);
  const n = sizeOf(shape);
  // Allocating may grow the heap: the address is read after it, and no view of the memory is kept.
  if (n > 0) instanceOn(memory)[kind](heapAddress(backend, out), n, toU32(k[0]!) | 0, toU32(k[1]!) | 0, stream);
  draws++;
  return out;
}
