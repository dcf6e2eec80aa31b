/**
 * The run loop: walks a checked program's plan in order (solves, prunes, inits, saves) on tfjs,
 * feeding each compiled step graph its inputs by role, keeping params, optimizer state and masks on
 * the device between steps, logging through the observe graph, writing the run folder, and stopping
 * cleanly on non-finite values (GD4006) and interrupts (GD4007) with a checkpoint to resume from.
 */
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import type * as A from '../compiler/ast/ast.js';
import type { CheckedProgram, PlanItem, Sym } from '../compiler/check/checked.js';
import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { checkpointInvalid, interrupted, nonFiniteValue, runtimeUnsupported, dataShapeMismatch } from '../compiler/diagnostics/constructors/runtime.js';
import { InternalError } from '../compiler/diagnostics/internal-error.js';
import type { CompilerHost } from '../compiler/host.js';
import { GraphBuilder } from '../compiler/ir/builder.js';
import type { Graph, Input } from '../compiler/ir/ir.js';
import { lowerExpr } from '../compiler/ir/lower.js';
import { PROBE_OUTPUT, type StepProgram } from '../compiler/step-program.js';
import { selectBackend, type BackendName } from './backend.js';
import { readCheckpoint, writeCheckpoint, type Checkpoint, CHECKPOINT_FORMAT } from './checkpoint.js';
import { Batcher, BATCH_STREAM, batchGroupKey } from './data/batches.js';
import { filled, type HostTensor } from './data/host-tensor.js';
import { loadData } from './data/load.js';
import { GraphExecutor, outputKey, type Feed } from './executor.js';
import { RuntimeFault, fail } from './faults.js';
import { constValue, directInit, initOf } from './init-values.js';
import { nodeFiles } from './node-files.js';
import { runFinishedHooks } from './run-hooks.js';
import { prepareWasmKernels } from './wasm-simd/wasm-kernels.js';
import { CsvWriter, RunFolder, tensorsJson, toNested, versions, type LogRow, type LogValue } from './outputs.js';

export type SolveItem = PlanItem & { kind: 'solve' };

export interface Progress {
  /** The solve's objective name and phase. */
  readonly objective: string;
  readonly phase: string | null;
  /** Steps done in this solve, and its step budget (null: `until` without `max`). */
  readonly t: number;
  readonly total: number | null;
  readonly globalStep: number;
  /** The latest log row, if any was written in this solve. */
  readonly latest: LogRow | null;
}

export interface RunOptions {
  readonly backend: BackendName;
  readonly seed: number;
  /** Overrides every solve's step count (`for N`) and cap (`until ... max N`). */
  readonly steps?: number;
  /** The run folder, or null to write nothing. */
  readonly outDir: string | null;
  readonly onProgress?: (p: Progress) => void;
  /** Aborting it (SIGINT) checkpoints and ends the run with GD4007. */
  readonly signal?: AbortSignal;
  /**
   * false: every op runs as its tfjs kernel (no generated WASM/WGSL/JS fused kernels, no in-WASM random
   * draws) — the op-by-op reference that emitted modules reproduce and fused kernels are tested against.
   */
  readonly fused?: boolean;
  /** A run folder (or its checkpoint/ folder) to continue from. */
  readonly resumeFrom?: string;
  /** Compiles one solve of the plan (compiler/pipeline.ts compileSolve). */
  readonly compileStep: (item: SolveItem) => StepProgram;
  /**
   * Lowers an expression of data, params and consts to a graph with one 'value' output, for
   * initializers that are not simple fills and for `init x from EXPR` (default: lowerValue).
   */
  readonly compileExpr?: (expr: A.Expr) => Graph;
  /** Reads data files (default: the local file system). */
  readonly host?: CompilerHost;
  /** Name recorded in run.json (default: the program's file name). */
  readonly programName?: string;
  /**
   * Activates the tfjs backend in place of selectBackend(backend) and returns its name: the browser
   * playground loads webgpu/webgl/wasm/cpu itself (its loaders differ from Node's).
   */
  readonly activateBackend?: () => Promise<string>;
  /**
   * How the step loop shares the thread: after `sliceMs` of steps it awaits `yield()` (default: 50 ms,
   * then setImmediate, so SIGINT and piped output get through). The playground yields to the next
   * animation frame every ~12 ms, so the page repaints and handles input while a program runs.
   */
  readonly pacing?: { readonly sliceMs: number; readonly yield: () => Promise<void> };
}

