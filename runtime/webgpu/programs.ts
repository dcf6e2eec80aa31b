/** Runs generated WGSL (compiler/backends/wgsl) through tfjs-backend-webgpu's runWebGPUProgram, and counts what it compiles and dispatches. */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../compiler/ir/ir.js';
import { sizeOf } from '../../compiler/ir/ops.js';
import type { WgslProgram } from '../../compiler/backends/wgsl/kernel-wgsl.js';
import { philoxProgramCode, type RandomKind } from '../../compiler/backends/wgsl/philox-wgsl.js';
import { linalgLayout, linalgProgramCode } from '../../compiler/backends/wgsl/linalg-wgsl.js';
import { InternalError } from '../../compiler/diagnostics/internal-error.js';

/** The fields of tfjs-backend-webgpu's WebGPUProgram that a generated program fills (see its webgpu_program.d.ts). */
interface WebGPUProgramLike {
  readonly variableNames: string[];
  readonly outputShape: number[];
  shaderKey: string;
  readonly dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number];
  readonly uniforms?: string;
  readonly getUserCode: () => string;
}

interface UniformDatum {
  readonly type: 'float32' | 'int32' | 'uint32';
  readonly data: number[];
}

interface WebGPUBackendLike {
  runWebGPUProgram(program: WebGPUProgramLike, inputs: tf.TensorInfo[], dtype: 'float32', uniforms?: UniformDatum[]): tf.TensorInfo;
  readonly pipelineCache: Record<string, unknown>;
}

function webgpuBackend(): WebGPUBackendLike {
  const b = tf.backend() as unknown as Partial<WebGPUBackendLike>;
  if (tf.getBackend() !== 'webgpu' || typeof b.runWebGPUProgram !== 'function') throw new InternalError('a WGSL kernel ran while the active tfjs backend is not webgpu');
  return b as WebGPUBackendLike;
}

/** FNV-1a of the shader text: the program's identity for tfjs's pipeline cache. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

const SHADER_PREFIX = 'gd_';
const dispatched = new Map<string, number>();

/** How many generated programs have been dispatched since the process started, by kind (fused, philox_randn, linalg3x3...); tests diff it around a step. */
export function gdDispatchCounts(): ReadonlyMap<string, number> {
  return new Map(dispatched);
}

/** How many distinct generated programs tfjs-backend-webgpu has compiled to pipelines (its cache, keyed by shaderKey). */
export function gdCompiledPrograms(): number {
  const b = webgpuBackend();
  return Object.keys(b.pipelineCache).filter((k) => k.startsWith(SHADER_PREFIX)).length;
}

/** A compiled generated program, ready to dispatch with fresh inputs and uniform values. */
export class GdProgram {
  /** Our part of tfjs's shaderKey (tfjs appends the ranks, dtypes and dispatch kind). */
  readonly key: string;
  constructor(
    readonly name: string,
    readonly code: string,
    readonly variableNames: readonly string[],
    readonly uniformDecl: string,
    readonly workgroupSize: readonly [number, number, number],
    /** Workgroups from the output size: per element (ceil(size / workgroup)) or per `perWorkgroup` elements (one each). */
    readonly threads: (size: number) => number,
    readonly perWorkgroup: boolean,
  ) {
    this.key = `${SHADER_PREFIX}${name}_${hash(code + uniformDecl)}`;
  }

  /** Dispatches over flat inputs; returns the flat [size] output as a tensor owned by the caller (or the enclosing tidy). */
  run(inputs: readonly tf.Tensor[], size: number, uniforms: UniformDatum[]): tf.Tensor {
    const backend = webgpuBackend();
    const n = this.threads(size);
    const program: WebGPUProgramLike = {
      variableNames: [...this.variableNames],
      outputShape: [size],
      shaderKey: this.key,
      dispatchLayout: { x: [0] },
      dispatch: this.perWorkgroup ? [n, 1, 1] : [Math.ceil(n / this.workgroupSize[0]), 1, 1],
      workgroupSize: [...this.workgroupSize],
      ...(this.uniformDecl ? { uniforms: this.uniformDecl } : {}),
      getUserCode: () => this.code,
    };
    const info = backend.runWebGPUProgram(program, [...inputs], 'float32', uniforms.length ? uniforms : undefined);
    dispatched.set(this.name, (dispatched.get(this.name) ?? 0) + 1);
    return tf.engine().makeTensorFromTensorInfo(info);
  }
}

/** A fused kernel's program, bound to its graph's constant values. */
export function fusedProgram(p: WgslProgram): GdProgram {
  const decl = p.uniforms.map((_, c) => `c${c} : f32, `).join('');
  return new GdProgram('fused', p.code, p.inputs.map((_, b) => `in${b}`), decl, [...p.workgroupSize] as [number, number, number], (size) => size, p.perWorkgroup);
}

/** Runs `p` on the values of its input vars (any shape of the right size: buffers are flat) and returns the write in its shape. */
export function runFused(prog: GdProgram, p: WgslProgram, inputs: readonly tf.Tensor[], constants: ReadonlyMap<number, number>): tf.Tensor {
  const flat = inputs.map((t) => tf.reshape(t, [Math.max(1, t.size)]));
  const uniforms: UniformDatum[] = p.uniforms.map((id) => ({ type: 'float32', data: [constants.get(id)!] }));
  const out = prog.run(flat, sizeOf(p.shape), uniforms);
  return tf.reshape(out, [...p.shape]);
}

const philox = new Map<RandomKind, GdProgram>();

/** Fills a tensor of `shape` on the device with the numbers compiler/ir/rng.ts draws for (key = [seed, step], stream). */
export function randomOnDevice(kind: RandomKind, key: tf.Tensor, stream: number, shape: Shape): tf.Tensor {
  let p = philox.get(kind);
  if (!p) {
    p = new GdProgram(`philox_${kind}`, philoxProgramCode(kind), ['key'], 'n : i32, stream : u32, ', [64, 1, 1], (size) => Math.ceil(size / 4), false);
    philox.set(kind, p);
  }
  const n = sizeOf(shape);
  if (n === 0) return tf.zeros([...shape]);
  const out = p.run([tf.reshape(key, [2])], n, [
    { type: 'int32', data: [n] },
    { type: 'uint32', data: [Math.trunc(stream) >>> 0] },
  ]);
  return tf.reshape(out, [...shape]);
}

const linalg = new Map<string, GdProgram>();

/**
 * inv / solve / logdet on the device: LU with partial pivoting by one thread (small matrices; the
 * other backends run these on the host in float64). `b` is the right-hand side ([n, k] or [n]); inv
 * passes the identity.
 */
export function linalgOnDevice(op: 'inv' | 'solve' | 'logdet', a: tf.Tensor, b: tf.Tensor | null, outShape: Shape): tf.Tensor {
  const n = a.shape[0]!;
  const rhs = b ?? (op === 'inv' ? tf.eye(n) : tf.zeros([n, 1]));
  const k = rhs.size / Math.max(1, n);
  const key = `${n}x${k}`;
  let p = linalg.get(key);
  if (!p) {
    p = new GdProgram(`linalg${key}`, linalgProgramCode(n, k), ['a', 'b'], '', [1, 1, 1], () => 1, false);
    linalg.set(key, p);
  }
  const lay = linalgLayout(n, k);
  const out = p.run([tf.reshape(a, [n * n]), tf.reshape(rhs, [Math.max(1, n * k)])], lay.size, []);
  if (op === 'logdet') return tf.reshape(tf.slice(out, [lay.logdet], [1]), []);
  return tf.reshape(tf.slice(out, [lay.solution], [n * k]), [...outShape]);
}
