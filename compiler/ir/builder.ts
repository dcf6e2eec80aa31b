/** GraphBuilder: the one way to make IR — allocates vars, infers shapes from the op table, verifies on build. */
import type { Span } from '../diagnostics/span.js';
import { InternalError } from '../diagnostics/internal-error.js';
import type { Attrs, Eqn, Graph, Input, InputRole, Output, OutputRole, Shape, Var } from './ir.js';
import { inferShape, sameShape, sizeOf, type OpName } from './ops.js';
import { verifyGraph } from './verify.js';

/** A var or a number (a number becomes a scalar constant; binary ops broadcast it). */
export type Operand = Var | number;

/**
 * Builds a graph equation by equation. Binary elementwise ops (and `where`) broadcast NumPy-style
 * themselves, as tfjs does, so the builder never inserts broadcast_to for them; the VJPs sum the
 * cotangent back over broadcast axes. Inputs are idempotent by name: asking twice for the same
 * input returns the same var (one input per symbol).
 */
export class GraphBuilder {
  private readonly inputs: Input[];
  private readonly eqns: Eqn[];
  private outputs: Output[];
  private nextId: number;
  /** Span attached to equations made without an explicit `loc` (set with `at`). */
  private currentLoc: Span | undefined;

  constructor(base?: Graph) {
    this.inputs = base ? [...base.inputs] : [];
    this.eqns = base ? [...base.eqns] : [];
    this.outputs = base ? [...base.outputs] : [];
    let max = -1;
    for (const i of this.inputs) max = Math.max(max, i.var.id);
    for (const e of this.eqns) max = Math.max(max, e.out.id);
    this.nextId = max + 1;
  }

  private fresh(shape: Shape): Var {
    return { id: this.nextId++, shape: [...shape] };
  }

  /** Sets the span given to later equations; returns the previous one so callers can restore it. */
  at(loc: Span | undefined): Span | undefined {
    const prev = this.currentLoc;
    this.currentLoc = loc;
    return prev;
  }

  /** A graph input; returns the existing var when an input of that name exists with the same shape and role. */
  input(name: string, shape: Shape, role: InputRole): Var {
    const existing = this.inputs.find((i) => i.name === name);
    if (existing) {
      if (!sameShape(existing.var.shape, shape) || existing.role !== role) {
        throw new InternalError(`input '${name}' redeclared as ${role}[${shape.join(',')}] (was ${existing.role}[${existing.var.shape.join(',')}])`);
      }
      return existing.var;
    }
    const v = this.fresh(shape);
    this.inputs.push({ var: v, name, role });
    return v;
  }

  /** The input named `name`, if any. */
  findInput(name: string): Input | undefined {
    return this.inputs.find((i) => i.name === name);
  }

  /** Appends one equation; its output shape comes from the op table (throws InternalError on misuse). */
  op(op: OpName, inputs: readonly Var[], attrs: Attrs = {}, loc?: Span): Var {
    const out = this.fresh(inferShape(op, inputs.map((v) => v.shape), attrs));
    const where = loc ?? this.currentLoc;
    this.eqns.push(where ? { out, op, inputs: [...inputs], attrs, loc: where } : { out, op, inputs: [...inputs], attrs });
    return out;
  }

  /**
   * Appends an existing equation unchanged (rewrites copy the equations they keep). Later fresh ids
   * stay above it; callers that mix copied and new equations first call `reserveIds` with the old graph's bound.
   */
  emit(eqn: Eqn): Var {
    this.eqns.push(eqn);
    this.nextId = Math.max(this.nextId, eqn.out.id + 1);
    return eqn.out;
  }

  /** Makes every later fresh id at least `bound` (so new vars never collide with ids of a graph being rewritten). */
  reserveIds(bound: number): void {
    this.nextId = Math.max(this.nextId, bound);
  }

  /** A constant `value` broadcast to `shape` (scalar by default). */
  const(value: number, shape: Shape = []): Var {
    return this.op('const', [], { value, shape: [...shape] });
  }

  /** A constant with literal row-major data. */
  tensor(data: readonly number[], shape: Shape): Var {
    return this.op('const', [], { value: null, shape: [...shape], tensor: [...data] });
  }

  /** Declares `v` as an output; replaces an existing output of the same role and name. */
  output(name: string, v: Var, role: OutputRole): void {
    this.outputs = this.outputs.filter((o) => !(o.name === name && o.role === role));
    this.outputs.push({ var: v, name, role });
  }

  /** Removes the outputs for which `drop` holds. */
  dropOutputs(drop: (o: Output) => boolean): void {
    this.outputs = this.outputs.filter((o) => !drop(o));
  }

  /** The equations appended so far (autodiff walks them backwards). */
  equations(): readonly Eqn[] {
    return this.eqns;
  }

  /** The inputs declared so far. */
  currentInputs(): readonly Input[] {
    return this.inputs;
  }

  /** The outputs declared so far. */
  currentOutputs(): readonly Output[] {
    return this.outputs;
  }