export interface RunResult {
  readonly status: 'ok' | 'error' | 'interrupted';
  readonly diagnostics: readonly Diagnostic[];
  readonly program: string;
  readonly backend: string;
  readonly seed: number;
  /** Steps done by the whole run. */
  readonly steps: number;
  readonly elapsedMs: number;
  /** The last solve's objective at the final state. */
  readonly objective: { readonly name: string; readonly value: number } | null;
  readonly params: Readonly<Record<string, HostTensor>>;
  readonly log: readonly LogRow[];
  readonly runDir: string | null;
}

/** A run's mutable device state; every tensor here is owned by the run and disposed when replaced. */
interface RunState {
  /** Data, params and particles by name. */
  readonly values: Map<string, tf.Tensor>;
  /** Optimizer state of the current solve, by `<target>.<slot>`. */
  readonly slots: Map<string, tf.Tensor>;
  /** Prune masks by param name. */
  readonly masks: Map<string, tf.Tensor>;
  readonly batchers: Map<string, Batcher>;
  planIndex: number;
  t: number;
  globalStep: number;
  readonly log: LogRow[];
  readonly records: Map<string, LogRow[]>;
}

/** FNV-1a of a string, hex: a cheap fingerprint of the program a checkpoint belongs to. */
function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

function fingerprint(checked: CheckedProgram): string {
  const syms = [...checked.symbols.values()].map((s) => `${s.kind}:${s.name}:${'shape' in s ? s.shape.join('x') : ''}`);
  const plan = checked.plan.map((p) => `${p.kind}:${p.phase ?? ''}`);
  return fnv(JSON.stringify([syms, plan]));
}

const isTensorSym = (s: Sym): s is Sym & { kind: 'data' | 'param' | 'particles' } => s.kind === 'data' || s.kind === 'param' || s.kind === 'particles';

/** A tensor's values on the host. */
async function host(t: tf.Tensor): Promise<HostTensor> {
  return { shape: [...t.shape], data: Float32Array.from((await t.data()) as Float32Array) };
}


/** Replaces `name` in `m`, disposing the tensor it held. */
function replace(m: Map<string, tf.Tensor>, name: string, t: tf.Tensor): void {
  const old = m.get(name);
  m.set(name, t);
  if (old && old !== t) old.dispose();
}

/** Display name of an output item: its `name =` or its source text. */
const itemName = (it: A.OutputItem) => it.name?.name ?? it.text;

/** The run-control settings of a solve that the StepProgram does not carry. */
interface Controls {
  readonly total: number | null;
  readonly logEvery: number | null;
  readonly logItems: readonly string[];
  readonly records: readonly { readonly file: string; readonly every: number; readonly items: readonly string[] }[];
  readonly checkpointEvery: number | null;
  /** Steps taken on each minibatch before the batchers advance (method option `batch_steps`, default 1). */
  readonly batchSteps: number;
}

function controlsOf(checked: CheckedProgram, item: SolveItem, stepsOverride: number | undefined): Controls {
  const num = (e: A.Expr, what: string): number => {
    const v = constValue(checked, e);
    if (v === null || !Number.isInteger(v) || v < 1) fail(runtimeUnsupported(`a non-constant or non-positive ${what}`, e.span));
    return v;
  };
  let logEvery: number | null = null;
  const logItems: string[] = [];
  const records: { file: string; every: number; items: string[] }[] = [];
  let checkpointEvery: number | null = null;
  for (const c of item.stmt.controls) {
    if (c.kind === 'Log') {
      logEvery = num(c.every, 'log interval');
      logItems.push(...c.items.map(itemName));
    } else if (c.kind === 'Record') {
      records.push({ file: c.file.value, every: c.every ? num(c.every, 'record interval') : 1, items: c.items.map(itemName) });
    } else if (c.kind === 'Checkpoint') {
      checkpointEvery = num(c.every, 'checkpoint interval');
    }
  }
  const spec = item.steps;
  const total = stepsOverride ?? (spec.kind === 'for' ? spec.count : spec.max);
  const bs = item.stmt.method.args.find((a) => a.name?.name === 'batch_steps');
  const batchSteps = bs ? num(bs.value, 'batch_steps') : 1;
  return { total, logEvery, logItems, records, checkpointEvery, batchSteps };
}

/**
 * Runs the program. User errors (bad data, non-finite values, interrupts, unavailable backends) come
 * back as diagnostics in the result, never as exceptions; compiler bugs (InternalError) propagate.
 */
