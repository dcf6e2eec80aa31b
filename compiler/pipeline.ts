/**
 * The driver: the only module that sees every phase, and the one place their order is written down.
 *
 *   text ─parse─▶ AST ─check─▶ CheckedProgram ─buildStep (lower + autodiff + geometry + method)─▶
 *   StepProgram ─passes (O0/O1)─▶ optimized StepProgram ─▶ runtime / emitters
 *
 * Every phase is a pure function of the previous representation; user errors travel as Diagnostic
 * values, compiler bugs as InternalError. The CLI, the programmatic API and the playground all call in here.
 */
import type { Program } from './ast/ast.js';
import { printAst } from './ast/print-ast.js';
import { parse } from './parse.js';
import { check } from './check/check.js';
import type { CheckedProgram, PlanItem } from './check/checked.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import { hasErrors, sortDiagnostics } from './diagnostics/diagnostic.js';
import type { CompilerHost } from './host.js';
import type { Graph } from './ir/ir.js';
import { printGraph } from './ir/print-ir.js';
import { lowerObjective } from './ir/lower.js';
import { grad } from './autodiff/reverse.js';
import { extendGraph } from './ir/builder.js';
import { runPasses, type OptLevel } from './passes/index.js';
import { kernelsOf, printKernels } from './passes/kernels.js';
import { printWgsl } from './backends/wgsl/kernel-wgsl.js';
import { buildStep, type BuildStepOptions } from './step.js';
import type { StepProgram } from './step-program.js';
import { GraphBuilder } from './ir/builder.js';
import { lowerExpr } from './ir/lower.js';
import type * as A from './ast/ast.js';
import { InternalError } from './diagnostics/internal-error.js';

export type { OptLevel };

export interface FrontOptions {
  /** `--set name=value`: overrides for dims and consts. */
  readonly overrides?: Record<string, number>;
}

export interface FrontResult {
  readonly program: Program | null;
  readonly checked: CheckedProgram | null;
  /** Sorted; complete even when `checked` is null. */
  readonly diagnostics: readonly Diagnostic[];
  /** Every source text the phases read, by file name, for rendering diagnostics. */
  readonly sources: ReadonlyMap<string, string>;
}

/** Wraps a host so that every .gd text read through it is remembered for diagnostics. */
function recordingHost(host: CompilerHost, sources: Map<string, string>): CompilerHost {
  return {
    readText(path) {
      const t = host.readText(path);
      if (t !== undefined) sources.set(path, t);
      return t;
    },
    readBytes: (path, max) => host.readBytes(path, max),
    size: (path) => host.size(path),
  };
}

/** Parse + check one file whose text is given. Syntax errors stop before checking (the AST would be partial). */
export function front(file: string, text: string, host: CompilerHost, opts: FrontOptions = {}): FrontResult {
  const sources = new Map<string, string>([[file, text]]);
  const parsed = parse(file, text);
  if (hasErrors(parsed.diagnostics)) {
    return { program: parsed.program, checked: null, diagnostics: sortDiagnostics(parsed.diagnostics), sources };
  }
  const res = check(parsed.program, recordingHost(host, sources), {
    overrides: opts.overrides,
    parseFile: parse,
  });
  const diagnostics = sortDiagnostics([...parsed.diagnostics, ...res.diagnostics]);
  return { program: parsed.program, checked: hasErrors(diagnostics) ? null : res.checked, diagnostics, sources };
}

/** The solves of the plan, in order. */
export function solveItems(checked: CheckedProgram): (PlanItem & { kind: 'solve' })[] {
  return checked.plan.filter((p): p is PlanItem & { kind: 'solve' } => p.kind === 'solve');
}

/** Runs the pass pipeline over every graph of a StepProgram. */
export function optimizeStep(sp: StepProgram, level: OptLevel): StepProgram {
  const step = runPasses(sp.step, level);
  const observe = runPasses(sp.observe, level);
  const until = sp.until ? runPasses(sp.until, level) : null;
  if (step === sp.step && observe === sp.observe && until === sp.until) return sp;
  return { ...sp, step, observe, until };
}

