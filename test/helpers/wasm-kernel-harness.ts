/** Runs a compiled WASM kernel module (compiler/backends/wasm) in a memory of its own, and compares runs: shared by the WASM kernel tests. */
import type { Graph, Shape } from '../../compiler/ir/ir.js';
import { sizeOf } from '../../compiler/ir/ops.js';
import type { WasmKernelPlan } from '../../compiler/backends/wasm/kernel-wasm.js';
import type { Kernel } from '../../compiler/passes/kernels.js';

/** Every equation of `g` but constants as one kernel over `space`, writing the graph's outputs (reads as kernelsOf computes them). */
export function wholeKernel(g: Graph, space: Shape): Kernel {
  const eqns = g.eqns.flatMap((e, i) => (e.op === 'const' ? [] : [i]));
  const defined = new Set(eqns.map((i) => g.eqns[i]!.out.id));
  const reads = [...new Set(eqns.flatMap((i) => g.eqns[i]!.inputs.map((v) => v.id)))].filter((id) => !defined.has(id));
  return { eqns, fused: true, space, reads, writes: g.outputs.map((o) => o.var.id) };
}

/**
 * Calls `mod` (built for `plan`) on fresh buffers: each starts 4 bytes past a 16-byte boundary (loads
 * and stores need no alignment) with 36 bytes between buffers; reads hold `value(id)`, writes are
 * prefilled with 7777 so an element the kernel never wrote shows. Returns every write by var id.
 */
export function runInOwnMemory(mod: WebAssembly.Module, g: Graph, plan: WasmKernelPlan, value: (id: number) => ArrayLike<number>): Map<number, Float32Array> {
  const shapeOf = new Map<number, Shape>([...g.inputs.map((i) => [i.var.id, i.var.shape] as const), ...g.eqns.map((e) => [e.out.id, e.out.shape] as const)]);
  const ids = [...plan.reads, ...plan.writes];
  const addrs: number[] = [];
  let top = 20;
  for (const id of ids) {
    addrs.push(top);
    top += 4 * sizeOf(shapeOf.get(id)!) + 36;
  }
  const memory = new WebAssembly.Memory({ initial: Math.ceil(top / 65536) + 1 });
  const view = (k: number) => new Float32Array(memory.buffer, addrs[k]!, sizeOf(shapeOf.get(ids[k]!)!));
  plan.reads.forEach((id, k) => view(k).set(Float32Array.from(value(id))));
  plan.writes.forEach((_, w) => view(plan.reads.length + w).fill(7777));
  (new WebAssembly.Instance(mod, { env: { memory } }).exports['k'] as (...a: number[]) => void)(...addrs);
  return new Map(plan.writes.map((id, w) => [id, Float32Array.from(view(plan.reads.length + w))] as const));
}

/** The largest |a − b| and the largest |b| (the scale a tolerance is relative to). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): { worst: number; scale: number } {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return { worst, scale };
}