export async function runProgram(checked: CheckedProgram, opts: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const program = opts.programName ?? checked.program.file;
  const files = opts.host ?? nodeFiles;
  let backendName: string = opts.backend;
  let folder: RunFolder | null = null;
  let st: RunState | null = null;
  let lastObjective: { name: string; value: number } | null = null;
  const diagnostics: Diagnostic[] = [];
  let status: RunResult['status'] = 'ok';
  let bug: unknown = null;
  const runInfo = (s: string) => ({
    program,
    seed: opts.seed,
    backend: backendName,
    versions: versions(),
    steps: st?.globalStep ?? 0,
    wall_time_ms: Date.now() - started,
    started: new Date(started).toISOString(),
    status: s,
    ...(opts.resumeFrom ? { resumed_from: opts.resumeFrom } : {}),
  });

  try {
    backendName = opts.activateBackend ? await opts.activateBackend() : (await selectBackend(opts.backend)).name;
    folder = opts.outDir === null ? null : new RunFolder(opts.outDir);
    const resume = opts.resumeFrom ? readCheckpoint(opts.resumeFrom) : null;
    if (resume) {
      if (resume.fingerprint !== fingerprint(checked)) fail(checkpointInvalid(opts.resumeFrom!, 'it was written by a different program (declarations or plan differ)'));
      if (resume.seed !== opts.seed) fail(checkpointInvalid(opts.resumeFrom!, `it was written with --seed ${resume.seed}; pass the same seed`));
      if (resume.backend !== backendName) fail(checkpointInvalid(opts.resumeFrom!, `it was written on backend '${resume.backend}'; resume on the same backend for identical numbers`));
    }
    folder?.writeJson('run.json', runInfo('running'));

    // Compile every solve first, so compile errors surface before any work and the metrics header is known.
    const solves = new Map<number, { sp: StepProgram; ctl: Controls }>();
    checked.plan.forEach((item, i) => {
      if (item.kind === 'solve') solves.set(i, { sp: opts.compileStep(item), ctl: controlsOf(checked, item, opts.steps) });
    });
    const columns = [...new Set([...solves.values()].flatMap((s) => s.ctl.logItems))];
    const metrics = folder ? new CsvWriter(folder.path('metrics.csv'), columns) : null;

    st = {
      values: new Map(),
      slots: new Map(),
      masks: new Map(),
      batchers: new Map(),
      planIndex: resume?.planIndex ?? 0,
      t: resume?.t ?? 0,
      globalStep: resume?.globalStep ?? 0,
      log: [...(resume?.log ?? [])],
      records: new Map(Object.entries(resume?.records ?? {}).map(([k, v]) => [k, [...v]])),
    };
    metrics?.start(st.log);
    await initialize(checked, opts, files, st, resume);

    const ctx: LoopContext = { checked, opts, st, folder, metrics, recordWriters: new Map(), backend: backendName, program };
    if (folder) {
      // A resumed run rewrites its record files from the checkpoint, dropping rows logged after it.
      const recordColumns = new Map([...solves.values()].flatMap((s) => s.ctl.records.map((r) => [r.file, r.items] as const)));
      for (const [file, rows] of st.records) {
        const w = new CsvWriter(folder.path(file), recordColumns.get(file) ?? []);
        w.start(rows);
        ctx.recordWriters.set(file, w);
      }
    }
    for (; st.planIndex < checked.plan.length; st.planIndex++, st.t = 0) {
      const item = checked.plan[st.planIndex]!;
      switch (item.kind) {
        case 'solve': {
          const { sp, ctl } = solves.get(st.planIndex)!;
          lastObjective = await runSolve(ctx, item, sp, ctl, resume !== null && resume.planIndex === st.planIndex ? resume : null);
          break;
        }
        case 'prune':
          await prune(checked, st, item.stmt);
          break;
        case 'init':
          await initFrom(checked, opts, st, item.stmt);
          break;
        case 'save':
          await save(st, folder, item.stmt);
          break;
      }
    }
  } catch (e) {
    if (e instanceof RuntimeFault) {
      diagnostics.push(e.diagnostic);
      status = e.diagnostic.code === 'GD4007' ? 'interrupted' : 'error';
    } else {
      // A compiler or runtime bug: still record the state and free the tensors, then rethrow.
      bug = e;
      status = 'error';
    }
  }

  const params: Record<string, HostTensor> = Object.create(null); // a param named `__proto__` stays an own key
  try {
    if (st) {
      for (const s of checked.symbols.values()) {
        const t = st.values.get(s.name);
        if ((s.kind === 'param' || s.kind === 'particles') && t) params[s.name] = await host(t);
      }
    }
  } catch (e) {
    if (bug === null) throw e; // after a bug the backend may be unusable; report the first error
  }
  try {
    if (folder && st) {
      folder.writeJson('params.json', tensorsJson(params));
      folder.writeJson('run.json', runInfo(status));
      if (status === 'ok' && bug === null) runFinishedHooks({ uses: checked.uses, records: st.records, write: (rel, text) => writeFileSync(folder.path(rel), text) });
    }
  } catch (e) {
    if (!(e instanceof RuntimeFault)) throw e;
    diagnostics.push(e.diagnostic);
    status = 'error';
  }
  if (st) for (const m of [st.values, st.slots, st.masks]) for (const t of m.values()) t.dispose();
  if (bug !== null) throw bug;
  return {
    status,
    diagnostics,
    program,
    backend: backendName,
    seed: opts.seed,
    steps: st?.globalStep ?? 0,
    elapsedMs: Date.now() - started,
    objective: lastObjective,
    params,
    log: st?.log ?? [],
    runDir: folder?.dir ?? null,
  };
}

