/**
 * Which fused kernels the WASM backend can build, and how: the [R, C] layout of every value (full,
 * per-row, per-column or scalar), when each member is computed, and how each reduction accumulates.
 */
import type { Graph, Shape } from '../../ir/ir.js';
import { sizeOf } from '../../ir/ops.js';
import type { Kernel } from '../../passes/kernels.js';
import { WASM_TEMPLATES, type WasmTemplate } from './op-templates.js';

/**
 * How a value lies over the iteration space [R, C] (row-major): one element per point, one per row
 * (constant along a row: [R], [R,1]), one per column ([C], [1,C]), or one in all.
 */
export type ValueKind = 'full' | 'row' | 'col' | 'scalar';

/**
 * When a member is computed: before every loop (scalars), once per row at the row's start, in the
 * column loop (per-column or full values), or after its loop (a reduction's result, which no member
 * of the same kernel may read: that would need a second pass).
 */
export type Phase = 'pre' | 'row' | 'col' | 'loop' | 'post';

/**
 * How a reduction accumulates: `wide` a full value to one number (registers across the whole
 * space), `row` a full value along axis 1 (registers across each row, stored at the row's end),
 * `col` a full value along axis 0 (in the output buffer, initialised first), `rows` a per-row
 * value to one number (once per row).
 */
export type ReductionKind = 'wide' | 'row' | 'col' | 'rows';

/** A kernel (or several independent kernels over the same space) that the WASM backend can compile. */
export interface WasmKernelPlan {
  /** Elements in the iteration space (rows · cols). */
  readonly size: number;
  /** The space as [rows, cols]; rows = 1 when every value is full or scalar (one flat loop). */
  readonly rows: number;
  readonly cols: number;
  /** Member equation indices, in graph order. */
  readonly eqns: readonly number[];
  /** Values read from outside, by var id: the function's first parameters (byte addresses). */
  readonly reads: readonly number[];
  /** Values written, by var id: the parameters after the reads (addresses of buffers the caller allocated). */
  readonly writes: readonly number[];
  readonly writeShapes: readonly Shape[];
  /** Every read and member by var id. */
  readonly kind: ReadonlyMap<number, ValueKind>;
  readonly phase: ReadonlyMap<number, Phase>;
  /** The reductions that accumulate (phase 'post'), by output var id. */
  readonly reduction: ReadonlyMap<number, ReductionKind>;
}

/** Elements summed in float32 lanes before the partial sums move to float64 (256 per lane: float32 error below 256 ulp of the chunk's sum, typically 16). */
export const CHUNK = 1024;

/**
 * Most rows a column sum or product may have: it accumulates in its float32 output buffer (there is
 * no float64 scratch on tfjs's heap), so it keeps to the standard of one float32 chunk (CHUNK
 * sequential terms, as tfjs's own float32 sum does). Taller spaces run op by op.
 */
export const MAX_COLUMN_ROWS = CHUNK;

/** Templates that are not null (typed access to the per-op table). */
export const TEMPLATES: Partial<Record<string, WasmTemplate>> = Object.fromEntries(Object.entries(WASM_TEMPLATES).filter(([, t]) => t !== null)) as Partial<Record<string, WasmTemplate>>;

const strip = (s: Shape): Shape => {
  let k = 0;
  while (k < s.length && s[k] === 1) k++;
  return s.slice(k);
};
const sameShape = (a: Shape, b: Shape) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Plans one WASM kernel for `ks` (fused kernels of `g` over spaces of the same size that do not
 * depend on each other), or returns null when some member is outside what the backend handles: an op
 * without a template, a value that is not full, per-row, per-column or scalar, a reduction other than
 * the four of ReductionKind, or a member that reads a reduction's result.
 *
 * A flat plan (every value full or scalar) is preferred: it needs no row loop and no per-row column
 * tail. Otherwise the space is the kernels' two-axis space (leading unit axes dropped).
 */
export function planWasmKernel(g: Graph, ks: readonly Kernel[]): WasmKernelPlan | null {
  if (ks.length === 0) return null;
  const size = sizeOf(ks[0]!.space);
  if (size < 2 || ks.some((k) => sizeOf(k.space) !== size)) return null;
  const eqns = [...new Set(ks.flatMap((k) => k.eqns))].sort((a, b) => a - b);
  if (eqns.some((i) => !TEMPLATES[g.eqns[i]!.op])) return null;
  const flat = layout(g, ks, eqns, 1, size);
  if (flat) return flat;
  const twoAxes = ks.map((k) => strip(k.space)).filter((s) => s.length === 2);
  const rc = twoAxes[0];
  if (!rc || twoAxes.some((s) => !sameShape(s, rc)) || rc[0]! < 2 || rc[1]! < 2) return null;
  return layout(g, ks, eqns, rc[0]!, rc[1]!);
}

