/**
 * Fused kernels as generated JavaScript loop nests: one loop per axis of the kernel's iteration
 * space, each value computed at the shallowest loop that its indices allow, inner reductions as
 * small inner loops, wide reductions accumulated in place. Intermediates never reach memory, so a
 * pairwise region runs without its [m, m, ...] tensors.
 */
import type { Eqn, Graph, Shape } from '../ir/ir.js';
import { OPS, boolAttr, listAttr } from '../ir/ops.js';
import type { Kernel } from '../passes/kernels.js';
import { isReduction } from '../passes/fuse.js';

/** A compiled kernel: reads in `reads` order, returns one array per `writes` entry. */
export interface JsKernel {
  readonly reads: readonly number[];
  readonly writes: readonly number[];
  readonly writeShapes: readonly Shape[];
  readonly run: (ins: readonly Float32Array[]) => Float32Array[];
  /** The generated source, for dumps and tests. */
  readonly source: string;
}

const UNARY: Partial<Record<string, (x: string) => string>> = {
  neg: (x) => `(-${x})`,
  exp: (x) => `Math.exp(${x})`,
  log: (x) => `Math.log(${x})`,
  log1p: (x) => `Math.log1p(${x})`,
  sqrt: (x) => `Math.sqrt(${x})`,
  rsqrt: (x) => `(1 / Math.sqrt(${x}))`,
  abs: (x) => `Math.abs(${x})`,
  sign: (x) => `Math.sign(${x})`,
  relu: (x) => `(${x} > 0 ? ${x} : 0)`,
  sigmoid: (x) => `(1 / (1 + Math.exp(-${x})))`,
  tanh: (x) => `Math.tanh(${x})`,
  sin: (x) => `Math.sin(${x})`,
  cos: (x) => `Math.cos(${x})`,
  square: (x) => `(${x} * ${x})`,
  reciprocal: (x) => `(1 / ${x})`,
  floor: (x) => `Math.floor(${x})`,
  stop_gradient: (x) => x,
};

const BINARY: Partial<Record<string, (a: string, b: string) => string>> = {
  add: (a, b) => `(${a} + ${b})`,
  sub: (a, b) => `(${a} - ${b})`,
  mul: (a, b) => `(${a} * ${b})`,
  div: (a, b) => `(${a} / ${b})`,
  maximum: (a, b) => `Math.max(${a}, ${b})`,
  minimum: (a, b) => `Math.min(${a}, ${b})`,
  lt: (a, b) => `(${a} < ${b} ? 1 : 0)`,
  le: (a, b) => `(${a} <= ${b} ? 1 : 0)`,
  gt: (a, b) => `(${a} > ${b} ? 1 : 0)`,
  ge: (a, b) => `(${a} >= ${b} ? 1 : 0)`,
  eq: (a, b) => `(${a} === ${b} ? 1 : 0)`,
  ne: (a, b) => `(${a} !== ${b} ? 1 : 0)`,
};

const REDUCE: Partial<Record<string, { init: string; step: (acc: string, x: string) => string }>> = {
  sum: { init: '0', step: (acc, x) => `${acc} += ${x};` },
  max: { init: '-Infinity', step: (acc, x) => `if (${x} > ${acc} || ${x} !== ${x}) ${acc} = ${x};` },
  min: { init: 'Infinity', step: (acc, x) => `if (${x} < ${acc} || ${x} !== ${x}) ${acc} = ${x};` },
  prod: { init: '1', step: (acc, x) => `${acc} *= ${x};` },
};

/** Shapes of the values a kernel computes or reads elementwise; a read that only feeds a reshape is left out (the reshape indexes it). */
export function valueShapes(eqns: readonly Eqn[]): Map<number, Shape> {
  const defined = new Set(eqns.map((e) => e.out.id));
  const shapeOf = new Map<number, Shape>();
  for (const e of eqns) {
    shapeOf.set(e.out.id, e.out.shape);
    if (e.op === 'reshape' && !defined.has(e.inputs[0]!.id)) continue;
    for (const v of e.inputs) shapeOf.set(v.id, v.shape);
  }
  return shapeOf;
}