// ── initial values ──────────────────────────────────────────────────────────

/** The default expression compiler: the IR lowering, with the value as the one output. */
export function lowerValue(checked: CheckedProgram, expr: A.Expr): Graph {
  const b = new GraphBuilder();
  b.output('value', lowerExpr(checked, expr, b), 'value');
  return b.build();
}

/** Evaluates `expr` through the caller's lowering and the executor, feeding values computed so far. */
async function evalExpr(checked: CheckedProgram, opts: RunOptions, st: RunState, expr: A.Expr, what: string): Promise<tf.Tensor> {
  const g = (opts.compileExpr ?? ((e: A.Expr) => lowerValue(checked, e)))(expr);
  const ex = new GraphExecutor(g, { fused: opts.fused });
  try {
    const feeds = new Map<string, Feed>();
    for (const inp of g.inputs) {
      // Unseeded randn/rand in an initializer read the run's key at step 0, as the direct fills do.
      if (inp.role === 'rng') {
        feeds.set(inp.name, { shape: [2], data: Float32Array.of(opts.seed, 0) });
        continue;
      }
      const v = st.values.get(inp.name);
      if (!v) fail(runtimeUnsupported(`${what}: it reads '${inp.name}', which has no value yet`, expr.span));
      feeds.set(inp.name, v);
    }
    const outs = ex.run(feeds);
    const out = g.outputs.find((o) => o.role === 'value') ?? g.outputs[0];
    if (!out) throw new InternalError('expression graph without an output');
    let result: tf.Tensor | null = null;
    for (const [k, t] of outs) {
      if (k === outputKey(out.role, out.name)) result = t;
      else t.dispose();
    }
    return result!;
  } finally {
    ex.dispose();
  }
}

/** Sets data, params and particles to their initial (or resumed) values; sets up the batchers. */
async function initialize(checked: CheckedProgram, opts: RunOptions, files: CompilerHost, st: RunState, resume: Checkpoint | null): Promise<void> {
  for (const sym of checked.symbols.values()) {
    if (!isTensorSym(sym)) continue;
    const saved = resume?.tensors[`value:${sym.name}`];
    if (saved && sym.kind !== 'data') {
      st.values.set(sym.name, tf.tensor(saved.data, [...saved.shape], 'float32'));
      continue;
    }
    let t: tf.Tensor;
    if (sym.kind === 'data' && sym.source.kind === 'load') {
      const h = loadData(files, sym.source.path, sym.source.format, sym.shape, sym.name, sym.decl.init.span);
      t = tf.tensor(h.data, [...h.shape], 'float32');
    } else {
      const { init, domain } = initOf(sym);
      const direct = directInit(checked, init, sym.shape, domain, opts.seed);
      if (direct) {
        t = tf.tensor(direct.data, [...direct.shape], 'float32');
      } else {
        const v = await evalExpr(checked, opts, st, init!, `the initializer of '${sym.name}'`);
        if (v.shape.length !== sym.shape.length || v.shape.some((d, i) => d !== sym.shape[i])) {
          // Scalars and broadcastable values fill the declared shape; anything else is a shape error.
          try {
            t = tf.tidy(() => tf.broadcastTo(v, [...sym.shape]));
          } catch {
            v.dispose();
            fail(dataShapeMismatch(sym.name, sym.shape, v.shape, 'its initializer', init!.span));
          }
          v.dispose();
        } else {
          t = v;
        }
      }
    }
    st.values.set(sym.name, t);
  }
  for (const sym of checked.symbols.values()) {
    if (sym.kind !== 'data' || sym.batch === null) continue;
    const rows = sym.shape[0]!;
    if (sym.batch > rows) fail(runtimeUnsupported(`batch ${sym.batch} larger than the ${rows} rows of '${sym.name}'`, sym.span));
    const key = batchGroupKey(rows, sym.batch);
    if (!st.batchers.has(key)) {
      const b = new Batcher(rows, sym.batch, opts.seed, BATCH_STREAM + st.batchers.size);
      b.counter = resume?.batchCounters[key] ?? 0;
      st.batchers.set(key, b);
    }
  }
  if (resume) {
    for (const [k, h] of Object.entries(resume.tensors)) {
      const [kind, name] = [k.slice(0, k.indexOf(':')), k.slice(k.indexOf(':') + 1)];
      if (kind === 'mask') st.masks.set(name, tf.tensor(h.data, [...h.shape], 'float32'));
    }
  }
}