/** The plan over [rows, cols], or null when some value or reduction does not fit that layout. */
function layout(g: Graph, ks: readonly Kernel[], eqns: readonly number[], R: number, C: number): WasmKernelPlan | null {
  const shapeOf = new Map<number, Shape>([...g.inputs.map((i) => [i.var.id, i.var.shape] as const), ...g.eqns.map((e) => [e.out.id, e.out.shape] as const)]);
  const space: Shape = [R, C];
  const kind = new Map<number, ValueKind>();
  let bad = false;
  const set = (id: number, k: ValueKind) => {
    const was = kind.get(id);
    if (was === undefined) kind.set(id, k);
    else if (was !== k) bad = true;
  };
  /** Kinds that a value's size decides; undefined when R = C and the size is R (a row or a column: its uses decide). */
  const bySize = (id: number): ValueKind | undefined => {
    const n = sizeOf(shapeOf.get(id)!);
    if (n === 1) return 'scalar';
    if (n === R * C) return 'full';
    if (R > 1 && n === R && n === C) return undefined;
    if (R > 1 && n === R) return 'row';
    if (R > 1 && n === C) return 'col';
    bad = true;
    return undefined;
  };
  /** How an input of shape `s` broadcasts to a full output of shape `out` (NumPy: aligned right). */
  const broadcastKind = (s: Shape, out: Shape): ValueKind | null => {
    const n = sizeOf(s);
    if (n === 1) return 'scalar';
    if (n === R * C) return 'full';
    if (R === 1 || !sameShape(strip(out), space)) return null;
    const t = strip(s);
    if (t.length === 1 && t[0] === C) return 'col';
    if (t.length === 2 && t[0] === R && t[1] === 1) return 'row';
    return null;
  };
  // Constraints: kinds fixed by size, by broadcasting and by reduction axes; pairs of values of one kind.
  const same: [number, number][] = [];
  const reduction = new Map<number, ReductionKind>();
  const ids = new Set<number>();
  for (const i of eqns) {
    const e = g.eqns[i]!;
    for (const v of [...e.inputs, e.out]) ids.add(v.id);
  }
  for (const id of ids) {
    const k = bySize(id);
    if (k) set(id, k);
  }
  for (const i of eqns) {
    const e = g.eqns[i]!;
    const t = TEMPLATES[e.op]!;
    const nOut = sizeOf(e.out.shape);
    if (t.kind === 'reduce') {
      const x = e.inputs[0]!;
      const nx = sizeOf(x.shape);
      if (nx === nOut) same.push([x.id, e.out.id]);
      else if (nx === R * C && nOut === 1) reduction.set(e.out.id, 'wide');
      else if (nx === R * C && R > 1 && sameShape(strip(x.shape), space)) {
        // Axes of the [R, C] view (leading unit axes reduced or not change nothing).
        const lead = x.shape.length - 2;
        const axes = (e.attrs['axes'] as readonly number[]).map((a) => a - lead).filter((a) => a >= 0);
        if (axes.length !== 1) return null;
        const along = axes[0] === 1 ? 'row' : 'col';
        if (along === 'col' && (e.op === 'sum' || e.op === 'prod') && R > MAX_COLUMN_ROWS) return null;
        set(e.out.id, along);
        reduction.set(e.out.id, along);
      } else if (nOut === 1 && R > 1 && nx === R) {
        set(x.id, 'row');
        reduction.set(e.out.id, 'rows');
      } else return null;
      continue;
    }
    if (nOut === R * C) {
      for (const v of e.inputs) {
        const k = broadcastKind(v.shape, e.out.shape);
        if (k === null) return null;
        set(v.id, k);
      }
    } else for (const v of e.inputs) if (sizeOf(v.shape) !== 1) same.push([v.id, e.out.id]);
  }
  // Propagate kinds along the pairs; a value no use decides (R = C, only per-row/column ops) is taken per-row.
  for (;;) {
    let changed = true;
    while (changed && !bad) {
      changed = false;
      for (const [a, b] of same) {
        const ka = kind.get(a);
        const kb = kind.get(b);
        if (ka && !kb) (kind.set(b, ka), (changed = true));
        else if (kb && !ka) (kind.set(a, kb), (changed = true));
        else if (ka !== kb) bad = true;
      }
    }
    if (bad) return null;
    const open = [...ids].find((id) => !kind.has(id));
    if (open === undefined) break;
    kind.set(open, 'row');
  }
  // Phases, in graph order.
  const defined = new Set(eqns.map((i) => g.eqns[i]!.out.id));
  const phase = new Map<number, Phase>();
  const reads: number[] = [];
  const readPhase: Record<ValueKind, Phase> = { scalar: 'pre', row: 'row', col: 'col', full: 'loop' };
  for (const i of eqns) {
    const e = g.eqns[i]!;
    for (const v of e.inputs) {
      if (!defined.has(v.id) && !phase.has(v.id)) {
        reads.push(v.id);
        phase.set(v.id, readPhase[kind.get(v.id)!]);
      }
      if (phase.get(v.id) === 'post') return null;
    }
    const red = reduction.get(e.out.id);
    if (red) {
      const p = phase.get(e.inputs[0]!.id)!;
      // A per-row value summed over rows is accumulated at each row's start.
      if (red === 'rows' && p !== 'row' && p !== 'pre') return null;
      phase.set(e.out.id, 'post');
      continue;
    }
    const ps = new Set(e.inputs.map((v) => phase.get(v.id)!));
    phase.set(e.out.id, ps.has('loop') || (ps.has('row') && ps.has('col')) ? 'loop' : ps.has('row') ? 'row' : ps.has('col') ? 'col' : 'pre');
  }
  const writes = [...new Set(ks.flatMap((k) => k.writes))].filter((id) => defined.has(id));
  // A column reduction accumulates in its output buffer: it must be one.
  if ([...reduction].some(([id, r]) => r === 'col' && !writes.includes(id))) return null;
  return { size: R * C, rows: R, cols: C, eqns, reads, writes, writeShapes: writes.map((id) => shapeOf.get(id)!), kind, phase, reduction };
}
