/**
 * The WASM Philox module (compiler/backends/wasm/philox-wasm.ts, runtime/wasm-simd/wasm-random.ts):
 * the committed bytes are what the generator builds; uniforms and normals equal compiler/ir/rng.ts's
 * randFill/randnFill rounded to float32, bit for bit; on tfjs-wasm random ops draw in place by
 * default (without binaryen loaded), leak no tensors, and a Langevin run lands exactly where the
 * host-generated draws take it.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GraphBuilder } from '../../compiler/ir/builder.js';
import { randFill, randnFill } from '../../compiler/ir/rng.js';
import { compileSolve, front } from '../../compiler/pipeline.js';
import { selectBackend } from '../../runtime/backend.js';
import { GraphExecutor, outputKey } from '../../runtime/executor.js';
import { runProgram } from '../../runtime/run.js';
import { nodeFiles } from '../../runtime/node-files.js';
import { PHILOX_WASM_BASE64 } from '../../runtime/wasm-simd/philox-module.js';
import { setWasmRandom, wasmRandomDraws } from '../../runtime/wasm-simd/wasm-random.js';
import { wasmFusedRunners, wasmKernelCompilerLoaded } from '../../runtime/wasm-simd/wasm-kernels.js';
import '../../runtime/std/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

type Fill = (addr: number, n: number, seed: number, step: number, stream: number) => void;

/** The committed module on a memory of its own (no tfjs involved). */
function standalone(pages: number): { memory: WebAssembly.Memory; rand: Fill; randn: Fill } {
  const memory = new WebAssembly.Memory({ initial: pages });
  const mod = new WebAssembly.Module(Buffer.from(PHILOX_WASM_BASE64, 'base64'));
  const ex = new WebAssembly.Instance(mod, { env: { memory } }).exports;
  return { memory, rand: ex['rand'] as Fill, randn: ex['randn'] as Fill };
}

const SENTINEL = 0x7fc0dead; // a NaN no draw produces

/**
 * Draws n values at a byte address that is not a multiple of 16 into a memory filled with a sentinel,
 * and returns them; fails the test if a word before or after the n written ones changed.
 */
function drawn(mod: ReturnType<typeof standalone>, kind: 'rand' | 'randn', n: number, seed: number, step: number, stream: number): Float32Array {
  const addr = 36;
  new Uint32Array(mod.memory.buffer).fill(SENTINEL);
  mod[kind](addr, n, seed | 0, step | 0, stream | 0);
  const words = new Uint32Array(mod.memory.buffer);
  const guard = [...words.subarray(0, addr / 4), ...words.subarray(addr / 4 + n, addr / 4 + n + 20)];
  expect(guard.every((w) => w === SENTINEL), `${kind} n=${n} wrote outside [0, n)`).toBe(true);
  return Float32Array.from(new Float32Array(mod.memory.buffer, addr, n));
}

/** Indices where two float32 arrays differ bit for bit (so -0 and +0 differ). */
function bitDiffs(a: Float32Array, b: Float32Array): number[] {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) out.push(i);
  return out;
}

// seed, step, stream: small, zero, and values ≥ 2^31 in every position (user randn sites have the top stream bit set).
const KEYS: readonly (readonly [number, number, number])[] = [
  [0, 0, 0],
  [1, 5, 7],
  [0xfffffff0, 123456, 0x80000011],
  [42, 2 ** 31 + 5, 3],
  [2 ** 31, 0xffffffff, 0xffffffff],
  [123456789, 1, 0x9e3779b9],
];
const SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 17, 31, 32, 33, 63, 100, 1023, 1024, 4097, 65_537];

describe('the committed module', () => {
  it('is what scripts/gen-philox-wasm.ts builds, and stays under 4 KB (synchronous compiles on a browser main thread)', async () => {
    const bn = (await import('binaryen')).default;
    const { buildPhiloxWasm } = await import('../../compiler/backends/wasm/philox-wasm.js');
    const { philoxModuleSource } = await import('../../scripts/gen-philox-wasm.js');
    const bytes = buildPhiloxWasm(bn);
    expect(readFileSync(ROOT + 'runtime/wasm-simd/philox-module.ts', 'utf8')).toBe(philoxModuleSource(bytes));
    expect(bytes.length).toBeLessThan(4096);
  }, 60_000);
});