// ── solves ──────────────────────────────────────────────────────────────────

interface LoopContext {
  readonly checked: CheckedProgram;
  readonly opts: RunOptions;
  readonly st: RunState;
  readonly folder: RunFolder | null;
  readonly metrics: CsvWriter | null;
  readonly recordWriters: Map<string, CsvWriter>;
  readonly backend: string;
  readonly program: string;
}

/** The batcher whose rows a data symbol (or a `per` param, through its data) follows, or null when unbatched. */
function batcherOf(ctx: LoopContext, name: string): Batcher | null {
  const sym = ctx.checked.symbols.get(name);
  if (!sym) return null;
  if (sym.kind === 'param' && sym.per) return batcherOf(ctx, sym.per);
  if (sym.kind !== 'data' || sym.batch === null) return null;
  return ctx.st.batchers.get(batchGroupKey(sym.shape[0]!, sym.batch)) ?? null;
}

/** The symbol that owns an input: a param/particles/data of that name, or the target of a `<target>.<slot>` state. */
function ownerOf(inp: Input): string {
  if (inp.role === 'state' || inp.role === 'mask') return inp.name.slice(0, inp.name.lastIndexOf('.'));
  return inp.name;
}

/** Per-step scratch: gathered rows to scatter back and tensors to dispose after the step. */
interface StepFeeds {
  readonly feeds: Map<string, Feed>;
  /** Row indices ([K, 1] int32) of inputs fed as gathered rows, by input name. */
  readonly gathered: Map<string, tf.Tensor>;
  readonly temps: tf.Tensor[];
}

function buildFeeds(ctx: LoopContext, g: Graph, t: number): StepFeeds {
  const { st, checked } = ctx;
  const feeds = new Map<string, Feed>();
  const gathered = new Map<string, tf.Tensor>();
  const temps: tf.Tensor[] = [];
  const idxCache = new Map<Batcher, tf.Tensor>();
  const rowsFor = (b: Batcher) => {
    let i = idxCache.get(b);
    if (!i) {
      i = tf.tensor2d(b.rowsOf(), [b.batch, 1], 'int32');
      idxCache.set(b, i);
      temps.push(i);
    }
    return i;
  };
  for (const inp of g.inputs) {
    let full: tf.Tensor | undefined;
    switch (inp.role) {
      case 'param':
      case 'particles':
      case 'data':
        full = st.values.get(inp.name);
        break;
      case 'state':
        full = st.slots.get(inp.name);
        break;
      case 'mask':
        full = st.masks.get(ownerOf(inp));
        if (!full) {
          feeds.set(inp.name, filled(inp.var.shape, 1));
          continue;
        }
        break;
      case 'scalar': {
        const sym = checked.symbols.get(inp.name);
        const v = inp.name === 't' ? t : sym && (sym.kind === 'const' || sym.kind === 'dim') ? sym.value : undefined;
        if (v === undefined) throw new InternalError(`no run-time scalar named '${inp.name}'`);
        feeds.set(inp.name, { shape: [...inp.var.shape], data: new Float32Array(Math.max(1, inp.var.shape.reduce((a, b) => a * b, 1))).fill(v) });
        continue;
      }
      case 'rng':
        feeds.set(inp.name, { shape: [2], data: Float32Array.of(ctx.opts.seed, st.globalStep) });
        continue;
      case 'rows': {
        // `state: dense`: the step gathers the batch rows of the whole `<param>` table itself.
        const b = batcherOf(ctx, inp.name.slice(0, inp.name.lastIndexOf('.')));
        if (!b) throw new InternalError(`no minibatch for graph input '${inp.name}'`);
        feeds.set(inp.name, { shape: [b.batch], data: Float32Array.from(b.rowsOf()) });
        continue;
      }
    }
    if (!full) throw new InternalError(`no value for graph input '${inp.name}' (${inp.role})`);
    const b = batcherOf(ctx, ownerOf(inp));
    if (b && full.shape[0] === b.rows && inp.var.shape[0] === b.batch && b.rows !== b.batch) {
      const idx = rowsFor(b);
      const rows = tf.gatherND(full, idx);
      temps.push(rows);
      gathered.set(inp.name, idx);
      feeds.set(inp.name, rows);
    } else {
      feeds.set(inp.name, full);
    }
  }
  return { feeds, gathered, temps };
}

