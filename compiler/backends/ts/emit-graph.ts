/**
 * One IR graph as one TypeScript function: a parameter per graph input, a `const` per equation inside
 * one tf.tidy (so every intermediate is freed), the .gd source line above the equations it came from,
 * and the chosen outputs returned. Only the equations the returned outputs need are emitted.
 */
import { StructureKind, type FunctionDeclarationStructure } from 'ts-morph';
import { lineCol } from '../../diagnostics/span.js';
import { InternalError } from '../../diagnostics/internal-error.js';
import type { Graph, Input, Output } from '../../ir/ir.js';
import { NameScope, nums } from './names.js';
import { OP_EMITTERS } from './op-emitters.js';

/** Source texts by file name, and the main file (whose lines are cited as `line N`). */
export interface SourceText {
  readonly main: string;
  readonly files: ReadonlyMap<string, string>;
}

export interface GraphFunctionSpec {
  readonly name: string;
  readonly doc: string;
  readonly graph: Graph;
  /** The outputs to return, in order. */
  readonly returns: readonly Output[];
  /** The result type and the return expression, given each returned output's expression. */
  readonly result: (value: (o: Output) => string) => { readonly type: string; readonly expr: string };
}

export interface GraphFunction {
  readonly structure: FunctionDeclarationStructure;
  /** The graph inputs in parameter order. */
  readonly params: readonly Input[];
}

/** The `line N: text` comment of a source offset (other files: `file:N: text`). */
export function sourceComment(src: SourceText, file: string, offset: number): string | null {
  const text = src.files.get(file);
  if (text === undefined) return null;
  const { line } = lineCol(text, offset);
  const lineText = (text.split('\n')[line - 1] ?? '').trim().replace(/\*\//g, '*\\/');
  const where = file === src.main ? `line ${line}` : `${file.slice(file.lastIndexOf('/') + 1)}:${line}`;
  return `${where}: ${lineText}`;
}

function paramType(inp: Input): string {
  if (inp.role === 'rng') return 'gd.RngKey';
  if (inp.role === 'scalar') return 'number';
  return 'tf.Tensor';
}

/** Emits `spec.graph` as a function declaration. */
export function emitGraphFunction(spec: GraphFunctionSpec, src: SourceText): GraphFunction {
  const g = spec.graph;
  const scope = new NameScope();
  const expr = new Map<number, string>();
  const params = g.inputs;
  const statements: string[] = [];
  const paramIds = params.map((p) => scope.fresh(p.name));
  // Liveness: only what the returned outputs need.
  const live = new Set(spec.returns.map((o) => o.var.id));
  for (let i = g.eqns.length - 1; i >= 0; i--) {
    const e = g.eqns[i]!;
    if (live.has(e.out.id)) for (const v of e.inputs) live.add(v.id);
  }
  params.forEach((inp, i) => {
    const id = paramIds[i]!;
    if (inp.role === 'scalar' && live.has(inp.var.id)) {
      // Run-time scalars (the step counter) arrive as numbers and become float32 tensors here.
      const t = scope.fresh(`${id}Tensor`);
      statements.push(`const ${t} = ${inp.var.shape.length === 0 ? `tf.scalar(${id})` : `tf.fill(${nums(inp.var.shape)}, ${id})`};`);
      expr.set(inp.var.id, t);
    } else expr.set(inp.var.id, id);
  });
  let lastComment: string | null = null;
  for (const e of g.eqns) {
    if (!live.has(e.out.id)) continue;
    const c = e.loc ? sourceComment(src, e.loc.file, e.loc.start) : null;
    if (c !== null && c !== lastComment) {
      statements.push(`// ${c}`);
      lastComment = c;
    }
    const ins = e.inputs.map((v) => {
      const x = expr.get(v.id);
      if (x === undefined) throw new InternalError(`emit: %${v.id} used before definition`);
      if (e.op !== 'randn' && e.op !== 'rand' && params.some((p) => p.role === 'rng' && p.var.id === v.id)) {
        throw new InternalError(`emit: the rng key feeds a '${e.op}'`);
      }
      return x;
    });
    const name = scope.fresh(`v${e.out.id}`);
    statements.push(`const ${name} = ${OP_EMITTERS[e.op](ins, e.attrs, e.out)}; // ${e.op} [${e.out.shape.join(', ')}]`);
    expr.set(e.out.id, name);
  }
  // Each returned output gets its own tensor: one that is an input (or already returned) is cloned.
  const inputIds = new Set(params.map((p) => p.var.id));
  const seen = new Set<number>();
  const value = (o: Output): string => {
    const x = expr.get(o.var.id);
    if (x === undefined) throw new InternalError(`emit: output '${o.name}' is undefined`);
    const own = !inputIds.has(o.var.id) && !seen.has(o.var.id);
    seen.add(o.var.id);
    return own ? x : `tf.clone(${x})`;
  };
  const r = spec.result(value);
  const body = [...statements, `return ${r.expr};`];
  return {
    params,
    structure: {
      kind: StructureKind.Function,
      name: spec.name,
      docs: [spec.doc],
      parameters: params.map((p, i) => ({ name: paramIds[i]!, type: paramType(p) })),
      returnType: r.type,
      statements: [`return tf.tidy((): ${r.type} => {`, ...body, '});'],
    },
  };
}
