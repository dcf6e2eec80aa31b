/** `npm run bench [-- NAME...] [--json]`: runs the named workloads (all when none) and prints one table. */
import { frontendBench } from './frontend.js';

interface Workload {
  readonly run: () => Promise<Record<string, unknown>[]>;
}

const WORKLOADS: Record<string, Workload> = {
  frontend: { run: frontendBench },
};

const args = process.argv.slice(2);
const json = args.includes('--json');
const names = args.filter((a) => !a.startsWith('--'));
const unknown = names.filter((n) => !(n in WORKLOADS));
if (unknown.length) {
  process.stderr.write(`error[GD9002]: unknown workload ${unknown.join(', ')}; known: ${Object.keys(WORKLOADS).join(', ')}\n`);
  process.exit(2);
}
const rows: Record<string, unknown>[] = [];
for (const name of names.length ? names : Object.keys(WORKLOADS)) rows.push(...(await WORKLOADS[name]!.run()));
if (json) process.stdout.write(JSON.stringify(rows) + '\n');