/**
 * A tensor's values for the step loop's per-step reads (finiteness probe, `until` condition): read
 * synchronously where the backend can, which on wasm/cpu costs a third of tfjs's promise path, and
 * awaited on webgpu, where Dawn under Node has no synchronous read-back.
 */
function readBack(t: tf.Tensor): tf.TypedArray | Promise<tf.TypedArray> {
  // Numeric tensors only (probes and conditions are float32 or bool): their values are typed arrays.
  return tf.getBackend() === 'webgpu' ? (t.data() as Promise<tf.TypedArray>) : (t.dataSync() as tf.TypedArray);
}

/** The first non-finite entry of a tensor, read back (only on the failure path). */
async function firstBad(t: tf.Tensor): Promise<number | null> {
  const d = await t.data();
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) return d[i]!;
  return null;
}

/** Snapshot of the run's committed state as a checkpoint; returns its folder, or null without a run folder. */
// Every read-back in the step loop is asynchronous: tfjs-backend-webgpu under Node (Dawn) has no synchronous read.
async function checkpoint(ctx: LoopContext): Promise<string | null> {
  const { st, folder } = ctx;
  if (!folder) return null;
  const tensors: Record<string, HostTensor> = {};
  for (const sym of ctx.checked.symbols.values()) {
    const v = st.values.get(sym.name);
    if ((sym.kind === 'param' || sym.kind === 'particles') && v) tensors[`value:${sym.name}`] = await host(v);
  }
  for (const [k, v] of st.slots) tensors[`state:${k}`] = await host(v);
  for (const [k, v] of st.masks) tensors[`mask:${k}`] = await host(v);
  const batchCounters: Record<string, number> = {};
  for (const [k, b] of st.batchers) batchCounters[k] = b.counter;
  return writeCheckpoint(folder.dir, {
    format: CHECKPOINT_FORMAT,
    program: ctx.program,
    fingerprint: fingerprint(ctx.checked),
    seed: ctx.opts.seed,
    backend: ctx.backend,
    planIndex: st.planIndex,
    t: st.t,
    globalStep: st.globalStep,
    tensors,
    batchCounters,
    log: st.log,
    records: Object.fromEntries(st.records),
  });
}

/** Runs the observe graph at the current state; returns the objective and the log items by name. */
async function observe(ctx: LoopContext, ex: GraphExecutor, sp: StepProgram, t: number): Promise<{ objective: number; items: Record<string, LogValue> }> {
  const f = buildFeeds(ctx, ex.graph, t);
  try {
    const outs = ex.run(f.feeds);
    let objective = NaN;
    const items: Record<string, LogValue> = {};
    for (const o of ex.graph.outputs) {
      const tensor = outs.get(outputKey(o.role, o.name))!;
      const h = await host(tensor);
      tensor.dispose();
      if (o.role === 'objective' && o.name === sp.objective) objective = h.data[0]!;
      else if (o.role === 'log') items[o.name] = toNested(h);
    }
    return { objective, items };
  } finally {
    for (const x of f.temps) x.dispose();
  }
}

