/** Executes an IR Graph with tfjs: one tf.tidy per call, outputs kept, every intermediate disposed. */
import * as tf from '@tensorflow/tfjs-core';
import { InternalError } from '../compiler/diagnostics/internal-error.js';
import type { Eqn, Graph, OutputRole, Shape } from '../compiler/ir/ir.js';
import { OPS, broadcastShapes, sameShape } from '../compiler/ir/ops.js';
import type { HostTensor } from './data/host-tensor.js';
import { kernelFor, type KernelContext } from './tfjs-kernels.js';
import { jsFusedRunners } from './fused/js-kernels.js';
import { wasmFusedRunners } from './wasm-simd/wasm-kernels.js';
import { webgpuFusedRunners } from './webgpu/fused-runners.js';

/** A value fed to a graph input: a device tensor the caller owns, or host data uploaded for this call. */
export type Feed = tf.Tensor | HostTensor;

/** The key under which an output is returned; names repeat across roles (objective `loss` and log item `loss`). */
export function outputKey(role: OutputRole, name: string): string {
  return `${role}:${name}`;
}

/**
 * A fused kernel the executor runs as one call (runtime/fused/js-kernels.ts): its member equations are
 * skipped, and just before equation `at` it reads values by var id and returns its writes by var id.
 */
export interface FusedRunner {
  readonly members: ReadonlySet<number>;
  readonly at: number;
  readonly run: (read: (id: number) => tf.Tensor) => Map<number, tf.Tensor>;
}

// On by default: runtime/fused/js-kernels.ts picks only kernels where fusion removes large intermediates.
// On webgpu, generated WGSL (runtime/webgpu/fused-runners.ts) for every compilable fused kernel and random op.
// On wasm, generated WASM SIMD kernels on tfjs-wasm's heap (runtime/wasm-simd/wasm-kernels.ts) plus the JS pairwise ones.
let fusedRunners: ((g: Graph) => FusedRunner[]) | null = (g) =>
  tf.getBackend() === 'webgpu' ? webgpuFusedRunners(g) : tf.getBackend() === 'wasm' ? wasmFusedRunners(g) : jsFusedRunners(g);

/** Installs the provider of fused-kernel runners (null: every equation op by op). */
export function setFusedRunners(provider: ((g: Graph) => FusedRunner[]) | null): void {
  fusedRunners = provider;
}

function isHost(f: Feed): f is HostTensor {
  return !(f instanceof tf.Tensor);
}

/**
 * A graph ready to run repeatedly. Constants are uploaded once and kept across calls (so a step
 * loop allocates nothing that outlives the step); `dispose` frees them.
 */
export class GraphExecutor {
  private readonly consts = new Map<number, tf.Tensor>();
  private readonly constHost = new Map<tf.Tensor, Float32Array>();
  private disposed = false;
  /** broadcast_to equations skipped because every consumer broadcasts by itself (see elidableBroadcasts). */
  private readonly elided: ReadonlySet<number>;

  /** Fused kernels run as one call, by the index of the equation before which each runs. */
  private readonly runners: ReadonlyMap<number, readonly FusedRunner[]>;
  private readonly skipped: ReadonlySet<number>;
  private readonly constEqns: ReadonlyMap<number, Eqn>;

  /** `fused: false` runs every equation as its tfjs kernel, whatever provider is installed (`gd run --no-fuse`). */
  constructor(
    readonly graph: Graph,
    opts: { readonly fused?: boolean } = {},
  ) {
    this.elided = elidableBroadcasts(graph);
    // Unfused on webgpu still takes its small linear algebra as WGSL: the host routines of the other
    // backends would need a synchronous read-back, which Dawn under Node does not have.
    const unfused = () => (tf.getBackend() === 'webgpu' ? webgpuFusedRunners(graph, { fuse: false, deviceRandom: false }) : []);
    const rs = opts.fused === false ? unfused() : fusedRunners ? fusedRunners(graph) : [];
    const byAt = new Map<number, FusedRunner[]>();
    for (const r of rs) byAt.set(r.at, [...(byAt.get(r.at) ?? []), r]);
    this.runners = byAt;
    this.skipped = new Set(rs.flatMap((r) => [...r.members]));
    this.constEqns = new Map(graph.eqns.filter((e) => e.op === 'const').map((e) => [e.out.id, e]));
  }

