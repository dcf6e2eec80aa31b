/**
 * The playground page: wires the editor, the example picker, the URL, the run controls and the
 * output tabs. All compiling goes through compiler/pipeline.ts and all running through runtime/run.ts,
 * exactly as `gd check` / `gd run` do; this file only moves values between them and the page.
 */
import '../runtime/std/index.js';
import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { lineCol } from '../compiler/diagnostics/span.js';
import { emitTs, front, type FrontResult } from '../compiler/pipeline.js';
import type { HostTensor } from '../runtime/data/host-tensor.js';
import type { LogRow } from '../runtime/outputs.js';
import { CHOICES, type BackendChoice } from './backends.js';
import { diagnosticText, mountEditor, type GdEditor } from './editor.js';
import { EXAMPLES, loadExampleFiles, pageHost, programPath } from './examples.js';
import { drawPlot, seriesOf } from './plot.js';
import { runInPage } from './runner.js';
import { decodeProgram, encodeProgram } from './url-state.js';

const DEFAULT_EXAMPLE = 'least-squares';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  example: $<HTMLSelectElement>('example'),
  backend: $<HTMLSelectElement>('backend'),
  seed: $<HTMLInputElement>('seed'),
  run: $<HTMLButtonElement>('run'),
  stop: $<HTMLButtonElement>('stop'),
  status: $<HTMLSpanElement>('status'),
  problems: $<HTMLUListElement>('problems'),
  problemCount: $<HTMLSpanElement>('problem-count'),
  plot: document.getElementById('plot') as unknown as SVGSVGElement,
  backendUsed: $<HTMLOutputElement>('backend-used'),
  step: $<HTMLOutputElement>('step'),
  objective: $<HTMLOutputElement>('objective'),
  latest: $<HTMLDivElement>('latest'),
  params: $<HTMLTableElement>('params'),
  ts: $<HTMLPreElement>('ts'),
};

function setStatus(state: 'idle' | 'running' | 'done' | 'stopped' | 'error', text: string): void {
  ui.status.dataset.state = state;
  ui.status.textContent = text;
}

// ── program, files, checking ───────────────────────────────────────────────

let files: Record<string, string | Uint8Array> = {};
/** The example the program came from: its path is the program's file name, and `load(...)` resolves against it. */
let name = DEFAULT_EXAMPLE;
let lastFront: { text: string; fr: FrontResult } | null = null;
let editor: GdEditor;

const path = () => programPath(name);

/** Parse + check (memoized on the text): the one compile the editor, Run and the TypeScript tab share. */
function checkText(text: string): FrontResult {
  if (lastFront?.text === text && lastFront.fr.sources.get(path()) === text) return lastFront.fr;
  const fr = front(path(), text, pageHost(files, path(), text));
  lastFront = { text, fr };
  showProblems(fr);
  tsStale = true;
  if (activeTab === 'ts') void showTs();
  return fr;
}

/** One line of the problems list: `line:col  CODE: message` (file named when not the program's own). */
function problemItem(d: Diagnostic, sources: ReadonlyMap<string, string>): HTMLLIElement {
  const li = document.createElement('li');
  li.className = d.severity;
  li.dataset.code = d.code;
  const src = d.span ? sources.get(d.span.file) : undefined;
  let where = d.span?.file ?? '';
  if (d.span && src !== undefined) {
    const { line, col } = lineCol(src, d.span.start);
    li.dataset.line = String(line);
    where = `${d.span.file === path() ? '' : `${d.span.file} `}${line}:${col}`;
    if (d.span.file === path()) li.onclick = () => editor.view.dispatch({ selection: { anchor: Math.min(d.span!.start, editor.view.state.doc.length) }, scrollIntoView: true });
  }
  li.textContent = `${where}  ${diagnosticText(d)}`;
  return li;
}

function showProblems(fr: FrontResult): void {
  ui.problems.replaceChildren(...fr.diagnostics.map((d) => problemItem(d, fr.sources)));
  ui.problems.dataset.file = path(); // which program the list is about
  const errors = fr.diagnostics.filter((d) => d.severity === 'error').length;
  ui.problemCount.textContent = fr.diagnostics.length === 0 ? '✓' : `${errors} error(s), ${fr.diagnostics.length - errors} other`;
  if (!running) ui.run.disabled = fr.checked === null;
}

