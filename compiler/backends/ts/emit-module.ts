/**
 * `gd compile --emit ts`: a checked program and its compiled step programs as one TypeScript module that
 * imports only @tensorflow/tfjs-core and `gdlang/runtime`. One function per graph (initializers, each
 * solve's step, observe and until), the run plan as plain code in a Program class, and createProgram.
 * The source is built with ts-morph structures and formatted with prettier (both platform-neutral here).
 */
import { Project, Scope, StructureKind, type ClassDeclarationStructure, type StatementStructures } from 'ts-morph';
import * as prettier from 'prettier/standalone';
import * as prettierTs from 'prettier/plugins/typescript';
import * as prettierEstree from 'prettier/plugins/estree';
import type * as A from '../../ast/ast.js';
import type { CheckedProgram, PlanItem, Sym } from '../../check/checked.js';
import { InternalError } from '../../diagnostics/internal-error.js';
import type { Graph, Input, Output } from '../../ir/ir.js';
import type { StepProgram } from '../../step-program.js';
import { emitGraphFunction, sourceComment, type SourceText } from './emit-graph.js';
import { constOf, initKind } from './initializers.js';
import { NameScope, num, nums, pascal, str } from './names.js';

export interface EmitInput {
  readonly checked: CheckedProgram;
  /** Every source text the compiler read, by file name (for the `line N` comments). */
  readonly sources: ReadonlyMap<string, string>;
  /** The compiled (optimized) step program of each solve of the plan, by plan index. */
  readonly solves: ReadonlyMap<number, StepProgram>;
  /** The graph of an initializer or `init ... from` expression, with one 'value' output (as gd run lowers it). */
  readonly valueGraph: (expr: A.Expr) => Graph;
}

type SolveItem = PlanItem & { kind: 'solve' };
type TensorSym = Sym & { kind: 'data' | 'param' | 'particles' };
const isTensorSym = (s: Sym): s is TensorSym => s.kind === 'data' || s.kind === 'param' || s.kind === 'particles';
/** A string-list literal. */
const strs = (xs: readonly string[]) => `[${xs.map(str).join(', ')}]`;
const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Emits and formats the module. */
export async function emitTypeScript(input: EmitInput): Promise<string> {
  const text = emitUnformatted(input);
  return prettier.format(text, { parser: 'typescript', plugins: [prettierTs, prettierEstree], printWidth: 110, singleQuote: true });
}

