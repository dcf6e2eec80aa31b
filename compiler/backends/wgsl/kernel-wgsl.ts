/**
 * Fused kernels as WGSL compute programs (platform-neutral text; runtime/webgpu runs them through
 * tfjs-backend-webgpu). One program per value a kernel leaves in memory: a thread per output element
 * computes the element's whole cone of members in registers (reductions as loops), so no
 * intermediate of the group, and no [m, m] pair tensor of a pairwise region, ever reaches memory.
 * A wide reduction uses a workgroup per output element (strided partial sums, then a tree in
 * workgroup memory). Splat constants (learning rates, betas, temperatures) are uniforms, never
 * digits in the text, so changing one reuses the compiled pipeline.
 */
import type { Eqn, Graph, Shape } from '../../ir/ir.js';
import { listAttr, sizeOf } from '../../ir/ops.js';
import type { Kernel } from '../../passes/kernels.js';
import { isReduction } from '../../passes/fuse.js';
import { mapAxes, valueShapes } from '../kernel-js.js';
import { WGSL_HELPERS, WGSL_OPS, type WgslOp } from './ops-wgsl.js';

/** Threads per workgroup of a per-element program, and of a per-output-element reduction. */
export const WORKGROUP = 64;
/** A reduction of at least this many elements into each output gets a workgroup per output element. */
export const WIDE_REDUCTION = 256;

/**
 * Storage buffers a program may read: WebGPU's default maxStorageBuffersPerShaderStage is 8 (what
 * tfjs-backend-webgpu's device gets), one of which is the output. A kernel with a program reading
 * more runs op by op.
 */
export const MAX_INPUT_BUFFERS = 7;

/** One generated program: computes one written value. */
export interface WgslProgram {
  /** The var it writes, and that var's shape (the program's output is flat, reshaped after). */
  readonly write: number;
  readonly shape: Shape;
  /** Vars bound as storage buffers, in binding order (`in0`, `in1`, ...), each flattened. */
  readonly inputs: readonly number[];
  /** Splat-constant vars read as uniforms `c0`, `c1`, ... (f32), in this order. */
  readonly uniforms: readonly number[];
  /** The WGSL body tfjs wraps with its bindings and entry point (defines `fn main(index : i32)`). */
  readonly code: string;
  readonly workgroupSize: readonly [number, number, number];
  /** Whether each workgroup computes one output element (dispatch = output size) rather than each thread. */
  readonly perWorkgroup: boolean;
}

export interface WgslKernel {
  readonly reads: readonly number[];
  readonly writes: readonly number[];
  readonly programs: readonly WgslProgram[];
  /** Value of each uniform constant, by var id (from the graph: the runtime sends them at dispatch). */
  readonly constants: ReadonlyMap<number, number>;
}

/** The splat constants of a graph (a `value` attribute, no literal data): value by var id. */
export function splatConstants(g: Graph): Map<number, number> {
  const m = new Map<number, number>();
  for (const e of g.eqns) if (e.op === 'const' && e.attrs['tensor'] === undefined && typeof e.attrs['value'] === 'number') m.set(e.out.id, e.attrs['value']);
  return m;
}

class Unsupported extends Error {}

const strides = (s: Shape): number[] => {
  const st = new Array<number>(s.length).fill(1);
  for (let i = s.length - 2; i >= 0; i--) st[i] = st[i + 1]! * s[i + 1]!;
  return st;
};

/**
 * Compiles one fused kernel to WGSL programs, or returns null when an op or an axis relation is
 * outside what the generator handles (the runtime then runs the kernel op by op).
 */
