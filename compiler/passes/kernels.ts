/** The kernels a fused graph runs per step (read from the fusion pass's tags) and their `--dump fused` text. */
import type { Eqn, Graph, Shape } from '../ir/ir.js';
import { FUSED_ATTR } from './fuse.js';
import { InternalError } from '../diagnostics/internal-error.js';

export interface Kernel {
  /** Equation indices, in graph order. */
  readonly eqns: readonly number[];
  /** Whether the fusion pass made it (false: one op run by itself). */
  readonly fused: boolean;
  /** The largest shape any member computes: the kernel's iteration space. */
  readonly space: Shape;
  /** Values it reads from outside (graph inputs, constants, other kernels), by var id. */
  readonly reads: readonly number[];
  /** Values it leaves in memory (read by another kernel or a graph output), by var id. */
  readonly writes: readonly number[];
}

/** Ops that launch nothing at run time: constants are uploaded once; a reshape is a view of the same buffer. */
function isFree(e: Eqn): boolean {
  return e.op === 'const' || e.op === 'reshape';
}

const size = (s: Shape) => s.reduce((a, b) => a * b, 1);

/** The kernels of one step, in launch order (dependencies first): one per `fused` tag, plus one per untagged op that is not free. */
export function kernelsOf(g: Graph): Kernel[] {
  const byTag = new Map<number, number[]>();
  const order: (number | number[])[] = [];
  g.eqns.forEach((e, i) => {
    const tag = e.attrs[FUSED_ATTR];
    if (typeof tag === 'number') {
      let list = byTag.get(tag);
      if (!list) {
        list = [];
        byTag.set(tag, list);
        order.push(list);
      }
      list.push(i);
    } else if (!isFree(e)) order.push(i);
  });
  const consumers = new Map<number, number[]>();
  g.eqns.forEach((e, i) => e.inputs.forEach((v) => consumers.set(v.id, [...(consumers.get(v.id) ?? []), i])));
  const outputs = new Set(g.outputs.map((o) => o.var.id));
  const ks = order.map((o) => {
    const eqns = typeof o === 'number' ? [o] : o;
    const inK = new Set(eqns);
    const defined = new Set(eqns.map((i) => g.eqns[i]!.out.id));
    const reads = [...new Set(eqns.flatMap((i) => g.eqns[i]!.inputs.map((v) => v.id)))].filter((id) => !defined.has(id));
    const writes = eqns.map((i) => g.eqns[i]!.out.id).filter((id) => outputs.has(id) || (consumers.get(id) ?? []).some((c) => !inK.has(c)));
    let space: Shape = [];
    for (const i of eqns) {
      const e = g.eqns[i]!;
      for (const s of [e.out.shape, ...e.inputs.map((v) => v.shape)]) if (size(s) > size(space)) space = s;
    }
    return { eqns, fused: typeof o !== 'number', space, reads, writes };
  });
  return topological(g, ks);
}

/**
 * Kernels in an order where each runs after every kernel it reads from (Kahn's algorithm, ties by
 * first equation): graph order of first members is not enough when a kernel's later member reads a
 * kernel that starts after it. Free ops between them are views and need no slot.
 */
function topological(g: Graph, ks: Kernel[]): Kernel[] {
  const kernelOf = new Map<number, number>();
  ks.forEach((k, n) => k.eqns.forEach((i) => kernelOf.set(g.eqns[i]!.out.id, n)));
  const freeInputs = new Map<number, readonly number[]>();
  for (const e of g.eqns) if (!kernelOf.has(e.out.id)) freeInputs.set(e.out.id, e.inputs.map((v) => v.id));
  // The kernels a value comes from, looking through free ops (reshape of a kernel's output).
  const sources = (id: number, acc: Set<number>): Set<number> => {
    const k = kernelOf.get(id);
    if (k !== undefined) acc.add(k);
    else for (const x of freeInputs.get(id) ?? []) sources(x, acc);
    return acc;
  };
  const deps = ks.map((k, n) => {
    const acc = new Set<number>();
    for (const r of k.reads) sources(r, acc);
    acc.delete(n);
    return acc;
  });
  const done = new Set<number>();
  const out: Kernel[] = [];
  while (out.length < ks.length) {
    const next = ks.findIndex((_, n) => !done.has(n) && [...deps[n]!].every((d) => done.has(d)));
    if (next < 0) throw new InternalError('fused kernels depend on each other in a cycle');
    done.add(next);
    out.push(ks[next]!);
  }
  return out;
}

/**
 * The values left in memory by some kernel (or by a free op over a materialized value) whose shape
 * has two leading axes of the pair count of a `pairwise` site: with fusion, none.
 */
export function materializedPairTensors(g: Graph): { readonly site: string; readonly m: number; readonly vars: readonly number[] }[] {
  const sites = new Map<string, number>();
  for (const e of g.eqns) {
    const tag = e.attrs['pairwise'];
    if (tag !== undefined && tag !== null && e.op === 'reshape') sites.set(String(tag), e.out.shape[0] === 1 ? e.out.shape[1]! : e.out.shape[0]!);
  }
  const written = new Set(kernelsOf(g).flatMap((k) => k.writes));
  const shapeOf = new Map(g.eqns.map((e) => [e.out.id, e.out.shape] as const));
  return [...sites].map(([site, m]) => ({
    site,
    m,
    vars: [...written].filter((id) => {
      const s = shapeOf.get(id)!;
      return s.length >= 2 && s[0] === m && s[1] === m;
    }),
  }));
}

const shapeText = (s: Shape) => `[${s.join(',')}]`;

/** `--dump fused`: the kernel count and, per kernel, its ops, iteration space and memory traffic in values. */
export function printKernels(g: Graph): string {
  const ks = kernelsOf(g);
  const lines = [`kernels per step: ${ks.length} (${ks.filter((k) => k.fused).length} fused, ${g.eqns.length} equations)`];
  const shapeOf = new Map<number, Shape>([...g.inputs.map((i) => [i.var.id, i.var.shape] as const), ...g.eqns.map((e) => [e.out.id, e.out.shape] as const)]);
  ks.forEach((k, n) => {
    const ops = k.eqns.map((i) => g.eqns[i]!.op).join(' ');
    const io = (ids: readonly number[]) => ids.map((id) => shapeText(shapeOf.get(id)!)).join(' ');
    lines.push(`k${n}${k.fused ? ' fused' : ''} over ${shapeText(k.space)}: ${ops}`);
    if (k.fused) lines.push(`    reads ${io(k.reads) || 'nothing'}; writes ${io(k.writes) || 'nothing'}`);
  });
  for (const p of materializedPairTensors(g)) {
    lines.push(
      p.vars.length === 0
        ? `pairwise over ${p.m} particles: the [${p.m},${p.m}] pair tensor is never materialized`
        : `pairwise over ${p.m} particles: ${p.vars.length} pair tensor(s) materialized: ${p.vars.map((id) => shapeText(shapeOf.get(id)!)).join(' ')}`,
    );
  }
  return lines.join('\n');
}