/** The module text before formatting. */
export function emitUnformatted(input: EmitInput): string {
  const { checked } = input;
  const main = checked.program.file;
  const src: SourceText = { main, files: input.sources };
  const mod = new NameScope();
  const functions: StatementStructures[] = [];
  const comment = (span: { file: string; start: number }) => sourceComment(src, span.file, span.start);
  const stem = pascal(main.slice(main.lastIndexOf('/') + 1).replace(/\.gd$/, ''));

  // ── batch groups: data batched along the same rows share one row order, as in gd run ──
  const groups: string[] = [];
  const groupOf = new Map<string, number>();
  for (const s of checked.symbols.values()) {
    if (s.kind !== 'data' || s.batch === null) continue;
    const key = `${s.shape[0]}/${s.batch}`;
    if (!groups.includes(key)) groups.push(key);
    groupOf.set(s.name, groups.indexOf(key));
  }
  const batchOf = (name: string): { group: number; rows: number; batch: number } | null => {
    const s = checked.symbols.get(name);
    if (s?.kind === 'param' && s.per) return batchOf(s.per);
    if (s?.kind !== 'data' || s.batch === null) return null;
    return { group: groupOf.get(s.name)!, rows: s.shape[0]!, batch: s.batch };
  };

  /** The expression that feeds one graph input, inside a Program method (`s` is the state). */
  const feed = (inp: Input, slots: readonly { name: string; shape: readonly number[] }[], atInit = false): string => {
    const owner = inp.role === 'state' || inp.role === 'mask' ? inp.name.slice(0, inp.name.lastIndexOf('.')) : inp.name;
    let full: string;
    let fullRows: number | undefined;
    switch (inp.role) {
      case 'param':
      case 'particles':
      case 'data': {
        full = `s.value(${str(inp.name)})`;
        const sym = checked.symbols.get(inp.name);
        fullRows = sym && isTensorSym(sym) ? sym.shape[0] : undefined;
        break;
      }
      case 'state':
        full = `s.slot(${str(inp.name)})`;
        fullRows = slots.find((x) => x.name === inp.name)?.shape[0];
        break;
      case 'mask':
        return `s.mask(${str(owner)}, ${nums(inp.var.shape)})`;
      case 'scalar': {
        if (inp.name === 't') return atInit ? '0' : 'this.t';
        const sym = checked.symbols.get(inp.name);
        if (sym && (sym.kind === 'const' || sym.kind === 'dim')) return num(sym.value);
        throw new InternalError(`emit: no run-time scalar named '${inp.name}'`);
      }
      case 'rng':
        return atInit ? '[seed, 0]' : '[this.seed, this.globalStep]';
      case 'rows': {
        // `state: dense`: the step gathers the batch rows of the whole `<param>` table itself.
        const b = atInit ? null : batchOf(inp.name.slice(0, inp.name.lastIndexOf('.')));
        if (!b) throw new InternalError(`emit: no minibatch for graph input '${inp.name}'`);
        return `s.rowNumbers(${str(inp.name)}, this.batchers[${b.group}]!)`;
      }
    }
    const b = atInit ? null : batchOf(owner);
    if (b && fullRows === b.rows && inp.var.shape[0] === b.batch && b.rows !== b.batch) {
      return `s.rows(${str(inp.name)}, this.batchers[${b.group}]!, ${full})`;
    }
    return full;
  };

  /** A graph with one 'value' output as a function returning that tensor. */
  const valueFunction = (name: string, doc: string, g: Graph) => {
    const out = g.outputs.find((o) => o.role === 'value') ?? g.outputs[0];
    if (!out) throw new InternalError('emit: value graph without an output');
    const f = emitGraphFunction({ name, doc, graph: g, returns: [out], result: (v) => ({ type: 'tf.Tensor', expr: v(out) }) }, src);
    functions.push(f.structure);
    return f;
  };

  // ── initial values (createProgram) ──
  const initStatements: string[] = [];
  for (const sym of checked.symbols.values()) {
    if (!isTensorSym(sym)) continue;
    const c = comment(sym.span);
    if (c) initStatements.push(`// ${c}`);
    const set = (e: string) => initStatements.push(`s.values.set(${str(sym.name)}, ${e});`);
    if (sym.kind === 'data' && sym.source.kind === 'load') {
      const { path, format } = sym.source;
      set(`await gd.loadData(${str(sym.name)}, gd.dataUrl(${str(path)}, options.baseUrl), ${nums(sym.shape)}, ${str(format)}, gd.supplied(options.data, ${str(sym.name)}))`);
      continue;
    }
    const init = sym.kind === 'param' ? sym.decl.init : sym.kind === 'particles' ? sym.decl.init : sym.source.kind === 'expr' ? sym.source.expr : null;
    const domain = sym.kind === 'param' ? sym.domain.kind : 'reals';
    const k = initKind(checked, init, sym.shape, domain);
    switch (k.kind) {
      case 'fill':
        set(`tf.${k.value === 1 ? 'ones' : 'zeros'}(${nums(sym.shape)})`);
        break;
      case 'uniform':
        set(`gd.uniform(${nums(sym.shape)})`);
        break;
      case 'random':
        set(`gd.randomInit(${str(k.dist)}, ${k.seed === null ? 'seed' : num(k.seed)}, ${num(k.stream)}, ${nums(sym.shape)})`);
        break;
      case 'unit':
        set(`gd.unitVector(${num(k.index)}, ${num(k.size)})`);
        break;
      case 'expr': {
        const fname = mod.fresh(`init${pascal(sym.name)}`);
        const f = valueFunction(fname, `The initial value of ${sym.kind} '${sym.name}'.`, input.valueGraph(k.expr));
        set(`gd.fit(${fname}(${f.params.map((p) => feed(p, [], true)).join(', ')}), ${nums(sym.shape)}, ${str(sym.name)})`);
        break;
      }
    }
  }

  // ── the plan: one method per item ──
  const methods: ClassDeclarationStructure['methods'] = [];
  const planCases: string[] = [];
  const objectiveNames = new Set<string>();
  checked.plan.forEach((item, i) => {
    const c = comment(item.stmt.span);
    const doc = c ? `Plan item ${i}, ${c}` : `Plan item ${i}.`;
    if (item.kind === 'solve') {
      const sp = input.solves.get(i);
      if (!sp) throw new InternalError(`emit: no compiled step for plan item ${i}`);
      const name = mod.fresh(`${item.phase ? pascal(item.phase) : ''}${pascal(sp.objective)}`.replace(/^./, (x) => x.toLowerCase()));
      objectiveNames.add(sp.objective);
      planCases.push(`case ${i}: return this.${name}();`);
      methods.push(...emitSolve(input, item, sp, name, doc, functions, mod, feed, src));
    } else {
      const name = mod.fresh(`${item.kind}${pascal(item.stmt.kind === 'Save' ? item.stmt.file.value.replace(/\.[^.]*$/, '') : item.stmt.target.name)}`);
      planCases.push(`case ${i}: this.${name}(); this.planIndex++; return false;`);
      methods.push({ kind: StructureKind.Method, name, scope: Scope.Private, docs: [doc], returnType: 'void', statements: otherItem(input, item, feed, functions, mod) });
    }
  });

  const paramNames = [...checked.symbols.values()].filter((s) => s.kind === 'param' || s.kind === 'particles').map((s) => s.name);
  const compiled = [...checked.symbols.values()].filter((s) => s.kind === 'dim' || s.kind === 'const').map((s) => `[${str(s.name)}, ${num((s as { value: number }).value)}]`);
  const batcherInits = groups.map((key, gi) => {
    const [rows, batch] = key.split('/');
    return `new gd.Batcher(${rows}, ${batch}, seed, gd.BATCH_STREAM + ${gi})`;
  });
  const className = mod.fresh(`${stem}Program`);

  const cls: ClassDeclarationStructure = {
    kind: StructureKind.Class,
    name: className,
    implements: ['Program'],
    docs: ['The program\'s run plan, step by step: `step()` advances one optimization step, `run()` runs to the end.'],
    properties: [
      { name: 'log', scope: Scope.Private, isReadonly: true, type: 'gd.LogRecord[]', initializer: '[]' },
      { name: 'planIndex', scope: Scope.Private, initializer: '0', docs: ['The plan item being run.'] },
      { name: 't', scope: Scope.Private, initializer: '0', docs: ['Steps done in the current solve.'] },
      { name: 'globalStep', scope: Scope.Private, initializer: '0', docs: ['Steps done by the whole run (the rng key\'s step).'] },
      { name: 'inSolve', scope: Scope.Private, initializer: 'false' },
      { name: 'lastLogged', scope: Scope.Private, initializer: '-1', docs: ['The global step of the latest log row of this solve.'] },
      { name: 'objective', scope: Scope.Private, initializer: 'NaN', docs: ['The last solve\'s final objective.'] },
    ],
    ctors: [
      {
        parameters: [
          { name: 'state', scope: Scope.Private, isReadonly: true, type: 'gd.State' },
          { name: 'seed', scope: Scope.Private, isReadonly: true, type: 'number' },
          { name: 'steps', scope: Scope.Private, isReadonly: true, type: 'number | undefined' },
          { name: 'batchers', scope: Scope.Private, isReadonly: true, type: 'readonly gd.Batcher[]' },
          { name: 'onSave', scope: Scope.Private, isReadonly: true, type: 'ProgramOptions["onSave"]' },
        ],
      },
    ],
    getAccessors: [
      {
        name: 'params',
        returnType: 'Readonly<Record<string, tf.Tensor>>',
        docs: ['The current params and particles (owned by the program: read them, do not dispose them).'],
        statements: [`return gd.tensors(this.state, ${strs(paramNames)});`],
      },
    ],
    methods: [
      {
        kind: StructureKind.Method,
        name: 'step',
        returnType: 'void',
        docs: ['One optimization step of the current solve (running the prune, init and save items before it).'],
        statements: [`while (this.planIndex < ${checked.plan.length}) {`, 'if (this.advance()) return;', '}'],
      },
      {
        kind: StructureKind.Method,
        name: 'run',
        isAsync: true,
        returnType: 'Promise<RunResult>',
        docs: ['Runs the rest of the plan; the result holds the last solve\'s final objective, the params and the log.'],
        statements: [
          `while (this.planIndex < ${checked.plan.length}) this.advance();`,
          `return { objective: this.objective, params: this.state.read(${strs(paramNames)}), log: this.log.slice() };`,
        ],
      },
      { kind: StructureKind.Method, name: 'dispose', returnType: 'void', docs: ['Frees every tensor the program holds.'], statements: ['this.state.dispose();'] },
      {
        kind: StructureKind.Method,
        name: 'advance',
        scope: Scope.Private,
        returnType: 'boolean',
        docs: ['Does one step of the current solve (true), or finishes a solve or runs another item and moves on (false).'],
        statements: [`switch (this.planIndex) {`, ...planCases, 'default: this.planIndex++; return false;', '}'],
      },
      ...methods,
    ],
  };

  const header = [
    `Generated by gdlang from ${main} — regenerate with \`gd compile ${main} --emit ts\`, do not edit.`,
    '',
    'Imports only @tensorflow/tfjs-core and gdlang/runtime: register and select the backend you want',
    '(e.g. @tensorflow/tfjs-backend-wasm, then `await tf.setBackend("wasm")`) before createProgram.',
    'Same backend and seed as `gd run` give the same numbers.',
  ].join('\n');

  const statements: StatementStructures[] = [
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: '@tensorflow/tfjs-core', namespaceImport: 'tf' },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: 'gdlang/runtime', namespaceImport: 'gd' },
    {
      kind: StructureKind.Interface,
      name: 'ProgramOptions',
      isExported: true,
      properties: [
        { name: 'seed', hasQuestionToken: true, type: 'number', docs: ['Seed of all randomness (default 0, as gd run).'] },
        { name: 'data', hasQuestionToken: true, type: 'Record<string, Float32Array | number[]>', docs: ['Values of `load(...)` data by name, instead of reading the files.'] },
        { name: 'overrides', hasQuestionToken: true, type: 'Record<string, number>', docs: ['`steps`: every solve\'s step count (as gd run --steps). Dims and consts are compiled in.'] },
        { name: 'baseUrl', hasQuestionToken: true, type: 'string | URL', docs: ['What `load(...)` paths are relative to (default: the current folder, or the page).'] },
        { name: 'onSave', hasQuestionToken: true, type: '(file: string, values: Record<string, Float32Array>) => void', docs: ['Receives `save ... to "file"` statements\' values.'] },
      ],
    },
    {
      kind: StructureKind.Interface,
      name: 'RunResult',
      isExported: true,
      properties: [
        { name: 'objective', type: 'number' },
        { name: 'params', type: 'Record<string, Float32Array>' },
        { name: 'log', type: 'Array<Record<string, number | number[]>>' },
      ],
    },
    {
      kind: StructureKind.Interface,
      name: 'Program',
      isExported: true,
      properties: [{ name: 'params', isReadonly: true, type: 'Readonly<Record<string, tf.Tensor>>' }],
      methods: [
        { name: 'run', returnType: 'Promise<RunResult>' },
        { name: 'step', returnType: 'void' },
        { name: 'dispose', returnType: 'void' },
      ],
    },
    ...functions,
    cls,
    {
      kind: StructureKind.Function,
      name: 'createProgram',
      isExported: true,
      isAsync: true,
      docs: ['Loads the data, sets the initial values, and returns the program ready to run.'],
      parameters: [{ name: 'options', type: 'ProgramOptions', initializer: '{}' }],
      returnType: 'Promise<Program>',
      statements: [
        'const seed = options.seed ?? 0;',
        `const steps = gd.stepsOverride(options.overrides, [${compiled.join(', ')}]);`,
        'const s = new gd.State();',
        'try {',
        ...initStatements,
        '} catch (e) {',
        's.dispose();',
        'throw e;',
        '}',
        `return new ${className}(s, seed, steps, [${batcherInits.join(', ')}], options.onSave);`,
      ],
    },
  ];
  const project = new Project({ useInMemoryFileSystem: true });
  const sf = project.createSourceFile('program.ts', { statements });
  return `/**\n${header.split('\n').map((l) => ` * ${l}`.trimEnd()).join('\n')}\n */\n${sf.getFullText()}`;
}