  /**
   * Runs the graph. Every input must be fed by name. Returns one fresh tensor per output, keyed by
   * outputKey(role, name); the caller owns (and must dispose) them. Fed tensors are never disposed.
   */
  run(feeds: ReadonlyMap<string, Feed>): Map<string, tf.Tensor> {
    if (this.disposed) throw new InternalError('GraphExecutor used after dispose');
    const g = this.graph;
    const hostOf = new Map<tf.Tensor, Float32Array>(this.constHost);
    const ctx: KernelContext = {
      hostValues: (t) => hostOf.get(t) ?? (t.dataSync() as Float32Array),
    };
    const result = tf.tidy(() => {
      const env = new Map<number, tf.Tensor>();
      const owned = new Set<tf.Tensor>();
      for (const inp of g.inputs) {
        const f = feeds.get(inp.name);
        if (f === undefined) throw new InternalError(`no value fed for graph input '${inp.name}' (${inp.role})`);
        const shape = isHost(f) ? f.shape : f.shape;
        if (shape.length !== inp.var.shape.length || shape.some((d, i) => d !== inp.var.shape[i])) {
          throw new InternalError(`input '${inp.name}' fed shape [${shape.join(',')}], graph expects [${inp.var.shape.join(',')}]`);
        }
        if (isHost(f)) {
          const t = tf.tensor(f.data, [...f.shape], 'float32');
          hostOf.set(t, f.data);
          env.set(inp.var.id, t);
        } else {
          env.set(inp.var.id, f);
        }
      }
      for (const [i, e] of g.eqns.entries()) {
        // A fused runner may read a constant defined later in the graph (constants are free to hoist).
        const read = (id: number) => env.get(id) ?? this.constant(this.constEqns.get(id)!, ctx);
        for (const runner of this.runners.get(i) ?? []) for (const [id, t] of runner.run(read)) env.set(id, t);
        if (this.skipped.has(i)) continue;
        if (this.elided.has(e.out.id)) {
          env.set(e.out.id, env.get(e.inputs[0]!.id)!);
          continue;
        }
        if (e.op === 'const') {
          env.set(e.out.id, this.constant(e, ctx));
          continue;
        }
        const ins = e.inputs.map((v) => {
          const t = env.get(v.id);
          if (!t) throw new InternalError(`var %${v.id} used before definition`);
          return t;
        });
        const out = kernelFor(e.op)(ins, e.attrs, e.out, ctx);
        env.set(e.out.id, out);
      }
      const outs: tf.Tensor[] = [];
      for (const o of g.outputs) {
        let t = env.get(o.var.id);
        if (!t) throw new InternalError(`output '${o.name}' is undefined`);
        // Each output gets its own handle: an output may alias a fed tensor, a kept constant or another output.
        if (owned.has(t) || this.consts.has(o.var.id) || [...feeds.values()].includes(t)) t = tf.clone(t);
        owned.add(t);
        outs.push(t);
      }
      return outs;
    });
    const map = new Map<string, tf.Tensor>();
    g.outputs.forEach((o, i) => map.set(outputKey(o.role, o.name), result[i]!));
    return map;
  }

  /** The uploaded constant of a const equation, created on first use and kept across calls. */
  private constant(e: Eqn, ctx: KernelContext): tf.Tensor {
    let c = this.consts.get(e.out.id);
    if (!c) {
      c = tf.keep(kernelFor('const')([], e.attrs, e.out, ctx));
      this.consts.set(e.out.id, c);
      // Small literal constants (an initializer's rng key [seed, 0]) stay readable on the host.
      const lit = e.attrs['tensor'];
      if (Array.isArray(lit) && lit.length <= 16) this.constHost.set(c, Float32Array.from(lit as number[]));
    }
    return c;
  }

  /** Frees the kept constants. */
  dispose(): void {
    for (const c of this.consts.values()) c.dispose();
    this.consts.clear();
    this.constHost.clear();
    this.disposed = true;
  }
}

/**
 * The broadcast_to equations whose output feeds only ops that broadcast their inputs themselves
 * (binary elementwise ops and where) and is not a graph output, and whose consumers still produce
 * their declared shapes from the un-broadcast value. Materializing such a broadcast is pure cost (on
 * tfjs-wasm a [512, 1] -> [512, 1024] broadcast costs more than the multiply that uses it).
 */
export function elidableBroadcasts(g: Graph): Set<number> {
  const selfBroadcasting = (op: string) => OPS[op as keyof typeof OPS].category === 'binary' || op === 'where';
  const outputs = new Set(g.outputs.map((o) => o.var.id));
  const cand = new Set<number>();
  const source = new Map<number, Shape>();
  for (const e of g.eqns) {
    if (e.op !== 'broadcast_to' || outputs.has(e.out.id)) continue;
    const users = g.eqns.filter((u) => u.inputs.some((v) => v.id === e.out.id));
    if (users.length > 0 && users.every((u) => selfBroadcasting(u.op))) {
      cand.add(e.out.id);
      source.set(e.out.id, e.inputs[0]!.shape);
    }
  }
  // Dropping a candidate only makes shapes larger, so repeat until every consumer's shape checks.
  for (let changed = true; changed; ) {
    changed = false;
    const shapeOf = (id: number, declared: Shape): Shape => (cand.has(id) ? source.get(id)! : declared);
    for (const u of g.eqns) {
      if (!selfBroadcasting(u.op) || !u.inputs.some((v) => cand.has(v.id))) continue;
      const s = u.inputs.map((v) => shapeOf(v.id, v.shape)).reduce((a, b) => broadcastShapes(a, b));
      if (!sameShape(s, u.out.shape)) {
        for (const v of u.inputs) if (cand.delete(v.id)) changed = true;
      }
    }
  }
  return cand;
}

/** Runs a graph once and returns its outputs as host arrays (tests, initializers); disposes everything. */
export async function runGraphOnce(g: Graph, feeds: ReadonlyMap<string, Feed>): Promise<Map<string, HostTensor>> {
  const ex = new GraphExecutor(g);
  try {
    const outs = ex.run(feeds);
    const res = new Map<string, HostTensor>();
    for (const [k, t] of outs) {
      res.set(k, { shape: [...t.shape], data: (await t.data()) as Float32Array });
      t.dispose();
    }
    return res;
  } finally {
    ex.dispose();
  }
}
