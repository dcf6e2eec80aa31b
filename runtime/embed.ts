/**
 * `gdlang/runtime`: the small library that modules emitted by `gd compile --emit ts` import beside tfjs-core.
 *
 * The op helpers call the very kernels `gd run` uses (runtime/tfjs-kernels.ts), and random fills use the
 * same counter-based generator (compiler/ir/rng.ts), so an emitted module reproduces `gd run` bit for bit
 * on the same backend and seed. Nothing here is Node-only: reading a data file from a `file:` URL imports
 * the Node file system lazily (runtime/embed-files.ts), so a bundle for the browser never pulls it in.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Attrs, Var } from '../compiler/ir/ir.js';
import { randFill, randnFill } from '../compiler/ir/rng.js';
import { KERNELS, type KernelContext } from './tfjs-kernels.js';
import { fitShape, formatOf, parseData, type DataFormat } from './data/load.js';
import { RuntimeFault } from './faults.js';

export { randFill, randnFill } from '../compiler/ir/rng.js';
export { Batcher, BATCH_STREAM, batchGroupKey, permutation } from './data/batches.js';
export type { DataFormat } from './data/load.js';

/** A random key: (seed, global step), as a pair of numbers or a [2] tensor (read back when it is one). */
export type RngKey = readonly [number, number] | tf.Tensor;

/** The context kernels get here: every small tensor is read back directly (only rng keys are asked for). */
const readBack: KernelContext = { hostValues: (t) => t.dataSync() as Float32Array };

/** A Var standing for a kernel's output shape (kernels read only `shape`). */
const out = (shape: readonly number[]): Var => ({ id: -1, shape });

const run = (op: keyof typeof KERNELS, xs: readonly tf.Tensor[], attrs: Attrs, shape: readonly number[]): tf.Tensor =>
  KERNELS[op](xs, attrs, out(shape), readBack);

/** The key's two numbers as the graph sees them (float32, as the runtime feeds them). */
function keyOf(key: RngKey): [number, number] {
  if (key instanceof tf.Tensor) {
    const d = key.dataSync();
    return [d[0]!, d[1]!];
  }
  return [Math.fround(key[0]), Math.fround(key[1])];
}

/** Standard normals of `shape` for (key, stream): the IR's `randn`. */
export function randn(key: RngKey, shape: readonly number[], stream: number): tf.Tensor {
  const [seed, step] = keyOf(key);
  return tf.tensor(Float32Array.from(randnFill(seed, stream, sizeOf(shape), step)), [...shape], 'float32');
}

/** Uniforms in [0, 1) of `shape` for (key, stream): the IR's `rand`. */
export function rand(key: RngKey, shape: readonly number[], stream: number): tf.Tensor {
  const [seed, step] = keyOf(key);
  return tf.tensor(Float32Array.from(randFill(seed, stream, sizeOf(shape), step)), [...shape], 'float32');
}

/**
 * a (ᵀ) @ b (ᵀ): the runtime's matmul, which on tfjs-wasm materializes transposes and gives right
 * operands their own memory (tfjs-wasm 4.22 corrupts its heap when two views of one buffer are right operands).
 */
