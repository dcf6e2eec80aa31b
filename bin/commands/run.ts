/** `gd run FILE`: check, compile and run a program on tfjs, writing a run folder; exit 0 ok, 1 diagnostics, 2 usage, 130 interrupted. */
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../base-command.js';
import { EXIT, diagnosticsJson, exitFor, parseSets, printDiagnostics, readProgram } from '../cli-util.js';
import { compileSolve, front } from '../../compiler/pipeline.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { nodeFiles } from '../../runtime/node-files.js';
import { BACKENDS, type BackendName } from '../../runtime/backend.js';
import { runDirOfCheckpoint } from '../../runtime/checkpoint.js';
import { defaultRunDir, tensorsJson } from '../../runtime/outputs.js';
import { progressReporter, showValue } from '../../runtime/progress.js';
import { runProgram } from '../../runtime/run.js';
import '../../runtime/std/index.js';

export default class Run extends BaseCommand {
  static override description = 'Run a .gd program: optimize its params and write metrics, params and checkpoints to a run folder.';
  static override examples = [
    '<%= config.bin %> run examples/least-squares.gd',
    '<%= config.bin %> run prog.gd --backend cpu --seed 3 --set n=1024 --steps 100',
    '<%= config.bin %> run prog.gd --json --quiet',
    '<%= config.bin %> run prog.gd --resume runs/prog-20250101-120000',
  ];
  static override args = { file: Args.string({ required: true, description: 'the .gd program' }) };
  static override flags = {
    backend: Flags.string({ options: [...BACKENDS], default: 'wasm', description: 'tfjs backend' }),
    seed: Flags.integer({ default: 0, description: 'seed of all randomness (same program + seed + backend = same numbers)' }),
    set: Flags.string({ multiple: true, multipleNonGreedy: true, description: 'override a dim or const: --set n=1024 (repeat for several)' }),
    steps: Flags.integer({ min: 0, description: "override every solve's step count (and every `until` cap)" }),
    out: Flags.string({ description: 'run folder (default runs/<program>-<YYYYMMDD-HHMMSS>)' }),
    json: Flags.boolean({ description: 'print one JSON object with the result on stdout' }),
    quiet: Flags.boolean({ description: 'no progress output' }),
    resume: Flags.string({ description: 'continue from the checkpoint of this run folder' }),
    fuse: Flags.boolean({
      default: true,
      allowNo: true,
      description: 'run fused kernels as generated code (WASM SIMD on wasm, WGSL on webgpu); --no-fuse runs every op as its tfjs kernel',
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Run);
    const fail = (diags: readonly Diagnostic[], sources: ReadonlyMap<string, string>, code: number) => {
      if (flags.json) process.stdout.write(`${JSON.stringify({ status: 'error', diagnostics: diagnosticsJson(diags, sources) })}\n`);
      else printDiagnostics(diags, sources);
      process.exitCode = code;
    };
    const sets = parseSets(flags.set);
    if ('error' in sets) return fail([sets.error], new Map(), EXIT.usage);
    const r = readProgram(args.file);
    if ('error' in r) return fail([r.error], new Map(), EXIT.usage);
    const fr = front(args.file, r.text, nodeFiles, { overrides: sets.overrides });
    if (!fr.checked) return fail(fr.diagnostics, fr.sources, exitFor(fr.diagnostics));
    if (!flags.json) printDiagnostics(fr.diagnostics, fr.sources); // warnings
    const checked = fr.checked;

    const outDir = flags.out ?? (flags.resume ? runDirOfCheckpoint(flags.resume) : defaultRunDir(args.file));
    const ctl = new AbortController();
    // First Ctrl-C: checkpoint and stop after the current step; a second one exits at once.
    const onSigint = () => {
      if (ctl.signal.aborted) process.exit(EXIT.interrupted);
      ctl.abort();
    };
    process.on('SIGINT', onSigint);
    const showProgress = !flags.quiet && !flags.json;
    const reporter = progressReporter((s) => process.stdout.write(s), Boolean(process.stdout.isTTY));
    let res;
    try {
      res = await runProgram(checked, {
        backend: flags.backend as BackendName,
        seed: flags.seed,
        ...(flags.steps !== undefined ? { steps: flags.steps } : {}),
        outDir,
        signal: ctl.signal,
        ...(flags.resume ? { resumeFrom: flags.resume } : {}),
        ...(flags.fuse ? {} : { fused: false }),
        ...(showProgress ? { onProgress: reporter.onProgress } : {}),
        compileStep: (item) => compileSolve(checked, item, 'O1', { probe: true }),
        host: nodeFiles,
        programName: args.file,
      });
    } finally {
      process.off('SIGINT', onSigint);
      if (showProgress) reporter.finish();
    }
    // metrics.svg in the run folder (runtime/plot, loaded only here: vega is large); a plot failure only warns.
    if (res.runDir) await import('../../runtime/plot/run-plot.js').then((m) => m.writeRunPlot(res.runDir!)).catch((e: Error) => process.stderr.write(`warning: no plot: ${e.message}\n`));
    if (res.status !== 'ok') return fail(res.diagnostics, fr.sources, res.status === 'interrupted' ? EXIT.interrupted : EXIT.diagnostics);

    if (flags.json) {
      const out = {
        status: 'ok',
        program: res.program,
        backend: res.backend,
        seed: res.seed,
        steps: res.steps,
        elapsed_ms: res.elapsedMs,
        objective: res.objective,
        params: tensorsJson(res.params),
        log: res.log.map((row) => ({ step: row.step, ...row.values })),
        run_dir: res.runDir,
      };
      process.stdout.write(`${JSON.stringify(out)}\n`);
    } else if (!flags.quiet) {
      const obj = res.objective ? `${res.objective.name} = ${showValue(res.objective.value)} ` : '';
      process.stdout.write(`${obj}after ${res.steps} steps (${(res.elapsedMs / 1000).toFixed(2)} s, ${res.backend}) → ${res.runDir}\n`);
    }
    process.exitCode = EXIT.ok;
  }
}