/** Compiles one solve of the plan into its optimized StepProgram. */
export function compileSolve(
  checked: CheckedProgram,
  item: PlanItem & { kind: 'solve' },
  level: OptLevel = 'O1',
  opts: BuildStepOptions = {},
): StepProgram {
  const shapes = opts.dataShapes ?? batchShapes(checked);
  return optimizeStep(buildStep(checked, item, shapes ? { ...opts, dataShapes: shapes } : opts), level);
}

/**
 * The run-time shapes of batched data ([batch, ...]) and of `per` params (their data's batch rows), or null
 * when nothing is batched: the step the runtime feeds with gathered rows must be built for those shapes.
 */
export function batchShapes(checked: CheckedProgram): Record<string, readonly number[]> | null {
  const out: Record<string, readonly number[]> = {};
  for (const [name, sym] of checked.symbols) {
    if (sym.kind === 'data' && sym.batch !== null) out[name] = [sym.batch, ...sym.shape.slice(1)];
  }
  for (const [name, sym] of checked.symbols) {
    if (sym.kind === 'param' && sym.per && out[sym.per]) out[name] = [out[sym.per]![0]!, ...sym.shape.slice(1)];
  }
  return Object.keys(out).length > 0 ? out : null;
}

export type DumpKind = 'ast' | 'ir' | 'grad' | 'opt' | 'fused' | 'wgsl';

/**
 * The human-readable dump of one phase (`gd compile --dump`): stable text, no spans or paths.
 * ir: each solve's objective graph; grad: the same with the backward pass; opt: the optimized step graph;
 * fused: the kernels that step runs, finiteness probe included (compiler/passes/kernels.ts); wgsl: their generated WebGPU shaders
 * (compiler/backends/wgsl/kernel-wgsl.ts).
 */
export function dump(fr: FrontResult, kind: DumpKind): string {
  if (kind === 'ast') return fr.program ? printAst(fr.program) : '';
  const checked = fr.checked;
  if (!checked) return '';
  const parts: string[] = [];
  for (const item of solveItems(checked)) {
    const title = `# ${item.phase ? `phase ${item.phase}: ` : ''}${item.stmt.sense} ${item.stmt.name.name}`;
    let g: Graph;
    // fused and wgsl show what `gd run` runs: the step with its finiteness probe (compiler/step.ts).
    if (kind === 'fused') {
      parts.push(`${title}\n${printKernels(compileSolve(checked, item, 'O1', { probe: true }).step)}`);
      continue;
    }
    if (kind === 'wgsl') {
      const step = compileSolve(checked, item, 'O1', { probe: true }).step;
      parts.push(`${title}\n${printWgsl(step, kernelsOf(step))}`);
      continue;
    }
    if (kind === 'opt') {
      g = compileSolve(checked, item, 'O1').step;
    } else {
      const low = lowerObjective(checked, item.stmt);
      g = low.graph;
      if (kind === 'grad') {
        const r = grad(g, low.objective, low.targets.map((t) => t.var));
        const b = extendGraph(r.graph);
        low.targets.forEach((t, i) => b.output(`d${item.stmt.name.name}/d${t.name}`, r.grads[i]!, 'grad'));
        g = b.build();
      }
    }
    parts.push(`${title}\n${printGraph(g)}`);
  }
  return parts.join('\n\n');
}

/** An initializer or `init ... from` expression as a graph with one 'value' output, unoptimized (as gd run evaluates it). */
export function valueGraph(checked: CheckedProgram, expr: A.Expr): Graph {
  const b = new GraphBuilder();
  b.output('value', lowerExpr(checked, expr, b), 'value');
  return b.build();
}

/** `gd compile --emit ts`: the checked program as a standalone TypeScript module (compiler/backends/ts), formatted. */
export async function emitTs(fr: FrontResult, level: OptLevel = 'O1'): Promise<string> {
  // Loaded on demand: the emitter pulls in ts-morph (the TypeScript compiler, ~0.7 s to import and
  // 6.5 MB in the playground), which gd check, gd run and the page's editor never need.
  const { emitTypeScript } = await import('./backends/ts/emit-module.js');
  const checked = fr.checked;
  if (!checked) throw new InternalError('emitTs needs a checked program');
  const solves = new Map<number, StepProgram>();
  checked.plan.forEach((item, i) => {
    if (item.kind === 'solve') solves.set(i, compileSolve(checked, item, level));
  });
  return emitTypeScript({ checked, sources: fr.sources, solves, valueGraph: (e) => valueGraph(checked, e) });
}