/** Space axis of each axis of a var (-1: a unit axis broadcast over the space). */
export type AxisMap = readonly number[];

/**
 * Maps every var of the kernel onto the axes of its iteration space, propagating from the largest
 * value along producer/consumer edges. Returns null when some edge disagrees (not compilable).
 */
export function mapAxes(g: Graph, k: Kernel): Map<number, AxisMap> | null {
  const eqns = k.eqns.map((i) => g.eqns[i]!);
  const shapeOf = valueShapes(eqns);
  const space = k.space;
  const maps = new Map<number, AxisMap>();
  const size = (s: Shape) => s.reduce((a, b) => a * b, 1);
  let anchor = -1;
  for (const [id, s] of shapeOf) if (anchor < 0 || size(s) > size(shapeOf.get(anchor)!)) anchor = id;
  if (size(shapeOf.get(anchor)!) !== size(space)) return null;
  maps.set(anchor, space.map((_, i) => i));
  let ok = true;
  const set = (id: number, m: AxisMap) => {
    const old = maps.get(id);
    if (!old) {
      maps.set(id, m);
      return true;
    }
    if (old.length !== m.length || old.some((a, i) => a !== m[i] && !(a === -1 || m[i] === -1))) ok = false;
    return false;
  };
  // Relations of one equation: from the output's map to each input's and back.
  const relate = (e: Eqn): boolean => {
    let changed = false;
    const o = maps.get(e.out.id);
    const ro = e.out.shape.length;
    if (isReduction(e)) {
      const x = e.inputs[0]!;
      const axes = listAttr(e.attrs, 'axes');
      const keep = boolAttr(e.attrs, 'keepDims');
      const xm = maps.get(x.id);
      // output axis j <-> input axis (the j-th kept axis; with keepDims, the same axis)
      const kept = x.shape.map((_, i) => i).filter((i) => keep || !axes.includes(i));
      if (xm && !o) changed = set(e.out.id, kept.map((i) => (axes.includes(i) ? -1 : xm[i]!))) || changed;
      if (o && !xm) {
        // Reduced axes stay unknown unless another edge gives them: a reduction over axes the space does not have fails later.
        return changed;
      }
      return changed;
    }
    if (e.op === 'reshape') {
      const x = e.inputs[0]!;
      if (!shapeOf.has(x.id)) return changed; // a read viewed through the reshape: indexed with the reshape's own map
      const xm = maps.get(x.id);
      const nonUnit = (s: Shape) => s.map((d, i) => [d, i] as const).filter(([d]) => d !== 1).map(([, i]) => i);
      const ai = nonUnit(x.shape);
      const bi = nonUnit(e.out.shape);
      if (xm && !o) {
        const m = e.out.shape.map(() => -1);
        bi.forEach((bj, n) => (m[bj] = xm[ai[n]!]!));
        changed = set(e.out.id, m) || changed;
      } else if (o && !xm) {
        const m = x.shape.map(() => -1);
        ai.forEach((aj, n) => (m[aj] = o[bi[n]!]!));
        changed = set(x.id, m) || changed;
      }
      return changed;
    }
    // Pointwise with right-aligned broadcasting (broadcast_to included).
    for (const x of e.inputs) {
      const off = ro - x.shape.length;
      const xm = maps.get(x.id);
      if (o && !xm) changed = set(x.id, x.shape.map((d, i) => (d === 1 && e.out.shape[off + i] !== 1 ? -1 : o[off + i]!))) || changed;
      if (xm && !o && x.shape.length === ro && x.shape.every((d, i) => d === e.out.shape[i])) changed = set(e.out.id, xm) || changed;
    }
    return changed;
  };
  for (let round = 0; round < 4 * eqns.length + 4; round++) {
    let changed = false;
    for (const e of eqns) changed = relate(e) || changed;
    if (!changed) break;
  }
  for (const id of shapeOf.keys()) if (!maps.has(id)) return null;
  // Propagation only fills unknown maps; now every edge must agree (one value seen along two axes is not a loop nest).
  const same = (a: AxisMap, b: AxisMap) => a.length === b.length && a.every((x, i) => x === b[i] || x === -1 || b[i] === -1);
  for (const e of eqns) {
    const o = maps.get(e.out.id)!;
    if (isReduction(e)) {
      const x = e.inputs[0]!;
      const axes = listAttr(e.attrs, 'axes');
      const keep = boolAttr(e.attrs, 'keepDims');
      const xm = maps.get(x.id)!;
      const kept = x.shape.map((_, i) => i).filter((i) => keep || !axes.includes(i));
      if (!same(o, kept.map((i) => (axes.includes(i) ? -1 : xm[i]!)))) return null;
    } else if (e.op === 'reshape') {
      const x = e.inputs[0]!;
      if (!shapeOf.has(x.id)) continue;
      const xm = maps.get(x.id)!;
      const a = x.shape.map((d, i) => (d === 1 ? -2 : xm[i]!)).filter((v) => v !== -2);
      const b = e.out.shape.map((d, i) => (d === 1 ? -2 : o[i]!)).filter((v) => v !== -2);
      if (!same(a, b)) return null;
    } else {
      for (const x of e.inputs) {
        const off = e.out.shape.length - x.shape.length;
        const xm = maps.get(x.id)!;
        if (!same(xm, x.shape.map((d, i) => (d === 1 && e.out.shape[off + i] !== 1 ? -1 : o[off + i]!)))) return null;
      }
    }
  }
  // Every mapped axis must have the space's extent.
  for (const [id, m] of maps) {
    const s = shapeOf.get(id)!;
    if (m.some((a, i) => (a === -1 ? s[i] !== 1 : space[a] !== s[i]))) return null;
  }
  return ok ? maps : null;
}