type Feed = (inp: Input, slots: readonly { name: string; shape: readonly number[] }[], atInit?: boolean) => string;

/** The functions of one solve (step, observe, until) and its Program method. */
function emitSolve(
  input: EmitInput,
  item: SolveItem,
  sp: StepProgram,
  name: string,
  doc: string,
  functions: StatementStructures[],
  mod: NameScope,
  feed: Feed,
  src: SourceText,
): NonNullable<ClassDeclarationStructure['methods']> {
  const { checked } = input;
  const base = name;
  const solveText = `${sp.sense} ${sp.objective}`;
  // Step: the objective before the step and every update.
  const objOut = sp.step.outputs.find((o) => o.role === 'objective' && o.name === sp.objective);
  if (!objOut) throw new InternalError(`emit: step of '${sp.objective}' has no objective output`);
  const updates = sp.step.outputs.filter((o) => o.role === 'update');
  const ukeys = new NameScope();
  const ukey = new Map(updates.map((o) => [o, ukeys.id(o.name)]));
  const stepFn = mod.fresh(`${base}Step`);
  const step = emitGraphFunction(
    {
      name: stepFn,
      doc: `One step of \`${solveText}\`: the objective, its gradient, the geometry and method, the projection.`,
      graph: sp.step,
      returns: [objOut, ...updates],
      result: (v) => ({
        type: `{ objective: tf.Tensor; updates: { ${updates.map((o) => `${ukey.get(o)}: tf.Tensor`).join('; ')} } }`,
        expr: `{ objective: ${v(objOut)}, updates: { ${updates.map((o) => `${ukey.get(o)}: ${v(o)}`).join(', ')} } }`,
      }),
    },
    src,
  );
  functions.push(step.structure);

  // Observe: the objective and the logged items, in the log's order.
  let logEvery: number | null = null;
  const logItems: string[] = [];
  for (const c of item.stmt.controls) {
    if (c.kind !== 'Log') continue;
    const every = constOf(checked, c.every);
    if (every === null || !Number.isInteger(every) || every < 1) throw new InternalError('emit: a non-constant log interval');
    logEvery = every;
    logItems.push(...c.items.map((it) => it.name?.name ?? it.text));
  }
  const obsObj = sp.observe.outputs.find((o) => o.role === 'objective' && o.name === sp.objective);
  if (!obsObj) throw new InternalError(`emit: observe of '${sp.objective}' has no objective output`);
  const logOuts = [...new Set(logItems)].map((n) => sp.observe.outputs.find((o) => o.role === 'log' && o.name === n)).filter((o): o is Output => o !== undefined);
  const obsFn = mod.fresh(`${base}Observe`);
  const observe = emitGraphFunction(
    {
      name: obsFn,
      doc: `The value of \`${sp.objective}\`${logOuts.length > 0 ? ' and the logged items' : ''} at the current state (no update).`,
      graph: sp.observe,
      returns: [obsObj, ...logOuts],
      result: (v) => ({
        type: '{ objective: tf.Tensor; log: [string, tf.Tensor][] }',
        expr: `{ objective: ${v(obsObj)}, log: [${logOuts.map((o) => `[${str(o.name)}, ${v(o)}]`).join(', ')}] }`,
      }),
    },
    src,
  );
  functions.push(observe.structure);

  let untilCall: string | null = null;
  if (sp.until) {
    const cond = sp.until.outputs.find((o) => o.role === 'cond');
    if (!cond) throw new InternalError('emit: until graph without a cond output');
    const untilFn = mod.fresh(`${base}Until`);
    const u = emitGraphFunction({ name: untilFn, doc: `Whether \`${sp.objective}\`'s \`until\` condition holds (1) or not (0).`, graph: sp.until, returns: [cond], result: (v) => ({ type: 'tf.Tensor', expr: v(cond) }) }, src);
    functions.push(u.structure);
    untilCall = `${untilFn}(${u.params.map((p) => feed(p, sp.state)).join(', ')})`;
  }

  const bs = item.stmt.method.args.find((a) => a.name?.name === 'batch_steps');
  const batchSteps = bs ? constOf(checked, bs.value) : 1;
  if (batchSteps === null || !Number.isInteger(batchSteps) || batchSteps < 1) throw new InternalError('emit: a non-constant batch_steps');
  const spec = item.steps;
  const count = spec.kind === 'for' ? String(spec.count) : spec.max === null ? 'null' : String(spec.max);
  const call = (fn: string, params: readonly Input[]) => `${fn}(${params.map((p) => feed(p, sp.state)).join(', ')})`;
  const logMethod = mod.fresh(`${base}Log`);
  const statements: string[] = [
    'const s = this.state;',
    'if (!this.inSolve) {',
    '// A new solve starts with fresh optimizer state (as a new torch optimizer would).',
    `s.startSolve([${sp.state.map((x) => `[${str(x.name)}, ${nums(x.shape)}, ${num(x.init)}]`).join(', ')}]);`,
    'this.inSolve = true;',
    'this.lastLogged = -1;',
    ...(logEvery !== null ? [`this.${logMethod}();`] : []),
    '}',
    `const total: number | null = this.steps ?? ${count};`,
    'if (total === null || this.t < total) {',
  ];
  if (untilCall) {
    statements.push(`const cond = ${untilCall};`, 's.endStep();', 'const stop = cond.dataSync()[0] !== 0;', 'cond.dispose();', 'if (stop) return this.finish' + pascal(base) + '();');
  }
  statements.push(
    `const out = ${call(stepFn, step.params)};`,
    `s.commit(this.globalStep, ${str(sp.objective)}, out.objective, [${updates.map((o) => `[${str(o.name)}, out.updates.${ukey.get(o)}]`).join(', ')}], ${strs(sp.targets)});`,
    'this.t++;',
    'this.globalStep++;',
    ...(batchSteps === 1 ? ['for (const b of this.batchers) b.advance();'] : [`// batch_steps: ${batchSteps} steps on each minibatch before the next one.`, `if (this.t % ${batchSteps} === 0) for (const b of this.batchers) b.advance();`]),
    ...(logEvery !== null ? [`if (this.t % ${logEvery} === 0) this.${logMethod}();`] : []),
    'return true;',
    '}',
    `return this.finish${pascal(base)}();`,
  );
  const observeCall = call(obsFn, observe.params);
  const methods: NonNullable<ClassDeclarationStructure['methods']> = [
    { kind: StructureKind.Method, name: base, scope: Scope.Private, returnType: 'boolean', docs: [doc], statements },
    {
      kind: StructureKind.Method,
      name: `finish${pascal(base)}`,
      scope: Scope.Private,
      returnType: 'boolean',
      docs: [`Ends \`${solveText}\`: its final value is the run's objective, logged unless this step already was.`],
      statements: [
        'const s = this.state;',
        `const o = ${observeCall};`,
        's.endStep();',
        'this.objective = o.objective.dataSync()[0]!;',
        ...(logEvery !== null ? ['if (this.lastLogged !== this.globalStep) this.log.push(gd.logRow(this.globalStep, o.log));'] : []),
        'gd.disposeAll(o);',
        'this.inSolve = false;',
        'this.t = 0;',
        'this.planIndex++;',
        'return false;',
      ],
    },
  ];
  if (logEvery !== null) {
    methods.push({
      kind: StructureKind.Method,
      name: logMethod,
      scope: Scope.Private,
      returnType: 'void',
      docs: [`A log row of \`${sp.objective}\` (every ${logEvery} steps).`],
      statements: ['const s = this.state;', `const o = ${observeCall};`, 's.endStep();', 'this.log.push(gd.logRow(this.globalStep, o.log));', 'this.lastLogged = this.globalStep;', 'gd.disposeAll(o);'],
    });
  }
  return methods;
}

