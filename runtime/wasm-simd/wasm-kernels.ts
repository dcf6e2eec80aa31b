/**
 * Runs qualifying fused kernels as generated WebAssembly SIMD modules (compiler/backends/wasm/) on
 * tfjs-wasm's own heap: each module imports the backend's WebAssembly.Memory, reads its inputs where
 * tfjs keeps them and writes into tensors allocated by the backend, so nothing is copied.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Graph } from '../../compiler/ir/ir.js';
import { kernelsOf, type Kernel } from '../../compiler/passes/kernels.js';
import { emitWasmKernel, planWasmKernel, type Binaryen, type WasmKernelPlan } from '../../compiler/backends/wasm/kernel-wasm.js';
import { sizeOf } from '../../compiler/ir/ops.js';
import type { FusedRunner } from '../executor.js';
import { RunnerPlacement } from '../fused/placement.js';
import { jsFusedRunners } from '../fused/js-kernels.js';
import { heapAddress, heapOutput, wasmHeap } from './wasm-heap.js';
import { wasmRandomRunners } from './wasm-random.js';

/**
 * Below this many elements op-by-op tfjs-wasm is already cheap and a module's call overhead (and
 * the second binaryen takes to load) does not pay; measured on mirror-simplex-1m (docs/benchmarks.md).
 */
export const MIN_WASM_SPACE = 1 << 16;

export interface WasmFusedOptions {
  readonly minSpace: number;
  /** Merge independent kernels over the same space into one pass (their shared reads are loaded once). */
  readonly merge: boolean;
}

const DEFAULTS: WasmFusedOptions = { minSpace: MIN_WASM_SPACE, merge: true };

let binaryen: Binaryen | null = null;

/**
 * Loads binaryen (one to a few seconds: the runtime does it only when some kernel qualifies, see
 * prepareWasmKernels). `load` replaces the plain import where a loader hook would make it slow
 * (bench/gd-side.ts under tsx, which rewrites the 15 MB module on every start).
 */
export async function loadWasmKernelCompiler(load: () => Promise<{ default: Binaryen }> = () => import('binaryen')): Promise<void> {
  binaryen ??= (await load()).default;
}

/** Whether binaryen is loaded (WASM kernels are built only then). */
export function wasmKernelCompilerLoaded(): boolean {
  return binaryen !== null;
}

/** Upstream sets of every equation (bitsets over equation indices), for the independence test of merged kernels. */
function upstreamSets(g: Graph): Uint32Array[] {
  const n = g.eqns.length;
  const words = (n + 31) >>> 5;
  const producer = new Map<number, number>();
  g.eqns.forEach((e, i) => producer.set(e.out.id, i));
  const up: Uint32Array[] = [];
  for (let i = 0; i < n; i++) {
    const b = new Uint32Array(words);
    for (const v of g.eqns[i]!.inputs) {
      const p = producer.get(v.id);
      if (p === undefined) continue;
      for (let w = 0; w < words; w++) b[w]! |= up[p]![w]!;
      b[p >>> 5]! |= 1 << (p & 31);
    }
    up.push(b);
  }
  return up;
}

interface Group {
  readonly kernels: Kernel[];
  readonly plan: WasmKernelPlan;
}

/**
 * The kernels of `g` to run as WASM modules, grouped: every fused kernel over at least `minSpace`
 * points that the backend can compile, with independent kernels over the same space merged (in the
 * mirror step the objective's dot(c, p) and the gradient pass both read p and c: one pass instead of
 * two). Pure planning, no binaryen.
 */
export function wasmKernelGroups(g: Graph, opts: WasmFusedOptions = DEFAULTS, exclude: ReadonlySet<number> = new Set()): Group[] {
  const up = opts.merge ? upstreamSets(g) : [];
  const dependsOn = (a: readonly number[], b: readonly number[]) => a.some((i) => b.some((j) => (up[i]![j >>> 5]! & (1 << (j & 31))) !== 0));
  const groups: Group[] = [];
  for (const k of kernelsOf(g)) {
    if (!k.fused || sizeOf(k.space) < opts.minSpace || k.eqns.some((i) => exclude.has(i))) continue;
    const alone = planWasmKernel(g, [k]);
    if (!alone) continue;
    let merged = false;
    if (opts.merge) {
      for (let n = 0; n < groups.length && !merged; n++) {
        const gr = groups[n]!;
        if (gr.plan.size !== alone.size) continue;
        const members = gr.plan.eqns;
        if (dependsOn(k.eqns, members) || dependsOn(members, k.eqns)) continue;
        const plan = planWasmKernel(g, [...gr.kernels, k]);
        if (!plan || placement(g, plan) === null) continue;
        groups[n] = { kernels: [...gr.kernels, k], plan };
        merged = true;
      }
    }
    if (!merged) groups.push({ kernels: [k], plan: alone });
  }
  // Groups are in kernel order (producers first); each is placed after the groups it reads from.
  const placed = new RunnerPlacement(g);
  return groups.filter((gr) => {
    const members = new Set(gr.plan.eqns);
    const at = placed.at(members, gr.plan.reads, gr.plan.writes);
    if (at !== null) placed.take(members, at);
    return at !== null;
  });
}

/** Where a group runs in a graph with no other runners (runtime/fused/placement.ts), or null when nowhere. */
function placement(g: Graph, plan: WasmKernelPlan): number | null {
  return new RunnerPlacement(g).at(new Set(plan.eqns), plan.reads, plan.writes);
}

