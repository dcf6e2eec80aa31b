/** Executes an IR Graph with tfjs: one tf.tidy per call, outputs kept, every intermediate disposed. */
import * as tf from '@tensorflow/tfjs-core';
import { InternalError } from '../compiler/diagnostics/internal-error.js';
import type { Graph, OutputRole } from '../compiler/ir/ir.js';
import type { HostTensor } from './data/host-tensor.js';
import { kernelFor, type KernelContext } from './tfjs-kernels.js';

/** A value fed to a graph input: a device tensor the caller owns, or host data uploaded for this call. */
export type Feed = tf.Tensor | HostTensor;

/** The key under which an output is returned; names repeat across roles (objective `loss` and log item `loss`). */
export function outputKey(role: OutputRole, name: string): string {
  return `${role}:${name}`;
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
  private disposed = false;

  constructor(readonly graph: Graph) {}

  /**
   * Runs the graph. Every input must be fed by name. Returns one fresh tensor per output, keyed by
   * outputKey(role, name); the caller owns (and must dispose) them. Fed tensors are never disposed.
   */
  run(feeds: ReadonlyMap<string, Feed>): Map<string, tf.Tensor> {
    if (this.disposed) throw new InternalError('GraphExecutor used after dispose');
    const g = this.graph;
    const hostOf = new Map<tf.Tensor, Float32Array>();
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
      for (const e of g.eqns) {
        if (e.op === 'const') {
          let c = this.consts.get(e.out.id);
          if (!c) {
            c = tf.keep(kernelFor('const')([], e.attrs, e.out, ctx));
            this.consts.set(e.out.id, c);
          }
          env.set(e.out.id, c);
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

  /** Frees the kept constants. */
  dispose(): void {
    for (const c of this.consts.values()) c.dispose();
    this.consts.clear();
    this.disposed = true;
  }
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