  /** Verifies and returns the graph (throws InternalError when malformed). */
  build(): Graph {
    return verifyGraph({ inputs: [...this.inputs], eqns: [...this.eqns], outputs: [...this.outputs] });
  }

  // ── sugar ────────────────────────────────────────────────────────────────

  /** A var for an operand (numbers become scalar constants). */
  v(x: Operand): Var {
    return typeof x === 'number' ? this.const(x) : x;
  }

  add(a: Operand, b: Operand): Var {
    return this.op('add', [this.v(a), this.v(b)]);
  }
  sub(a: Operand, b: Operand): Var {
    return this.op('sub', [this.v(a), this.v(b)]);
  }
  mul(a: Operand, b: Operand): Var {
    return this.op('mul', [this.v(a), this.v(b)]);
  }
  div(a: Operand, b: Operand): Var {
    return this.op('div', [this.v(a), this.v(b)]);
  }
  pow(a: Operand, b: Operand): Var {
    return this.op('pow', [this.v(a), this.v(b)]);
  }
  maximum(a: Operand, b: Operand): Var {
    return this.op('maximum', [this.v(a), this.v(b)]);
  }
  minimum(a: Operand, b: Operand): Var {
    return this.op('minimum', [this.v(a), this.v(b)]);
  }
  neg(x: Var): Var {
    return this.op('neg', [x]);
  }
  /** Any one-input elementwise op. */
  unary(op: OpName, x: Var): Var {
    return this.op(op, [x]);
  }
  where(cond: Operand, a: Operand, b: Operand): Var {
    return this.op('where', [this.v(cond), this.v(a), this.v(b)]);
  }

  /** Normalizes possibly negative axes; undefined means all axes. */
  axes(x: Var, axes?: number | readonly number[]): number[] {
    if (axes === undefined) return x.shape.map((_, i) => i);
    const list = typeof axes === 'number' ? [axes] : axes;
    return list.map((a) => (a < 0 ? a + x.shape.length : a)).sort((p, q) => p - q);
  }

  sum(x: Var, axes?: number | readonly number[], keepDims = false): Var {
    return this.op('sum', [x], { axes: this.axes(x, axes), keepDims });
  }
  max(x: Var, axes?: number | readonly number[], keepDims = false): Var {
    return this.op('max', [x], { axes: this.axes(x, axes), keepDims });
  }
  min(x: Var, axes?: number | readonly number[], keepDims = false): Var {
    return this.op('min', [x], { axes: this.axes(x, axes), keepDims });
  }
  prod(x: Var, axes?: number | readonly number[], keepDims = false): Var {
    return this.op('prod', [x], { axes: this.axes(x, axes), keepDims });
  }
  /** mean = sum / count (count of the reduced elements). */
  mean(x: Var, axes?: number | readonly number[], keepDims = false): Var {
    const ax = this.axes(x, axes);
    const count = ax.reduce((n, a) => n * x.shape[a]!, 1);
    return this.div(this.sum(x, ax, keepDims), count);
  }

  /** 2-D matmul with optional transposes. */
  matmul(a: Var, b: Var, opts: { transposeA?: boolean; transposeB?: boolean } = {}): Var {
    return this.op('matmul', [a, b], { transposeA: opts.transposeA ?? false, transposeB: opts.transposeB ?? false });
  }

  /** Reshape; returns `x` itself when the shape is unchanged. */
  reshape(x: Var, shape: Shape): Var {
    if (sameShape(x.shape, shape)) return x;
    if (sizeOf(shape) !== sizeOf(x.shape)) throw new InternalError(`reshape [${x.shape.join(',')}] to [${shape.join(',')}]`);
    return this.op('reshape', [x], { shape: [...shape] });
  }

  /** broadcast_to; returns `x` itself when the shape is unchanged. */
  broadcastTo(x: Var, shape: Shape): Var {
    if (sameShape(x.shape, shape)) return x;
    return this.op('broadcast_to', [x], { shape: [...shape] });
  }

  /** Transpose; default perm reverses the axes. */
  transpose(x: Var, perm?: readonly number[]): Var {
    const p = perm ?? x.shape.map((_, i) => x.shape.length - 1 - i);
    if (p.every((a, i) => a === i)) return x;
    return this.op('transpose', [x], { perm: [...p] });
  }

  slice(x: Var, begin: readonly number[], end: readonly number[], strides?: readonly number[]): Var {
    return this.op('slice', [x], { begin: [...begin], end: [...end], strides: [...(strides ?? begin.map(() => 1))] });
  }

  concat(xs: readonly Var[], axis: number): Var {
    if (xs.length === 1) return xs[0]!;
    return this.op('concat', xs, { axis: axis < 0 ? axis + xs[0]!.shape.length : axis });
  }

  /** Zeros of a shape. */
  zeros(shape: Shape): Var {
    return this.const(0, shape);
  }
}

/** A builder that appends to an existing graph (autodiff, geometry and method lowering). */
export function extendGraph(g: Graph): GraphBuilder {
  return new GraphBuilder(g);
}