/** Instances per (module, memory): a backend re-initialized by a test gets a new memory. */
interface Compiled {
  readonly module: WebAssembly.Module;
  instance: { memory: WebAssembly.Memory; fn: (...addrs: number[]) => void } | null;
}

/**
 * Compiled modules by what they compute (ops, attributes, wiring, sizes): a graph compiled again (the
 * same program run twice, a test's executors) reuses its modules, and V8's optimized code for them.
 */
const cache = new Map<string, Compiled>();
const CACHE_LIMIT = 256;

function cacheKey(g: Graph, plan: WasmKernelPlan): string {
  return JSON.stringify([
    plan.rows,
    plan.cols,
    plan.reads,
    plan.writes,
    plan.eqns.map((i) => {
      const e = g.eqns[i]!;
      return [e.op, e.out.id, e.inputs.map((v) => v.id), e.attrs, plan.kind.get(e.out.id), plan.phase.get(e.out.id)];
    }),
    plan.reads.map((id) => plan.kind.get(id)),
  ]);
}

function remember(key: string, module: WebAssembly.Module): Compiled {
  const c: Compiled = { module, instance: null };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, c);
  return c;
}

/**
 * The compiled module of a group: from the cache (prepareWasmKernels fills it asynchronously), else
 * compiled here synchronously — fine in Node and workers; a browser's main thread refuses synchronous
 * compiles over 4 KB, and then the group runs op by op (null).
 */
function compiledFor(bn: Binaryen, g: Graph, plan: WasmKernelPlan): Compiled | null {
  const key = cacheKey(g, plan);
  const hit = cache.get(key);
  if (hit) return hit;
  try {
    return remember(key, new WebAssembly.Module(emitWasmKernel(bn, g, plan) as Uint8Array<ArrayBuffer>));
  } catch {
    return null;
  }
}

/**
 * The runners for a graph on tfjs-wasm: WASM kernels for the qualifying groups (when binaryen is
 * loaded), plus the JS pairwise runners of runtime/fused/js-kernels.ts for kernels the WASM
 * backend does not take, and the WASM random runners (runtime/wasm-simd/wasm-random.ts). Without
 * binaryen: the JS and random runners; off tfjs-wasm: the JS runners alone.
 */
export function wasmFusedRunners(g: Graph, opts: WasmFusedOptions = DEFAULTS): FusedRunner[] {
  const js = [...jsFusedRunners(g), ...wasmRandomRunners(g)];
  const bn = binaryen;
  const heap = wasmHeap();
  if (!bn || !heap) return js;
  const placed = new RunnerPlacement(g);
  for (const r of js) placed.take(r.members, r.at);
  const taken = new Set(js.flatMap((r) => [...r.members]));
  const runners: FusedRunner[] = [...js];
  // Runners of one graph must not read each other's writes before they exist: each group goes after
  // its reads' producers, including the JS runners' (runtime/fused/placement.ts).
  for (const gr of wasmKernelGroups(g, opts, taken)) {
    const members = new Set(gr.plan.eqns);
    const at = placed.at(members, gr.plan.reads, gr.plan.writes);
    if (at === null) continue;
    const compiled = compiledFor(bn, g, gr.plan);
    if (!compiled) continue;
    const plan = gr.plan;
    placed.take(members, at);
    runners.push({
      members,
      at,
      run: (read) => runGroup(compiled, plan, read),
    });
  }
  return runners;
}

let calls = 0;

/** How many WASM kernel calls ran in this process (tests check that the default path takes them). */
export function wasmKernelCalls(): number {
  return calls;
}

/** Calls a compiled group on the current tensors: outputs are fresh backend tensors (tracked by the caller's tf.tidy). */
function runGroup(c: Compiled, plan: WasmKernelPlan, read: (id: number) => tf.Tensor): Map<number, tf.Tensor> {
  const heap = wasmHeap();
  if (!heap) throw new Error('a WASM fused kernel ran while tfjs-wasm is not the active backend');
  const { backend, memory } = heap;
  if (!c.instance || c.instance.memory !== memory) {
    const inst = new WebAssembly.Instance(c.module, { env: { memory } });
    c.instance = { memory, fn: inst.exports['k'] as (...addrs: number[]) => void };
  }
  const ins = plan.reads.map(read);
  // Allocating may grow the heap; addresses stay valid (only JS views detach), so they are taken after.
  const outs = plan.writeShapes.map((s) => heapOutput(backend, s));
  const addr = (t: tf.Tensor) => heapAddress(backend, t);
  c.instance.fn(...ins.map(addr), ...outs.map(addr));
  calls++;
  return new Map(plan.writes.map((id, w) => [id, outs[w]!] as const));
}

/**
 * Loads the kernel compiler when one of `graphs` has a kernel it would take on the active backend
 * (so `gd run` on small programs never pays for binaryen), and compiles those kernels asynchronously
 * (browsers allow only small synchronous compiles). Call before building executors.
 */
export async function prepareWasmKernels(graphs: readonly Graph[]): Promise<void> {
  if (!wasmHeap()) return;
  const work = graphs.map((g) => [g, wasmKernelGroups(g)] as const).filter(([, gs]) => gs.length > 0);
  if (work.length === 0) return;
  await loadWasmKernelCompiler();
  const bn = binaryen!;
  for (const [g, groups] of work) {
    for (const gr of groups) {
      const key = cacheKey(g, gr.plan);
      if (!cache.has(key)) remember(key, await WebAssembly.compile(emitWasmKernel(bn, g, gr.plan) as Uint8Array<ArrayBuffer>));
    }
  }
}