async function runSolve(ctx: LoopContext, item: SolveItem, sp: StepProgram, ctl: Controls, resume: Checkpoint | null): Promise<{ name: string; value: number }> {
  const { st, opts } = ctx;
  // A new solve starts with fresh optimizer state (as a new torch optimizer would); a resumed one restores it.
  for (const s of st.slots.values()) s.dispose();
  st.slots.clear();
  for (const slot of sp.state) {
    const saved = resume?.tensors[`state:${slot.name}`];
    st.slots.set(slot.name, saved ? tf.tensor(saved.data, [...saved.shape], 'float32') : tf.fill([...slot.shape], slot.init, 'float32'));
  }
  // Loads the WASM kernel compiler first when some kernel of these graphs would run as one (tfjs-wasm only).
  if (opts.fused !== false) await prepareWasmKernels([sp.step, sp.observe]);
  const fused = { fused: opts.fused };
  const step = new GraphExecutor(sp.step, fused);
  const obs = new GraphExecutor(sp.observe, fused);
  const until = sp.until ? new GraphExecutor(sp.until, fused) : null;
  const targets = new Set(sp.targets);
  const total = ctl.total;
  let latest: LogRow | null = null;
  const emit = (items: Record<string, LogValue>) => {
    const row: LogRow = { step: st.globalStep, values: Object.fromEntries(ctl.logItems.filter((n) => n in items).map((n) => [n, items[n]!])) };
    st.log.push(row);
    ctx.metrics?.append(row);
    latest = row;
  };
  const recordRows = (items: Record<string, LogValue>) => {
    for (const r of ctl.records) {
      if (st.t % r.every !== 0) continue;
      const row: LogRow = { step: st.globalStep, values: Object.fromEntries(r.items.filter((n) => n in items).map((n) => [n, items[n]!])) };
      const rows = st.records.get(r.file) ?? [];
      rows.push(row);
      st.records.set(r.file, rows);
      if (ctx.folder) {
        let w = ctx.recordWriters.get(r.file);
        if (!w) {
          w = new CsvWriter(ctx.folder.path(r.file), r.items);
          w.start(rows.slice(0, -1));
          ctx.recordWriters.set(r.file, w);
        }
        w.append(row);
      }
    }
  };
  const wantsObserve = () => (ctl.logEvery !== null && st.t % ctl.logEvery === 0) || ctl.records.some((r) => st.t % r.every === 0);
  // Every checkpoint is taken after step t's logging, so a resumed solve must not log step t again.
  let lastLoggedStep = resume && ctl.logEvery !== null && st.t % ctl.logEvery === 0 ? st.globalStep : -1;
  const observeAndLog = async () => {
    const o = await observe(ctx, obs, sp, st.t);
    if (ctl.logEvery !== null && st.t % ctl.logEvery === 0) {
      emit(o.items);
      lastLoggedStep = st.globalStep;
    }
    recordRows(o.items);
    return o;
  };
  try {
    if (st.t === 0 && !resume && wantsObserve()) await observeAndLog();
    let lastYield = Date.now();
    while (total === null || st.t < total) {
      // The step loop runs on microtasks only; yielding to the event loop now and then lets signal
      // handlers (SIGINT -> abort) and piped stdout writes through.
      if (Date.now() - lastYield > (opts.pacing?.sliceMs ?? 50)) {
        await (opts.pacing?.yield() ?? new Promise<void>((r) => (typeof setImmediate === 'function' ? setImmediate(r) : setTimeout(r, 0))));
        lastYield = Date.now();
      }
      if (opts.signal?.aborted) {
        const where = await checkpoint(ctx);
        fail(interrupted(st.globalStep, where));
      }
      if (until) {
        const f = buildFeeds(ctx, until.graph, st.t);
        const outs = until.run(f.feeds);
        let stop = false;
        for (const [k, tensor] of outs) {
          if (k.startsWith('cond:')) stop = (await readBack(tensor))[0] !== 0;
          tensor.dispose();
        }
        for (const x of f.temps) x.dispose();
        if (stop) break;
      }
      const f = buildFeeds(ctx, sp.step, st.t);
      let outs: Map<string, tf.Tensor>;
      try {
        outs = step.run(f.feeds);
      } finally {
        for (const x of f.temps) if (![...f.gathered.values()].includes(x)) x.dispose();
      }
      // Scatter per-row updates back, apply masks, then check the objective and every updated target
      // for NaN/Inf with one scalar read-back before committing anything.
      const updates = new Map<string, tf.Tensor>();
      for (const o of sp.step.outputs) {
        if (o.role !== 'update') continue;
        let v = outs.get(outputKey('update', o.name))!;
        const idx = f.gathered.get(o.name);
        if (idx) {
          const full = st.slots.get(o.name) ?? st.values.get(o.name)!;
          const merged = tf.tensorScatterUpdate(full, idx, v);
          v.dispose();
          v = merged;
        }
        const mask = st.masks.get(o.name);
        if (mask && !st.slots.has(o.name)) {
          const masked = tf.mul(v, mask);
          v.dispose();
          v = masked;
        }
        updates.set(o.name, v);
      }
      for (const x of f.gathered.values()) x.dispose();
      const objT = outs.get(outputKey('objective', sp.objective));
      const watched = [...updates].filter(([n]) => targets.has(n));
      // The step graph's own probe (compiled with `probe: true`: fused into the update kernels), else the same sum here.
      const inGraph = outs.get(outputKey('probe', PROBE_OUTPUT));
      const probe =
        inGraph ??
        tf.tidy(() => {
          const parts = watched.map(([, v]) => tf.sum(tf.mul(v, 0)));
          if (objT) parts.push(tf.reshape(objT, []));
          return parts.length === 0 ? tf.scalar(0) : tf.addN(parts);
        });
      const ok = Number.isFinite((await readBack(probe))[0]!);
      if (!inGraph) probe.dispose();
      if (!ok) {
        const objV = objT ? (await readBack(objT))[0]! : 0;
        let what = `objective '${sp.objective}'`;
        let value = objV;
        if (Number.isFinite(objV)) {
          for (const [n, v] of watched) {
            const bad = await firstBad(v);
            if (bad !== null) {
              what = `${ctx.checked.symbols.get(n)?.kind === 'particles' ? 'particles' : 'param'} '${n}'`;
              value = bad;
              break;
            }
          }
        }
        for (const v of updates.values()) v.dispose();
        for (const v of outs.values()) v.dispose();
        const where = await checkpoint(ctx);
        fail(nonFiniteValue(st.globalStep + 1, what, value, where, item.stmt.span));
      }
      for (const [n, v] of updates) {
        if (st.slots.has(n)) replace(st.slots, n, v);
        else if (st.values.has(n)) replace(st.values, n, v);
        else throw new InternalError(`update of unknown '${n}'`);
      }
      for (const [k, v] of outs) if (!k.startsWith('update:')) v.dispose();
      st.t++;
      st.globalStep++;
      if (st.t % ctl.batchSteps === 0) for (const b of new Set(st.batchers.values())) b.advance();
      if (wantsObserve()) await observeAndLog();
      if (ctl.checkpointEvery !== null && st.t % ctl.checkpointEvery === 0) await checkpoint(ctx);
      opts.onProgress?.({ objective: sp.objective, phase: item.phase, t: st.t, total, globalStep: st.globalStep, latest });
    }
    // The final value: always evaluated (it is the run's result), logged when the solve logs and this step was not.
    const fin = await observe(ctx, obs, sp, st.t);
    if (ctl.logEvery !== null && lastLoggedStep !== st.globalStep) emit(fin.items);
    opts.onProgress?.({ objective: sp.objective, phase: item.phase, t: st.t, total, globalStep: st.globalStep, latest });
    return { name: sp.objective, value: fin.objective };
  } finally {
    step.dispose();
    obs.dispose();
    until?.dispose();
  }
}

