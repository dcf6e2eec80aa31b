/** `npm run bench [-- NAME...|all] [--json]`: runs the named workloads (the compute ones when none) and prints one table. */
import { frontendBench } from './frontend.js';
import { runtimeBench } from './runtime.js';
import { wasmMathBench } from './wasm-math.js';
import { COMPUTE_WORKLOADS, computeHeader, runCompute } from './compute.js';

interface Workload {
  readonly run: () => Promise<Record<string, unknown>[]>;
}

let headerShown = false;
/** A compute workload (bench/compute.ts): gdlang vs its PyTorch and tfjs peers, one table line. */
const compute = (name: string): Workload => ({
  run: async () => {
    if (!headerShown) process.stdout.write(computeHeader('wasm'));
    headerShown = true;
    return [{ ...(await runCompute(name, 'wasm')) }];
  },
});

const WORKLOADS: Record<string, Workload> = {
  frontend: { run: frontendBench },
  runtime: { run: runtimeBench },
  ...Object.fromEntries(Object.keys(COMPUTE_WORKLOADS).map((n) => [n, compute(n)])),
  'wasm-math': { run: wasmMathBench },
};

const args = process.argv.slice(2);
const json = args.includes('--json');
const names = args.filter((a) => !a.startsWith('--'));
const unknown = names.filter((n) => !(n in WORKLOADS) && n !== 'all');
if (unknown.length) {
  process.stderr.write(`error[GD9002]: unknown workload ${unknown.join(', ')}; known: ${Object.keys(WORKLOADS).join(', ')}, all\n`);
  process.exit(2);
}
// No names: the compute workloads, whose JSON rows all carry { workload, backend, gd_ms, torch_ms, tfjs_ms,
// limit_ms }; `all` adds the front-end, runtime and wasm-math benches (rows with fields of their own).
const chosen = names.includes('all') ? Object.keys(WORKLOADS) : names.length ? names : Object.keys(COMPUTE_WORKLOADS);
const rows: Record<string, unknown>[] = [];
for (const name of chosen) rows.push(...(await WORKLOADS[name]!.run()));
if (json) process.stdout.write(JSON.stringify(rows) + '\n');