/** Run-time diagnostics (non-finite values, bad data, unsupported features) join the list. */
function showRuntimeProblems(diags: readonly Diagnostic[], sources: ReadonlyMap<string, string>): void {
  ui.problems.append(...diags.map((d) => problemItem(d, sources)));
}

// ── URL ────────────────────────────────────────────────────────────────────

let hashTimer: ReturnType<typeof setTimeout> | undefined;
/** Stores the program in the URL (debounced): replaceState, so typing does not fill the history. */
function saveToUrl(text: string): void {
  clearTimeout(hashTimer);
  hashTimer = setTimeout(async () => {
    const hash = await encodeProgram({ name, text });
    history.replaceState(null, '', `${location.pathname}${location.search}#${hash}`);
  }, 200);
}

// ── tabs and the TypeScript view ───────────────────────────────────────────

let activeTab = 'plot';
let tsStale = true;

async function showTs(): Promise<void> {
  if (!tsStale) return;
  tsStale = false;
  const fr = lastFront?.fr;
  if (!fr?.checked) {
    ui.ts.textContent = '// fix the problems first: the TypeScript module is emitted from a checked program';
    return;
  }
  ui.ts.textContent = '// emitting…';
  try {
    const ts = await emitTs(fr);
    if (lastFront?.fr === fr) ui.ts.textContent = ts;
  } catch (e) {
    ui.ts.textContent = `// cannot emit TypeScript for this program:\n// ${(e as Error).message}`;
  }
}

for (const b of document.querySelectorAll<HTMLButtonElement>('#tabs button')) {
  b.onclick = () => {
    activeTab = b.dataset.tab!;
    for (const x of document.querySelectorAll('#tabs button')) x.classList.toggle('active', x === b);
    for (const t of document.querySelectorAll('.tab')) t.classList.toggle('active', t.id === `tab-${activeTab}`);
    if (activeTab === 'ts') void showTs();
  };
}

// ── running ────────────────────────────────────────────────────────────────

let running: AbortController | null = null;

function fmtValues(h: HostTensor): string {
  const shown = Array.from(h.data.slice(0, 64), (v) => Number(v.toPrecision(7)));
  return `${shown.join(', ')}${h.data.length > 64 ? `, … (${h.data.length} values)` : ''}`;
}