// ── prune, init, save ───────────────────────────────────────────────────────

/** `prune W keep P% | N by magnitude`: a persistent mask keeping the largest |W| entries (ties: lower index first). */
async function prune(checked: CheckedProgram, st: RunState, stmt: A.PruneStmt): Promise<void> {
  const name = stmt.target.name;
  const w = st.values.get(name);
  if (!w) throw new InternalError(`prune of unknown '${name}'`);
  if (stmt.by.name !== 'magnitude') fail(runtimeUnsupported(`pruning by '${stmt.by.name}'`, stmt.by.span));
  const amount = constValue(checked, stmt.amount);
  if (amount === null) fail(runtimeUnsupported('a non-constant prune amount', stmt.amount.span));
  const h = await host(w);
  const n = h.data.length;
  const keep = Math.max(0, Math.min(n, stmt.percent ? Math.round((amount / 100) * n) : Math.round(amount)));
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => Math.abs(h.data[b]!) - Math.abs(h.data[a]!) || a - b);
  const mask = new Float32Array(n);
  for (let i = 0; i < keep; i++) mask[order[i]!] = 1;
  const prev = st.masks.get(name);
  const m = tf.tidy(() => {
    const fresh = tf.tensor(mask, [...h.shape], 'float32');
    return prev ? tf.mul(prev, fresh) : fresh;
  });
  replace(st.masks, name, m);
  replace(st.values, name, tf.mul(w, m));
}

/** `init z from EXPR`: sets a param from an expression of data and other params. */
async function initFrom(checked: CheckedProgram, opts: RunOptions, st: RunState, stmt: A.InitStmt): Promise<void> {
  const name = stmt.target.name;
  const sym = checked.symbols.get(name);
  if (!sym || !isTensorSym(sym)) throw new InternalError(`init of unknown '${name}'`);
  const v = await evalExpr(checked, opts, st, stmt.value, `init ${name} from ...`);
  const t = tf.tidy(() => tf.broadcastTo(v, [...sym.shape]));
  v.dispose();
  const mask = st.masks.get(name);
  replace(st.values, name, mask ? tf.tidy(() => tf.mul(t, mask)) : t);
  if (mask) t.dispose();
}

/** `save a, b to "file.json"`: { name: { shape, data } } inside the run folder (nothing without one). */
async function save(st: RunState, folder: RunFolder | null, stmt: A.SaveStmt): Promise<void> {
  if (!folder) return;
  const out: Record<string, HostTensor> = Object.create(null); // `__proto__` stays an own key
  for (const id of stmt.names) {
    const t = st.values.get(id.name);
    if (!t) throw new InternalError(`save of unknown '${id.name}'`);
    out[id.name] = await host(t);
  }
  folder.writeJson(stmt.file.value, tensorsJson(out));
}