/**
 * Compiles one fused kernel to a JavaScript loop nest, or returns null when its ops or axis
 * relations are outside what the generator handles (the runtime then runs it op by op).
 */
export function compileKernelJs(g: Graph, k: Kernel): JsKernel | null {
  const eqns = k.eqns.map((i) => g.eqns[i]!);
  for (const e of eqns) {
    const cat = OPS[e.op].category;
    if (isReduction(e) ? !REDUCE[e.op] : !(UNARY[e.op] || BINARY[e.op] || e.op === 'where' || e.op === 'broadcast_to' || e.op === 'reshape')) return null;
    if (cat === 'const') return null;
  }
  const maps = mapAxes(g, k);
  if (!maps) return null;
  const space = k.space;
  const R = space.length;
  const def = new Map(eqns.map((e) => [e.out.id, e] as const));
  const readIndex = new Map(k.reads.map((id, n) => [id, n] as const));
  const shapeOf = valueShapes(eqns);
  const strides = (s: Shape) => {
    const st = new Array<number>(s.length).fill(1);
    for (let i = s.length - 2; i >= 0; i--) st[i] = st[i + 1]! * s[i + 1]!;
    return st;
  };
  /** The flat offset of var `id` at the current indices (idx[a] names the index variable of space axis a). */
  const offset = (id: number, idx: readonly string[]) => {
    const m = maps.get(id)!;
    const st = strides(shapeOf.get(id)!);
    const terms = m.map((a, i) => (a === -1 ? '' : st[i] === 1 ? idx[a]! : `${idx[a]} * ${st[i]}`)).filter(Boolean);
    return terms.length ? terms.join(' + ') : '0';
  };
  /** The deepest space axis a value depends on (-1: none), loop order = space axis order. */
  const depthMemo = new Map<number, number>();
  const depth = (id: number): number => {
    if (depthMemo.has(id)) return depthMemo.get(id)!;
    const m = maps.get(id)!;
    const d = Math.max(-1, ...m);
    depthMemo.set(id, d);
    return d;
  };
  let tmp = 0;
  const idxVars = space.map((_, a) => `i${a}`);
  // Values by (var, substitution) within a scope; the outer scope's values per loop level.
  const emitted = new Map<string, string>();
  const key = (id: number, idx: readonly string[]) => `${id}@${idx.join(',')}`;

  /** JS expression for var `id` at indices `idx`, emitting statements into `out` (a block at the right depth). */
  const value = (id: number, idx: readonly string[], out: string[], indent: string): string => {
    const kk = key(id, idx);
    const have = emitted.get(kk);
    if (have) return have;
    const e = def.get(id);
    let expr: string;
    if (!e) {
      expr = `r${readIndex.get(id)}[${offset(id, idx)}]`;
    } else if (isReduction(e)) {
      const x = e.inputs[0]!;
      const axes = listAttr(e.attrs, 'axes');
      const xm = maps.get(x.id)!;
      const red = REDUCE[e.op]!;
      const acc = `t${tmp++}`;
      out.push(`${indent}let ${acc} = ${red.init};`);
      // Loop over the reduced space axes with fresh index names, recomputing the input's cone inside.
      const sub = [...idx];
      const open: string[] = [];
      let ind = indent;
      for (const ax of axes) {
        const a = xm[ax]!;
        if (a === -1) continue;
        const v = `j${tmp++}`;
        sub[a] = v;
        out.push(`${ind}for (let ${v} = 0; ${v} < ${space[a]}; ${v}++) {`);
        open.push(ind);
        ind += '  ';
      }
      const saved = new Map(emitted);
      const xv = value(x.id, sub, out, ind);
      out.push(`${ind}${red.step(acc, xv)}`);
      for (const k2 of [...emitted.keys()]) if (!saved.has(k2)) emitted.delete(k2);
      for (const o of open.reverse()) out.push(`${o}}`);
      expr = acc;
    } else if (e.op === 'reshape' && !def.has(e.inputs[0]!.id)) {
      // A unit reshape keeps the flat layout: index the read with the reshape's shape and map.
      expr = `r${readIndex.get(e.inputs[0]!.id)}[${offset(id, idx)}]`;
    } else if (e.op === 'reshape' || e.op === 'broadcast_to' || e.op === 'stop_gradient') {
      expr = value(e.inputs[0]!.id, idx, out, indent);
    } else if (e.op === 'where') {
      const [c, a, b] = e.inputs.map((v) => value(v.id, idx, out, indent));
      expr = `(${c} !== 0 ? ${a} : ${b})`;
    } else if (UNARY[e.op]) {
      const x = value(e.inputs[0]!.id, idx, out, indent);
      const t = `t${tmp++}`;
      out.push(`${indent}const ${t} = ${x};`);
      expr = UNARY[e.op]!(t);
    } else {
      const a = value(e.inputs[0]!.id, idx, out, indent);
      const b = value(e.inputs[1]!.id, idx, out, indent);
      expr = BINARY[e.op]!(a, b);
    }
    const t = `t${tmp++}`;
    out.push(`${indent}const ${t} = Math.fround(${expr});`);
    emitted.set(kk, t);
    return t;
  };

  // Each write is produced at the loop level of its depth; wide reductions accumulate at their input's depth.
  const writes = k.writes;
  const writeShapes = writes.map((id) => shapeOf.get(id)!);
  const levels: string[][] = Array.from({ length: R + 1 }, () => []);
  const scalarAcc = new Set<number>();
  writes.forEach((id, w) => {
    const e = def.get(id)!;
    const wide = isReduction(e) && !isInner(e);
    if (!wide) {
      const d = depth(id);
      levels[d + 1]!.push(`W${w}:${id}`);
      return;
    }
    const x = e.inputs[0]!;
    levels[depth(x.id) + 1]!.push(`A${w}:${id}`);
  });
  function isInner(e: Eqn): boolean {
    const x = e.inputs[0]!;
    const n = x.shape.reduce((a, b) => a * b, 1) / Math.max(1, e.out.shape.reduce((a, b) => a * b, 1));
    return n <= 32;
  }
  // Generate the nest: level L statements sit inside loops 0..L-1.
  const body: string[] = [];
  writes.forEach((id, w) => {
    const e = def.get(id)!;
    const wide = isReduction(e) && !isInner(e);
    // Wide reductions accumulate in float64 (millions of float32 terms added in sequence would drift), rounded once at the end.
    body.push(`  const o${w} = new ${wide ? 'Float64Array' : 'Float32Array'}(${writeShapes[w]!.reduce((a, b) => a * b, 1)});`);
    if (wide) body.push(`  o${w}.fill(${REDUCE[e.op]!.init});`);
    // A reduction to one number accumulates in a local (a register), stored once at the end.
    if (wide && writeShapes[w]!.reduce((a, b) => a * b, 1) === 1) {
      body.push(`  let a${w} = ${REDUCE[e.op]!.init};`);
      scalarAcc.add(w);
    }
  });
  const emitLevel = (L: number, indent: string) => {
    for (const item of levels[L]!) {
      const [tag, idS] = item.split(':');
      const w = Number(tag!.slice(1));
      const id = Number(idS);
      if (tag![0] === 'W') {
        const v = value(id, idxVars, body, indent);
        body.push(`${indent}o${w}[${offset(id, idxVars)}] = ${v};`);
      } else {
        const e = def.get(id)!;
        const x = e.inputs[0]!;
        const xm = maps.get(x.id)!;
        // Visit each input element once: axes shallower than this level that the input lacks are pinned at 0.
        const pinned = Array.from({ length: L }, (_, a) => a).filter((a) => !xm.includes(a));
        const guard = pinned.length ? `if (${pinned.map((a) => `i${a} === 0`).join(' && ')}) ` : '';
        const v = value(x.id, idxVars, body, indent);
        const om = maps.get(id)!;
        const st = strides(e.out.shape);
        const off = om.map((a, i) => (a === -1 ? '' : `${idxVars[a]} * ${st[i]}`)).filter(Boolean).join(' + ') || '0';
        const acc = scalarAcc.has(w) ? `a${w}` : `o${w}[${off}]`;
        body.push(`${indent}${guard}{ ${REDUCE[e.op]!.step(acc, v).replace(/;$/, '')}; }`);
      }
    }
  };
  // Loop-invariant code motion: every member whose indices are all bound at level L (depth L - 1) is
  // computed there, once, before the deeper loops that use it.
  const members = eqns.map((e) => e.out.id);
  const nest = (L: number, indent: string) => {
    for (const id of members) {
      const e = def.get(id)!;
      if (depth(id) === L - 1 && !(isReduction(e) && !isInner(e))) value(id, idxVars, body, indent);
    }
    emitLevel(L, indent);
    if (L === R) return;
    if (!levels.slice(L + 1).some((l) => l.length)) return;
    body.push(`${indent}for (let i${L} = 0; i${L} < ${space[L]}; i${L}++) {`);
    const saved = new Map(emitted);
    nest(L + 1, indent + '  ');
    for (const k2 of [...emitted.keys()]) if (!saved.has(k2)) emitted.delete(k2);
    body.push(`${indent}}`);
  };
  nest(0, '  ');
  // A value is only ever asked for at a level at least as deep as its own depth (its inputs' axes are a
  // subset of its own, or substituted by an inner reduction's loop), so every index it reads is bound.
  for (const w of scalarAcc) body.push(`  o${w}[0] = a${w};`);
  const source = `${k.reads.map((_, n) => `const r${n} = ins[${n}];`).join('\n')}\n${body.join('\n')}\nreturn [${writes.map((_, w) => `Float32Array.from(o${w})`).join(', ')}];`;
  let fn: (ins: readonly Float32Array[]) => Float32Array[];
  try {
    fn = new Function('ins', source) as typeof fn;
  } catch {
    return null;
  }
  return { reads: k.reads, writes, writeShapes, run: fn, source };
}