export function matMul(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor {
  const m = transposeA ? a.shape[1]! : a.shape[0]!;
  const n = transposeB ? b.shape[0]! : b.shape[1]!;
  return run('matmul', [a, b], { transposeA, transposeB }, [m, n]);
}

/** tanh: the runtime's (on tfjs-wasm a vectorized 2·sigmoid(2x) − 1 with a Taylor polynomial near 0). */
export function tanh(x: tf.Tensor): tf.Tensor {
  return run('tanh', [x], {}, x.shape);
}

/** `where(cond, a, b)` with the condition read as cond != 0, broadcast to `shape`. */
export function where(cond: tf.Tensor, a: tf.Tensor, b: tf.Tensor, shape: readonly number[]): tf.Tensor {
  return run('where', [cond, a, b], {}, shape);
}

/** Strided slice with absolute bounds (end -1 with a negative stride means "past index 0"), reshaped to `shape`. */
export function slice(x: tf.Tensor, begin: readonly number[], end: readonly number[], strides: readonly number[], shape: readonly number[]): tf.Tensor {
  return run('slice', [x], { begin, end, strides }, shape);
}

/** The inverse of a strided slice: zeros of `shape` with x scattered at begin + k*stride. */
export function pad(x: tf.Tensor, shape: readonly number[], begin: readonly number[], strides: readonly number[]): tf.Tensor {
  return run('pad', [x], { shape, begin, strides }, shape);
}

/** Values sorted along `axis`. */
export function sort(x: tf.Tensor, axis: number, descending: boolean): tf.Tensor {
  return run('sort', [x], { axis, descending }, x.shape);
}

/** One-hot rows of `depth` (indices that are not integers in [0, depth) give zero rows), shaped `shape`. */
export function oneHot(x: tf.Tensor, depth: number, shape: readonly number[]): tf.Tensor {
  return run('one_hot', [x], { depth }, shape);
}

/** Euclidean projection of each last-axis row onto the probability simplex. */
export function projSimplex(x: tf.Tensor): tf.Tensor {
  return run('proj_simplex', [x], {}, x.shape);
}

/** Inverse of a small square matrix (float64 on the host). */
export function inv(a: tf.Tensor): tf.Tensor {
  return run('inv', [a], {}, a.shape);
}

/** log |det a| of a small square matrix (float64 on the host). */
export function logdet(a: tf.Tensor): tf.Tensor {
  return run('logdet', [a], {}, []);
}

/** The solution x of a x = b (float64 on the host). */
export function solve(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return run('solve', [a, b], {}, b.shape);
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

// ── initial values ─────────────────────────────────────────────────────────

/** `uniform`: 1/k along the last axis (the simplex's centre). */
export function uniform(shape: readonly number[]): tf.Tensor {
  const k = shape.length === 0 ? 1 : shape[shape.length - 1]!;
  return tf.fill([...shape], 1 / k, 'float32');
}

/** `one_hot(i, k)` with constant arguments, as an initializer. */
export function unitVector(i: number, k: number): tf.Tensor {
  const d = new Float32Array(k);
  if (Number.isInteger(i) && i >= 0 && i < k) d[i] = 1;
  return tf.tensor(d, [k], 'float32');
}

/** An initializer's value fitted to the declared shape (scalars and broadcastable values fill it). */
export function fit(v: tf.Tensor, shape: readonly number[], name: string): tf.Tensor {
  if (v.shape.length === shape.length && v.shape.every((d, i) => d === shape[i])) return v;
  try {
    return tf.tidy(() => tf.broadcastTo(v, [...shape]));
  } catch {
    throw new Error(`the initializer of '${name}' has shape [${v.shape.join(', ')}], declared [${shape.join(', ')}]`);
  } finally {
    v.dispose();
  }
}

// ── data ───────────────────────────────────────────────────────────────────

/**
 * The values of a `load(...)` data symbol: `supplied` when the embedder passed them (checked against the
 * declared size), else the file at `url` (file:, http:, https: or data: URLs), parsed and shape-checked as `gd run` does.
 */
export async function loadData(name: string, url: URL, shape: readonly number[], format: DataFormat | null, supplied?: Float32Array | readonly number[]): Promise<tf.Tensor> {
  if (supplied !== undefined) {
    const data = Float32Array.from(supplied);
    if (data.length !== sizeOf(shape)) throw new Error(`data '${name}': ${data.length} values supplied, declared shape [${shape.join(', ')}] holds ${sizeOf(shape)}`);
    return tf.tensor(data, [...shape], 'float32');
  }
  const fmt = format ?? formatOf(url.pathname);
  if (!fmt) throw new Error(`data '${name}': cannot tell the format of ${url.href} (expected .csv, .json or .npy)`);
  let bytes: Uint8Array;
  if (url.protocol === 'file:') {
    const files = await import('./embed-files.js');
    bytes = await files.readFileUrl(url);
  } else {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`data '${name}': cannot fetch ${url.href} (${res.status})`);
    bytes = new Uint8Array(await res.arrayBuffer());
  }
  try {
    const h = fitShape(parseData(bytes, fmt, url.href), shape, name, url.href);
    return tf.tensor(h.data, [...h.shape], 'float32');
  } catch (e) {
    // Loader faults carry a diagnostic; the embedder gets a plain Error with its message.
    if (e instanceof RuntimeFault) throw new Error(`data '${name}': ${e.diagnostic.message}`);
    throw e;
  }
}

// ── run state ──────────────────────────────────────────────────────────────

/** One log row: `step` (global steps done) and each logged item by its display name. */
export type LogRecord = Record<string, number | number[]>;

/** A logged value read back: a number for a scalar, else the row-major values. */
export function logValue(t: tf.Tensor): number | number[] {
  const d = t.dataSync();
  return t.shape.length === 0 ? d[0]! : Array.from(d);
}

/** A log row with `step` first and the items in the order given (Object.fromEntries keeps `__proto__` an own key). */
export function logRow(step: number, items: readonly (readonly [string, tf.Tensor])[]): LogRecord {
  return Object.fromEntries<number | number[]>([['step', step], ...items.map(([k, v]) => [k, logValue(v)] as const)]);
}

/** Disposes every tensor of an object of tensors or an array of [name, tensor] pairs. */
export function disposeAll(x: Readonly<Record<string, tf.Tensor | readonly (readonly [string, tf.Tensor])[]>>): void {
  for (const v of Object.values(x)) {
    if (v instanceof tf.Tensor) v.dispose();
    else for (const [, t] of v) t.dispose();
  }
}

/**
 * The device state of a running program: data, params and particles (`values`), optimizer state
 * (`slots`), prune masks, and the minibatch row indices of the current step. Tensors here are owned by
 * the state and disposed when replaced.
 */
export class State {
  readonly values = new Map<string, tf.Tensor>();
  readonly slots = new Map<string, tf.Tensor>();
  readonly masks = new Map<string, tf.Tensor>();
  /** Row indices ([batch, 1] int32) of the inputs fed as gathered rows in the current step, by name. */
  private readonly gathered = new Map<string, tf.Tensor>();
  private readonly rowIndex = new Map<object, tf.Tensor>();

  /** A data, param or particles value. */
  value(name: string): tf.Tensor {
    const v = this.values.get(name);
    if (!v) throw new Error(`'${name}' has no value`);
    return v;
  }

  /** An optimizer state slot `<target>.<slot>`. */
  slot(name: string): tf.Tensor {
    const v = this.slots.get(name);
    if (!v) throw new Error(`no optimizer state '${name}'`);
    return v;
  }

  /** A prune mask, or ones when the param was never pruned. */
  mask(name: string, shape: readonly number[]): tf.Tensor {
    const m = this.masks.get(name);
    if (m) return m;
    const ones = tf.ones([...shape], 'float32');
    this.gathered.set(`\u0000ones:${name}`, ones);
    return ones;
  }

  /** The rows of the current minibatch of `name` (a batched data or a `per` param, or its state). */
  rows(name: string, batch: { readonly batch: number; rowsOf(): Int32Array }, full: tf.Tensor): tf.Tensor {
    let idx = this.rowIndex.get(batch);
    if (!idx) {
      idx = tf.tensor2d(batch.rowsOf(), [batch.batch, 1], 'int32');
      this.rowIndex.set(batch, idx);
    }
    const r = tf.gatherND(full, idx);
    this.gathered.set(name, idx);
    this.gathered.set(`\u0000rows:${name}`, r);
    return r;
  }

  /** The `<param>.rows` input of a `state: dense` step: the current minibatch's row indices as floats [batch]. */
  rowNumbers(name: string, batch: { readonly batch: number; rowsOf(): Int32Array }): tf.Tensor {
    const r = tf.tensor1d(Float32Array.from(batch.rowsOf()), 'float32');
    this.gathered.set(`\u0000rowNumbers:${name}`, r);
    return r;
  }

  /** Starts a solve: fresh optimizer state (as a new torch optimizer would). */
  startSolve(slots: readonly (readonly [string, readonly number[], number])[]): void {
    for (const s of this.slots.values()) s.dispose();
    this.slots.clear();
    for (const [name, shape, init] of slots) this.slots.set(name, tf.fill([...shape], init, 'float32'));
  }

  /**
   * Commits one step's updates: scatters per-row updates back, applies prune masks, checks the objective
   * and every updated target for NaN/Inf (throwing, with nothing committed), then replaces the old values.
   */
  commit(globalStep: number, objectiveName: string, objective: tf.Tensor, updates: readonly (readonly [string, tf.Tensor])[], targets: readonly string[]): void {
    const done = new Map<string, tf.Tensor>();
    for (const [name, u] of updates) {
      let v = u;
      const idx = this.gathered.get(name);
      if (idx) {
        v = tf.tensorScatterUpdate(this.slots.get(name) ?? this.value(name), idx, u);
        u.dispose();
      }
      const mask = this.masks.get(name);
      if (mask && !this.slots.has(name)) {
        const masked = tf.mul(v, mask);
        v.dispose();
        v = masked;
      }
      done.set(name, v);
    }
    this.endStep();
    const watched = [...done].filter(([n]) => targets.includes(n));
    const probe = tf.tidy(() => tf.addN([...watched.map(([, v]) => tf.sum(tf.mul(v, 0))), tf.reshape(objective, [])]));
    const ok = Number.isFinite(probe.dataSync()[0]!);
    probe.dispose();
    if (!ok) {
      const obj = objective.dataSync()[0]!;
      let what = `objective '${objectiveName}' is ${obj}`;
      for (const [n, v] of watched) {
        const bad = Array.from(v.dataSync()).find((x) => !Number.isFinite(x));
        if (Number.isFinite(obj) && bad !== undefined) {
          what = `param '${n}' has ${bad}`;
          break;
        }
      }
      for (const v of done.values()) v.dispose();
      objective.dispose();
      throw new Error(`non-finite value at step ${globalStep + 1}: ${what}`);
    }
    objective.dispose();
    for (const [n, v] of done) this.replace(this.slots.has(n) ? this.slots : this.values, n, v);
  }

  /** Frees the per-step scratch (gathered rows and their indices, default masks). */
  endStep(): void {
    for (const [k, t] of this.gathered) if (k.startsWith('\u0000')) t.dispose();
    this.gathered.clear();
    for (const t of this.rowIndex.values()) t.dispose();
    this.rowIndex.clear();
  }

  /** `prune W keep ...`: a persistent mask keeping the `keep` largest |W| entries (ties: lower index first). */
  prune(name: string, keep: number): void {
    const w = this.value(name);
    const h = w.dataSync();
    const n = h.length;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => Math.abs(h[b]!) - Math.abs(h[a]!) || a - b);
    const mask = new Float32Array(n);
    for (let i = 0; i < Math.max(0, Math.min(n, keep)); i++) mask[order[i]!] = 1;
    const prev = this.masks.get(name);
    const m = tf.tidy(() => {
      const fresh = tf.tensor(mask, [...w.shape], 'float32');
      return prev ? tf.mul(prev, fresh) : fresh;
    });
    this.replace(this.masks, name, m);
    this.replace(this.values, name, tf.mul(w, m));
  }

  /** `init x from EXPR`: sets a value (broadcast to its shape, masked when pruned). */
  set(name: string, v: tf.Tensor, shape: readonly number[]): void {
    const t = tf.tidy(() => tf.broadcastTo(v, [...shape]));
    v.dispose();
    const mask = this.masks.get(name);
    if (mask) {
      this.replace(this.values, name, tf.tidy(() => tf.mul(t, mask)));
      t.dispose();
    } else this.replace(this.values, name, t);
  }

  /** Host copies of the named values. */
  read(names: readonly string[]): Record<string, Float32Array> {
    return Object.fromEntries(names.map((n) => [n, Float32Array.from(this.value(n).dataSync())]));
  }

  private replace(m: Map<string, tf.Tensor>, name: string, t: tf.Tensor): void {
    const old = m.get(name);
    m.set(name, t);
    if (old && old !== t) old.dispose();
  }

  /** Frees everything. */
  dispose(): void {
    this.endStep();
    for (const m of [this.values, this.slots, this.masks]) {
      for (const t of m.values()) t.dispose();
      m.clear();
    }
  }
}