export function compileKernelWgsl(g: Graph, k: Kernel, maxInputs = MAX_INPUT_BUFFERS): WgslKernel | null {
  const eqns = k.eqns.map((i) => g.eqns[i]!);
  for (const e of eqns) {
    const t: WgslOp | null = WGSL_OPS[e.op];
    if (!t) return null;
  }
  const maps = mapAxes(g, k);
  if (!maps) return null;
  const splats = splatConstants(g);
  const shapeOf = valueShapes(eqns);
  const def = new Map(eqns.map((e) => [e.out.id, e] as const));
  const constants = new Map<number, number>();
  try {
    const programs = k.writes.map((w) => program(w));
    if (programs.some((p) => p.inputs.length > maxInputs)) return null;
    return { reads: k.reads, writes: k.writes, programs, constants };
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }

  function program(write: number): WgslProgram {
    const inputs: number[] = [];
    const uniforms: number[] = [];
    const space = k.space;
    let tmp = 0;
    const emitted = new Map<string, string>();
    const key = (id: number, idx: readonly (string | undefined)[]) => `${id}@${idx.join(',')}`;
    const offset = (id: number, idx: readonly (string | undefined)[]) => {
      const m = maps!.get(id)!;
      const st = strides(shapeOf.get(id)!);
      const terms = m.map((a, i) => {
        if (a === -1) return '';
        const v = idx[a];
        if (v === undefined) throw new Unsupported(`axis ${a} unbound`);
        return st[i] === 1 ? v : `${v} * ${st[i]}`;
      });
      const t = terms.filter(Boolean);
      return t.length ? t.join(' + ') : '0';
    };
    const buffer = (id: number) => {
      let n = inputs.indexOf(id);
      if (n < 0) n = inputs.push(id) - 1;
      return `in${n}`;
    };
    const read = (id: number, viewId: number, idx: readonly (string | undefined)[]) => {
      const c = splats.get(id);
      if (c !== undefined) {
        constants.set(id, c);
        let n = uniforms.indexOf(id);
        if (n < 0) n = uniforms.push(id) - 1;
        return `uniforms.c${n}`;
      }
      // tfjs declares each buffer with its tensor's dtype (a bool or int32 value is array<i32>; its cast to
      // float32 keeps the buffer), and the shader text must not depend on it: every read converts.
      return `f32(${buffer(id)}[${offset(viewId, idx)}])`;
    };
    const value = (id: number, idx: readonly (string | undefined)[], out: string[], ind: string): string => {
      const have = emitted.get(key(id, idx));
      if (have) return have;
      const e = def.get(id);
      let expr: string;
      if (!e) expr = read(id, id, idx);
      else {
        const t = WGSL_OPS[e.op]!;
        if (t.kind === 'reduce') {
          const acc = `t${tmp++}`;
          out.push(`${ind}var ${acc} : f32 = ${t.init};`);
          const { open, sub, inner } = reductionLoops(e, idx, out, ind);
          const saved = new Map(emitted);
          const xv = value(e.inputs[0]!.id, sub, out, inner);
          out.push(`${inner}${acc} = ${t.combine(acc, xv)};`);
          for (const k2 of [...emitted.keys()]) if (!saved.has(k2)) emitted.delete(k2);
          for (const o of open.reverse()) out.push(`${o}}`);
          expr = acc;
        } else if (t.kind === 'view') {
          // A reshape of a value read from memory keeps its flat layout: index it with the reshape's own map.
          expr = e.op === 'reshape' && !def.has(e.inputs[0]!.id) ? read(e.inputs[0]!.id, id, idx) : value(e.inputs[0]!.id, idx, out, ind);
        } else if (t.kind === 'select') {
          const [c, a, b] = e.inputs.map((v) => value(v.id, idx, out, ind));
          expr = `select(${b}, ${a}, ${c} != 0.0)`;
        } else if (t.kind === 'unary') {
          expr = t.f(value(e.inputs[0]!.id, idx, out, ind));
        } else {
          expr = t.f(value(e.inputs[0]!.id, idx, out, ind), value(e.inputs[1]!.id, idx, out, ind));
        }
      }
      const name = `t${tmp++}`;
      out.push(`${ind}let ${name} : f32 = ${expr};`);
      emitted.set(key(id, idx), name);
      return name;
    };
    /** Opens one loop per reduced space axis, binding fresh index names in a copy of `idx`. */
    const reductionLoops = (e: Eqn, idx: readonly (string | undefined)[], out: string[], ind: string) => {
      const xm = maps!.get(e.inputs[0]!.id)!;
      const sub = [...idx];
      const open: string[] = [];
      let inner = ind;
      for (const ax of listAttr(e.attrs, 'axes')) {
        const a = xm[ax]!;
        if (a === -1) continue;
        const v = `j${tmp++}`;
        sub[a] = v;
        out.push(`${inner}for (var ${v} : i32 = 0; ${v} < ${space[a]}; ${v} = ${v} + 1) {`);
        open.push(inner);
        inner += '  ';
      }
      return { open, sub, inner };
    };

    const shape = shapeOf.get(write)!;
    const size = sizeOf(shape);
    const wm = maps!.get(write)!;
    const st = strides(shape);
    const idx: (string | undefined)[] = space.map(() => undefined);
    // tfjs binds its uniform buffer to every program and pipelines use layout 'auto', which drops a binding the entry point never touches.
    const body: string[] = ['  _ = uniforms.NAN;'];
    const decompose = (flat: string) =>
      wm.forEach((a, i) => {
        if (a === -1) return;
        idx[a] = `i${a}`;
        body.push(`  let i${a} : i32 = (${flat} / ${st[i]}) % ${shape[i]};`);
      });
    const e = def.get(write);
    const t = e ? WGSL_OPS[e.op]! : null;
    const reduced = e && isReduction(e) ? sizeOf(e.inputs[0]!.shape) / Math.max(1, size) : 0;
    if (e && t && t.kind === 'reduce' && reduced >= WIDE_REDUCTION) {
      // A workgroup per output element: each thread folds a strided share of the reduced elements, then a tree.
      body.push('  let o : i32 = i32((workgroupId.z * numWorkgroups.y + workgroupId.y) * numWorkgroups.x + workgroupId.x);');
      body.push('  let lane : i32 = i32(localIndex);');
      decompose('o');
      const xm = maps!.get(e.inputs[0]!.id)!;
      const axes = listAttr(e.attrs, 'axes')
        .map((ax) => xm[ax]!)
        .filter((a) => a !== -1);
      const ext = axes.map((a) => space[a]!);
      const total = ext.reduce((x, y) => x * y, 1);
      body.push(`  var acc : f32 = ${t.init};`);
      body.push(`  for (var r : i32 = lane; r < ${total}; r = r + ${WORKGROUP}) {`);
      const sub = [...idx];
      let div = total;
      axes.forEach((a, n) => {
        div /= ext[n]!;
        sub[a] = `r${a}`; // not j*: inner reductions name their loops j<counter>
        body.push(`    let r${a} : i32 = (r / ${div}) % ${ext[n]};`);
      });
      const xv = value(e.inputs[0]!.id, sub, body, '    ');
      body.push(`    acc = ${t.combine('acc', xv)};`);
      body.push('  }');
      body.push('  partial[lane] = acc;');
      body.push('  workgroupBarrier();');
      body.push(`  for (var s : i32 = ${WORKGROUP / 2}; s > 0; s = s >> 1u) {`);
      body.push(`    if (lane < s) { partial[lane] = ${t.combine('partial[lane]', 'partial[lane + s]')}; }`);
      body.push('    workgroupBarrier();');
      body.push('  }');
      body.push(`  if (lane == 0 && o < ${size}) { result[o] = partial[0]; }`);
      const code = `${WGSL_HELPERS}\nvar<workgroup> partial : array<f32, ${WORKGROUP}>;\nfn main(index : i32) {\n${body.join('\n')}\n}\n`;
      return { write, shape, inputs, uniforms, code, workgroupSize: [WORKGROUP, 1, 1], perWorkgroup: true };
    }
    body.push(`  if (index >= ${size}) { return; }`);
    decompose('index');
    const v = value(write, idx, body, '  ');
    body.push(`  result[index] = ${v};`);
    const code = `${WGSL_HELPERS}\nfn main(index : i32) {\n${body.join('\n')}\n}\n`;
    return { write, shape, inputs, uniforms, code, workgroupSize: [WORKGROUP, 1, 1], perWorkgroup: false };
  }
}

/** The WGSL of every program of a graph's compilable fused kernels, for `gd compile --dump wgsl`. */
export function printWgsl(g: Graph, kernels: readonly Kernel[]): string {
  const out: string[] = [];
  kernels.forEach((k, n) => {
    if (!k.fused) return;
    const w = compileKernelWgsl(g, k);
    if (!w) {
      out.push(`// k${n}: not generated (an op or axis relation outside the WGSL generator, or over ${MAX_INPUT_BUFFERS} input buffers); runs op by op`);
      return;
    }
    w.programs.forEach((p, i) => {
      const us = p.uniforms.map((id, c) => `c${c} = %${id} (${w.constants.get(id)})`).join(', ');
      out.push(`// k${n}.${i}: writes %${p.write} [${p.shape.join(',')}]; ${p.perWorkgroup ? 'a workgroup' : 'a thread'} per element; buffers ${p.inputs.map((id, b) => `in${b} = %${id}`).join(', ') || 'none'}; uniforms ${us || 'none'}`);
      out.push(p.code.replace(WGSL_HELPERS, '// (gd_pow, gd_max, gd_min, gd_cos_sin, gd_log1p helpers)\n'));
    });
  });
  return out.join('\n');
}