describe('uniforms (rand) against randFill', () => {
  it('are bit-identical for every size (tails of 1..15 elements, odd block counts) and key, and write nothing past n', () => {
    const mod = standalone(8);
    for (const [seed, step, stream] of KEYS) {
      for (const n of SIZES) {
        const ref = Float32Array.from(randFill(seed, stream, n, step));
        expect(bitDiffs(drawn(mod, 'rand', n, seed, step, stream), ref), `n=${n} key=${seed},${step},${stream}`).toEqual([]);
      }
    }
  });

  it('are bit-identical over a million draws', () => {
    const mod = standalone(80);
    const n = (1 << 20) + 3;
    const ref = Float32Array.from(randFill(99, 0x80000001, n, 77));
    expect(bitDiffs(drawn(mod, 'rand', n, 99, 77, 0x80000001), ref)).toEqual([]);
  });
});

describe('normals (randn) against randnFill', () => {
  it('are bit-identical for every size and key, and write nothing past n', () => {
    const mod = standalone(8);
    for (const [seed, step, stream] of KEYS) {
      for (const n of SIZES) {
        const ref = Float32Array.from(randnFill(seed, stream, n, step));
        expect(bitDiffs(drawn(mod, 'randn', n, seed, step, stream), ref), `n=${n} key=${seed},${step},${stream}`).toEqual([]);
      }
    }
  });

  it('are bit-identical over 2.1 million draws (fdlibm log/sin/cos in f64x2: measured 0 differences)', () => {
    // The module ports V8's Math.log/sin/cos (fdlibm) operation for operation, so every float64
    // intermediate equals randnFill's and so does the float32 rounding: over these 2,097,160 draws
    // (4 keys) 0 differ. (A port checked in float64 against Math.* on all 2^24 possible u1 and u2
    // agreed everywhere; without rem_pio2's second reduction step it missed u2 = 1/4, 1/2, 3/4.)
    const mod = standalone(40);
    let diffs = 0;
    let count = 0;
    for (const [seed, step, stream] of KEYS.slice(2)) {
      const n = (1 << 19) + 2;
      const ref = Float32Array.from(randnFill(seed, stream, n, step));
      diffs += bitDiffs(drawn(mod, 'randn', n, seed, step, stream), ref).length;
      count += n;
    }
    expect(count).toBeGreaterThan(2_000_000);
    expect(diffs).toBe(0);
  });

  it('look normal: mean, variance and the fraction beyond 3σ of a million draws', () => {
    // An independent check of the transform (not only agreement with rng.ts): N(0, 1) moments.
    const mod = standalone(80);
    const n = 1 << 20;
    const z = drawn(mod, 'randn', n, 5, 6, 7);
    let s = 0;
    let s2 = 0;
    let tail = 0;
    for (const x of z) {
      s += x;
      s2 += x * x;
      if (Math.abs(x) > 3) tail++;
    }
    // Standard errors: mean 1/√n ≈ 0.001, variance √(2/n) ≈ 0.0014, P(|z| > 3) = 0.0027 ± 0.00005.
    expect(Math.abs(s / n)).toBeLessThan(0.005);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.007);
    expect(Math.abs(tail / n - 0.0027)).toBeLessThan(0.00025);
  });
});