/** The body of a prune, init or save item. */
function otherItem(input: EmitInput, item: PlanItem, feed: Feed, functions: StatementStructures[], mod: NameScope): string[] {
  const { checked } = input;
  switch (item.kind) {
    case 'prune': {
      const name = item.stmt.target.name;
      const sym = checked.symbols.get(name);
      const amount = constOf(checked, item.stmt.amount);
      if (item.stmt.by.name !== 'magnitude' || amount === null || !sym || !isTensorSym(sym)) {
        return [`throw new Error(${str(`prune by '${item.stmt.by.name}' with a non-constant amount is not supported`)});`];
      }
      const n = sizeOf(sym.shape);
      const keep = Math.max(0, Math.min(n, item.stmt.percent ? Math.round((amount / 100) * n) : Math.round(amount)));
      return [`this.state.prune(${str(name)}, ${keep});`];
    }
    case 'init': {
      const name = item.stmt.target.name;
      const sym = checked.symbols.get(name);
      if (!sym || !isTensorSym(sym)) throw new InternalError(`emit: init of unknown '${name}'`);
      const fname = mod.fresh(`init${pascal(name)}From`);
      const g = input.valueGraph(item.stmt.value);
      const out = g.outputs.find((o) => o.role === 'value') ?? g.outputs[0]!;
      const f = emitGraphFunction(
        { name: fname, doc: `The value \`init ${name} from ...\` sets.`, graph: g, returns: [out], result: (v) => ({ type: 'tf.Tensor', expr: v(out) }) },
        { main: checked.program.file, files: input.sources },
      );
      functions.push(f.structure);
      const args = f.params.map((p) => (p.role === 'rng' ? '[this.seed, 0]' : feed(p, [], true)));
      return ['const s = this.state;', `s.set(${str(name)}, ${fname}(${args.join(', ')}), ${nums(sym.shape)});`];
    }
    case 'save':
      return [`this.onSave?.(${str(item.stmt.file.value)}, this.state.read(${strs(item.stmt.names.map((n) => n.name))}));`];
    case 'solve':
      throw new InternalError('emit: a solve is not an other item');
  }
}
