/** Fusion: groups elementwise chains (with broadcasting) and their reductions into kernels, tagging each member `fused: <kernel>`. */
import type { Eqn, Graph } from '../ir/ir.js';
import { OPS, sizeOf } from '../ir/ops.js';

/** The attribute that names an equation's fused kernel (dense ids in graph order; only groups of two or more). */
export const FUSED_ATTR = 'fused';

/**
 * A reduction over at most this many elements per output point is "inner": a kernel computes it in
 * registers at each point of its iteration space, so its consumers may stay in the same kernel (the
 * `sum(d^2)` over the d = 2 coordinates inside a pairwise body). Wider reductions end their kernel.
 */
export const INNER_REDUCTION_LIMIT = 32;

/** Whether a reshape only inserts or drops axes of size 1: a pure re-indexing a kernel can absorb. */
export function isUnitReshape(e: Eqn): boolean {
  if (e.op !== 'reshape') return false;
  const a = e.inputs[0]!.shape.filter((d) => d !== 1);
  const b = e.out.shape.filter((d) => d !== 1);
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Ops evaluated point by point over a (broadcast) iteration space: the body of a fused kernel. */
export function isPointwise(e: Eqn): boolean {
  const cat = OPS[e.op].category;
  return cat === 'unary' || cat === 'binary' || cat === 'select' || e.op === 'broadcast_to' || isUnitReshape(e);
}

export function isReduction(e: Eqn): boolean {
  return OPS[e.op].category === 'reduce';
}

/** Elements reduced into each output element. */
function reducedExtent(e: Eqn): number {
  return sizeOf(e.inputs[0]!.shape) / Math.max(1, sizeOf(e.out.shape));
}

/** A reduction whose consumers may join its kernel (it is recomputed per point, see INNER_REDUCTION_LIMIT). */
export function isInnerReduction(e: Eqn): boolean {
  return isReduction(e) && reducedExtent(e) <= INNER_REDUCTION_LIMIT;
}

/** Fixed-size bitsets over equation indices: the upstream sets of the cycle check. */
class Bits {
  readonly w: Uint32Array;
  constructor(n: number) {
    this.w = new Uint32Array((n + 31) >>> 5);
  }
  set(i: number): void {
    this.w[i >>> 5]! |= 1 << (i & 31);
  }
  has(i: number): boolean {
    return (this.w[i >>> 5]! & (1 << (i & 31))) !== 0;
  }
  or(o: Bits): void {
    for (let k = 0; k < this.w.length; k++) this.w[k]! |= o.w[k]!;
  }
}

/**
 * The kernel (group) of every equation index, or -1 for equations that are not fused (constants,
 * non-pointwise ops, groups of one). Greedy in graph order: each pointwise op or reduction joins the
 * kernels of its producers when that is legal, so groups are maximal along producer edges.
 * Legal means: (1) the merged group has no path leaving it and coming back (it would wait on
 * itself), and (2) no member reads a wide reduction of the same group (a grid-wide barrier).
 */
export function planFusion(g: Graph): readonly number[] {
  const n = g.eqns.length;
  const producer = new Map<number, number>();
  g.eqns.forEach((e, i) => producer.set(e.out.id, i));
  // upstream[i]: every equation that i depends on, transitively.
  const upstream: Bits[] = [];
  for (let i = 0; i < n; i++) {
    const b = new Bits(n);
    for (const v of g.eqns[i]!.inputs) {
      const p = producer.get(v.id);
      if (p === undefined) continue;
      b.or(upstream[p]!);
      b.set(p);
    }
    upstream.push(b);
  }
  const group = new Array<number>(n).fill(-1);
  const members = new Map<number, number[]>();
  const fusible = (e: Eqn) => isPointwise(e) || isReduction(e);

  const legal = (mem: readonly number[]): boolean => {
    const inM = new Set(mem);
    const up = new Bits(n);
    for (const m of mem) up.or(upstream[m]!);
    for (let x = 0; x < n; x++) {
      if (!up.has(x) || inM.has(x)) continue;
      // x sits between two members: some member depends on x, and x depends on a member.
      for (const m of mem) if (upstream[x]!.has(m)) return false;
    }
    for (const m of mem) {
      for (const v of g.eqns[m]!.inputs) {
        const p = producer.get(v.id);
        if (p !== undefined && inM.has(p) && isReduction(g.eqns[p]!) && !isInnerReduction(g.eqns[p]!)) return false;
      }
    }
    return true;
  };

  for (let i = 0; i < n; i++) {
    const e = g.eqns[i]!;
    if (!fusible(e)) continue;
    const cands: number[] = [];
    for (const v of e.inputs) {
      const p = producer.get(v.id);
      if (p === undefined || group[p] === -1) continue;
      const pe = g.eqns[p]!;
      if (isReduction(pe) && !isInnerReduction(pe)) continue;
      if (!cands.includes(group[p]!)) cands.push(group[p]!);
    }
    let mem = [i];
    const all = [i, ...cands.flatMap((c) => members.get(c)!)];
    let joined: number[] = [];
    if (cands.length && legal(all)) {
      mem = all;
      joined = cands;
    } else {
      for (const c of cands) {
        const next = [...mem, ...members.get(c)!];
        if (legal(next)) {
          mem = next;
          joined.push(c);
        }
      }
    }
    const id = joined.length ? joined[0]! : i;
    for (const c of joined) members.delete(c);
    members.set(id, mem);
    for (const m of mem) group[m] = id;
  }
  breakCycles(g, producer, group);
  // Dense kernel ids in order of first member; singletons are not fused.
  const dense = new Map<number, number>();
  return group.map((gid) => {
    if (gid === -1 || members.get(gid)!.length < 2) return -1;
    if (!dense.has(gid)) dense.set(gid, dense.size);
    return dense.get(gid)!;
  });
}

/**
 * The group of some kernel on (or waiting behind) a cycle of the kernel graph (groups and unfused equations as nodes), or
 * null when it is acyclic. Each group is legal on its own, yet two groups can still need each other
 * (b1 reads a1 while a2 reads b2): Kahn's algorithm finds the nodes no order can place.
 */
function groupOnCycle(g: Graph, producer: ReadonlyMap<number, number>, group: readonly number[]): number | null {
  const node = (i: number) => (group[i]! >= 0 ? group[i]! : -1 - i);
  const succ = new Map<number, Set<number>>();
  const indeg = new Map<number, number>();
  g.eqns.forEach((_, i) => indeg.set(node(i), indeg.get(node(i)) ?? 0));
  g.eqns.forEach((e, i) => {
    for (const v of e.inputs) {
      const p = producer.get(v.id);
      if (p === undefined || node(p) === node(i)) continue;
      const s = succ.get(node(p)) ?? new Set<number>();
      if (!s.has(node(i))) {
        s.add(node(i));
        indeg.set(node(i), indeg.get(node(i))! + 1);
      }
      succ.set(node(p), s);
    }
  });
  const ready = [...indeg].filter(([, d]) => d === 0).map(([k]) => k);
  let placed = 0;
  while (ready.length) {
    const k = ready.pop()!;
    placed++;
    for (const t of succ.get(k) ?? []) {
      const d = indeg.get(t)! - 1;
      indeg.set(t, d);
      if (d === 0) ready.push(t);
    }
  }
  if (placed === indeg.size) return null;
  for (const [k, d] of indeg) if (d > 0 && k >= 0) return k;
  return null;
}

/** Dissolves groups (their members run unfused) until no two kernels wait on each other. */
function breakCycles(g: Graph, producer: ReadonlyMap<number, number>, group: number[]): void {
  for (let gid = groupOnCycle(g, producer, group); gid !== null; gid = groupOnCycle(g, producer, group)) {
    for (let i = 0; i < group.length; i++) if (group[i] === gid) group[i] = -1;
  }
}

/**
 * The fusion pass: tags every member of a fused kernel with `fused: <kernel id>` (and removes stale
 * tags). Values never change — the tags tell the runtime and `--dump fused` what runs as one kernel.
 * Returns `g` itself when every tag is already right.
 */
export function fuse(g: Graph): Graph {
  const plan = planFusion(g);
  let changed = false;
  const eqns = g.eqns.map((e, i) => {
    const want = plan[i]! >= 0 ? plan[i]! : undefined;
    const has = e.attrs[FUSED_ATTR];
    if (has === want) return e;
    changed = true;
    const { [FUSED_ATTR]: _old, ...rest } = e.attrs;
    return { ...e, attrs: want === undefined ? rest : { ...rest, [FUSED_ATTR]: want } };
  });
  return changed ? { inputs: g.inputs, eqns, outputs: g.outputs } : g;
}