describe('on tfjs-wasm', () => {
  /** A graph drawing rand [3, 5] and randn [1001] from the step key (input `rng`). */
  function randomGraph() {
    const b = new GraphBuilder();
    const key = b.input('rng', [2], 'rng');
    b.output('u', b.op('rand', [key], { shape: [3, 5], stream: 11 }), 'value');
    b.output('z', b.op('randn', [key], { shape: [1001], stream: 0x80000123 }), 'value');
    return b.build();
  }

  it('draws rand/randn in WASM by default, without binaryen, into backend tensors that equal rng.ts', async () => {
    await selectBackend('wasm');
    expect(wasmKernelCompilerLoaded()).toBe(false);
    const g = randomGraph();
    expect(wasmFusedRunners(g)).toHaveLength(2);
    const ex = new GraphExecutor(g);
    const before = wasmRandomDraws();
    const outs = ex.run(new Map([['rng', { shape: [2], data: Float32Array.of(3, 40) }]]));
    expect(wasmRandomDraws() - before).toBe(2);
    const u = outs.get(outputKey('value', 'u'))!;
    const z = outs.get(outputKey('value', 'z'))!;
    expect(u.shape).toEqual([3, 5]);
    expect(bitDiffs(u.dataSync() as Float32Array, Float32Array.from(randFill(3, 11, 15, 40)))).toEqual([]);
    expect(bitDiffs(z.dataSync() as Float32Array, Float32Array.from(randnFill(3, 0x80000123, 1001, 40)))).toEqual([]);
    for (const t of outs.values()) t.dispose();
    ex.dispose();
  });

  it('leaks no tensors over steps, and keeps drawing correctly after the heap grows', async () => {
    await selectBackend('wasm');
    const g = randomGraph();
    const ex = new GraphExecutor(g);
    const step = (s: number) => {
      const outs = ex.run(new Map([['rng', { shape: [2], data: Float32Array.of(9, s) }]]));
      const z = Float32Array.from(outs.get(outputKey('value', 'z'))!.dataSync() as Float32Array);
      for (const t of outs.values()) t.dispose();
      return z;
    };
    step(0);
    const before = tf.memory().numTensors;
    for (let s = 1; s <= 20; s++) step(s);
    expect(tf.memory().numTensors).toBe(before);
    const heap = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;
    const size0 = heap();
    const big = tf.zeros([Math.ceil(size0 / 4) + (1 << 20)]); // more than the whole heap: it must grow
    expect(bitDiffs(step(21), Float32Array.from(randnFill(9, 0x80000123, 1001, 21)))).toEqual([]);
    expect(heap()).toBeGreaterThan(size0);
    big.dispose();
    ex.dispose();
  });

  it('a Langevin run (mfld-2048, 3 steps) lands exactly where host-generated noise takes it, drawing in WASM each step', async () => {
    const path = ROOT + 'bench/workloads/mfld-2048.gd';
    const fr = front(path, readFileSync(path, 'utf8'), nodeFiles);
    expect(fr.checked).toBeTruthy();
    const run = () => runProgram(fr.checked!, { backend: 'wasm', seed: 4, steps: 3, outDir: null, compileStep: (item) => compileSolve(fr.checked!, item), host: nodeFiles });
    const before = wasmRandomDraws();
    const a = await run();
    expect(a.status).toBe('ok');
    // One [2048, 16] randn per step (the initializers' randn(seed: k) run before the step loop, on their own graphs).
    expect(wasmRandomDraws() - before).toBeGreaterThanOrEqual(3);
    setWasmRandom(false);
    try {
      const mid = wasmRandomDraws();
      const b = await run();
      expect(wasmRandomDraws()).toBe(mid);
      expect(b.status).toBe('ok');
      const ta = a.params['theta']!.data;
      const tb = b.params['theta']!.data;
      expect(ta.length).toBe(2048 * 16);
      expect(bitDiffs(Float32Array.from(ta), Float32Array.from(tb))).toEqual([]);
    } finally {
      setWasmRandom(true);
    }
    // The noise matters: another run seed (other noise, the same initial theta) moves theta elsewhere.
    const c = await runProgram(fr.checked!, { backend: 'wasm', seed: 5, steps: 3, outDir: null, compileStep: (item) => compileSolve(fr.checked!, item), host: nodeFiles });
    expect(bitDiffs(Float32Array.from(a.params['theta']!.data), Float32Array.from(c.params['theta']!.data)).length).toBeGreaterThan(1000);
  }, 120_000);
});