function showParams(params: Readonly<Record<string, HostTensor>>): void {
  const head = document.createElement('tr');
  head.innerHTML = '<th>param</th><th>shape</th><th>values</th>';
  const rows = Object.entries(params).map(([k, h]) => {
    const tr = document.createElement('tr');
    tr.dataset.param = k;
    for (const [text, cls] of [
      [k, 'name'],
      [`[${h.shape.join(', ')}]`, 'shape'],
      [fmtValues(h), 'values'],
    ] as const) {
      const td = document.createElement('td');
      td.className = cls;
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  });
  ui.params.replaceChildren(head, ...rows);
}

function latestText(row: LogRow): string {
  const show = (v: unknown): string => (typeof v === 'number' ? String(v) : Array.isArray(v) ? `[${v.length > 8 ? `${v.slice(0, 8).map(show).join(', ')}, …` : v.map(show).join(', ')}]` : String(v));
  return `step ${row.step}: ${Object.entries(row.values)
    .map(([k, v]) => `${k} = ${show(v)}`)
    .join(', ')}`;
}

async function run(): Promise<void> {
  if (running) return;
  const text = editor.text();
  const fr = checkText(text);
  if (!fr.checked) {
    setStatus('error', 'fix the problems first');
    return;
  }
  const ctl = new AbortController();
  running = ctl;
  ui.run.disabled = true;
  ui.stop.disabled = false;
  ui.objective.textContent = '–';
  delete ui.objective.dataset.value;
  ui.backendUsed.textContent = '…';
  ui.step.textContent = '0';
  ui.latest.textContent = '';
  setStatus('running', 'running…');
  const rows: LogRow[] = [];
  let total: number | null = null;
  let frame = 0;
  const redraw = () => {
    frame = 0;
    drawPlot(ui.plot, seriesOf(rows), total);
  };
  drawPlot(ui.plot, [], null);
  const started = performance.now();
  try {
    const res = await runInPage(fr.checked, {
      backend: ui.backend.value as BackendChoice,
      seed: Number(ui.seed.value) || 0,
      host: pageHost(files, path(), text),
      programName: path(),
      signal: ctl.signal,
      onBackend: (b, skipped) => {
        ui.backendUsed.textContent = b;
        ui.backendUsed.title = skipped.length ? `skipped: ${skipped.join('; ')}` : '';
      },
      onLog: (row) => {
        rows.push(row);
        ui.latest.textContent = latestText(row);
        if (!frame) frame = requestAnimationFrame(redraw);
      },
      onStep: (s, end) => {
        ui.step.textContent = String(s);
        // The plot's x axis spans the current solve to its end, so progress reads at a glance.
        if (end !== null && end > (total ?? 0)) {
          total = end;
          if (!frame) frame = requestAnimationFrame(redraw);
        }
      },
    });
    if (frame) cancelAnimationFrame(frame);
    rows.splice(0, rows.length, ...res.log);
    total = res.steps;
    redraw();
    ui.step.textContent = String(res.steps);
    ui.backendUsed.textContent = res.backend;
    if (res.log.length) ui.latest.textContent = latestText(res.log[res.log.length - 1]!);
    if (res.objective) {
      ui.objective.textContent = `${res.objective.name} = ${res.objective.value}`;
      ui.objective.dataset.value = String(res.objective.value);
    }
    showParams(res.params);
    showRuntimeProblems(res.diagnostics, fr.sources);
    const secs = ((performance.now() - started) / 1000).toFixed(2);
    if (res.status === 'ok') setStatus('done', `done: ${res.steps} steps in ${secs} s on ${res.backend}`);
    else if (res.status === 'interrupted') setStatus('stopped', `stopped after ${res.steps} steps (${secs} s, ${res.backend})`);
    else setStatus('error', `${res.diagnostics[0]?.code ?? 'error'} after ${res.steps} steps: ${res.diagnostics[0]?.message ?? ''}`);
  } catch (e) {
    setStatus('error', `error: ${(e as Error).message}`);
    console.error(e);
  } finally {
    running = null;
    ui.stop.disabled = true;
    ui.run.disabled = lastFront?.fr.checked == null;
  }
}

// ── start ──────────────────────────────────────────────────────────────────

async function start(): Promise<void> {
  const params = new URLSearchParams(location.search);
  for (const c of CHOICES) ui.backend.add(new Option(c, c));
  const b = params.get('backend');
  if (b && (CHOICES as readonly string[]).includes(b)) ui.backend.value = b;
  if (params.get('seed')) ui.seed.value = params.get('seed')!;
  for (const n of EXAMPLES.keys()) ui.example.add(new Option(n, n));

  files = await loadExampleFiles();
  const fromUrl = await decodeProgram(location.hash);
  name = fromUrl?.name ?? DEFAULT_EXAMPLE;
  const text = fromUrl?.text ?? EXAMPLES.get(name) ?? '';
  ui.example.value = EXAMPLES.has(name) ? name : '';
  editor = mountEditor($('editor'), text, (t) => checkText(t).diagnostics, path, saveToUrl);
  checkText(text);
  if (!fromUrl) saveToUrl(text);

  ui.example.onchange = () => {
    if (running) running.abort();
    name = ui.example.value;
    editor.setText(EXAMPLES.get(name) ?? '');
    editor.recheck();
  };
  // A pasted link that differs only in its hash does not reload the page: load its program here.
  window.addEventListener('hashchange', async () => {
    const p = await decodeProgram(location.hash);
    if (!p || (p.name === name && p.text === editor.text())) return;
    if (running) running.abort();
    name = p.name;
    ui.example.value = EXAMPLES.has(name) ? name : '';
    editor.setText(p.text);
    editor.recheck();
  });
  ui.run.onclick = () => void run();
  ui.stop.onclick = () => running?.abort();
  drawPlot(ui.plot, [], null);
  setStatus('idle', 'ready');
}

void start().catch((e) => setStatus('error', `the playground failed to start: ${(e as Error).message}`));