// ── options ────────────────────────────────────────────────────────────────

/** Seeded or run-seeded `randn`/`rand` initializers: the fill `gd run` makes at step 0 for (seed, stream). */
export function randomInit(kind: 'randn' | 'rand', seed: number, stream: number, shape: readonly number[]): tf.Tensor {
  const n = sizeOf(shape);
  const vals = kind === 'randn' ? randnFill(seed, stream, n, 0) : randFill(seed, stream, n, 0);
  return tf.tensor(Float32Array.from(vals), [...shape], 'float32');
}

/** The values the embedder supplied for data `name` (an own key of `data` only), or undefined. */
export function supplied(data: Readonly<Record<string, Float32Array | readonly number[]>> | undefined, name: string): Float32Array | readonly number[] | undefined {
  return data !== undefined && Object.hasOwn(data, name) ? data[name] : undefined;
}

/**
 * The URL a `load(...)` path is read from: against `base` when given, else against the page (browser) or
 * the current folder (Node) — the folder `gd run` was started from, since paths are written relative to it.
 */
export function dataUrl(path: string, base?: string | URL): URL {
  // Each segment is percent-encoded, so quotes, backslashes, '%', '?' and '#' stay part of the file name.
  const rel = path.split('/').map(encodeURIComponent).join('/');
  if (path.startsWith('/')) return new URL(`file://${rel}`);
  if (base !== undefined) return new URL(rel, base);
  const g = globalThis as { location?: { href: string }; process?: { cwd(): string } };
  if (g.location) return new URL(rel, g.location.href);
  const cwd = (g.process?.cwd() ?? '/').split('/').map(encodeURIComponent).join('/');
  return new URL(rel, `file://${cwd.endsWith('/') ? cwd : `${cwd}/`}`);
}

/**
 * Reads `overrides`: `steps` replaces every solve's step count (and `until` cap), as `gd run --steps`;
 * dims and consts are compiled in, so naming one with a value other than the compiled one is an error.
 */
export function stepsOverride(overrides: Readonly<Record<string, number>> | undefined, compiled: readonly (readonly [string, number])[]): number | undefined {
  if (overrides === undefined) return undefined;
  let steps: number | undefined;
  for (const [k, v] of Object.entries(overrides)) {
    if (k === 'steps') {
      if (!Number.isInteger(v) || v < 0) throw new Error(`overrides.steps must be a non-negative integer, got ${v}`);
      steps = v;
      continue;
    }
    const c = compiled.find(([n]) => n === k);
    if (!c) throw new Error(`unknown override '${k}' (expected 'steps' or one of the program's dims and consts)`);
    if (c[1] !== v) throw new Error(`'${k}' is compiled in as ${c[1]}; recompile with gd compile --set ${k}=${v} --emit ts`);
  }
  return steps;
}

/** The named values as tensors (own keys, `__proto__` included). */
export function tensors(state: State, names: readonly string[]): Readonly<Record<string, tf.Tensor>> {
  return Object.fromEntries(names.map((n) => [n, state.value(n)]));
}
