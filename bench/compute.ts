/**
 * Compute benchmarks: each workload run by gdlang (bench/workloads/*.gd through the real pipeline and
 * runtime), by the same algorithm hand-written in tfjs on the same backend (bench/peers/*.ts, same
 * process) and by PyTorch eager on the CPU (bench/peers/*.py, a child process), all on this machine in
 * this run. Steady-state median ms/step after warm-up on every side.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../runtime/backend.js';
import { gdStepMs } from './gd-side.js';
import { median, timeSteps } from './timing.js';
import { registerGradients, type TfjsPeer } from './peers/tfjs-peer.js';
import { setup as mirrorPeer } from './peers/mirror-simplex-1m.js';
import { setup as mfldPeer } from './peers/mfld-2048.js';
import { setup as ifgsmPeer } from './peers/ifgsm-mlp.js';
import { setup as interactionPeer } from './peers/interaction-4096.js';

/** The JSON row of one workload (the `--json` contract). */
export interface ComputeRow {
  readonly workload: string;
  readonly backend: string;
  readonly gd_ms: number;
  readonly torch_ms: number | null;
  readonly tfjs_ms: number;
  readonly limit_ms: number | null;
}

interface ComputeWorkload {
  readonly warm: number;
  readonly measured: number;
  readonly tfjs: () => TfjsPeer;
  /** Bytes one step must move at the least, for bandwidth-bound workloads (null: compute-bound). */
  readonly bytesPerStep: number | null;
  readonly note: string;
}

const N_SIMPLEX = 1_000_000;

/** The compute workloads by name; the .gd, .ts and .py files share the name. */
export const COMPUTE_WORKLOADS: Record<string, ComputeWorkload> = {
  'mirror-simplex-1m': {
    warm: 5,
    measured: 30,
    tfjs: () => mirrorPeer(),
    // The least traffic of one exponentiated-gradient step: the normalizer needs a full pass before any
    // output is final, so pass 1 reads c and p (8 B) and writes the unnormalized p (4 B), pass 2 reads
    // and rewrites it (8 B): 20 bytes per coordinate.
    bytesPerStep: 20 * N_SIMPLEX,
    note: 'entropic mirror descent, n = 1,000,000, separable objective',
  },
  'mfld-2048': { warm: 5, measured: 30, tfjs: () => mfldPeer(), bytesPerStep: null, note: 'MFLD, 2048 particles of dim 16, 512 data points' },
  'ifgsm-mlp': { warm: 3, measured: 20, tfjs: () => ifgsmPeer(), bytesPerStep: null, note: 'iterative FGSM, MLP 784-512-512-10, batch 256' },
  'interaction-4096': { warm: 1, measured: 3, tfjs: () => interactionPeer(), bytesPerStep: null, note: 'Bonet interaction energy, 4096 particles in 2-D (all pairs)' },
};

const PYTHON = '/usr/bin/python3';

/** Whether the PyTorch peer can run: Debian's python3 with python3-torch. Returns the reason when not. */
export function torchMissing(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  return r.status === 0 ? null : 'python3-torch is not installed (apt-get install -y python3-torch python3-numpy)';
}

function torchStepMs(name: string, w: ComputeWorkload): number {
  const script = fileURLToPath(new URL(`./peers/${name}.py`, import.meta.url));
  const r = spawnSync(PYTHON, [script, '--warm', String(w.warm), '--steps', String(w.measured)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`torch peer ${name} failed: ${r.stderr}`);
  const last = r.stdout.trim().split('\n').pop()!;
  return (JSON.parse(last) as { ms: number }).ms;
}

let copyBandwidth: number | null = null;

/** Bytes per ms that a plain typed-array copy reaches (reads + writes counted), the bandwidth limit's yardstick. */
export function measuredCopyBandwidth(): number {
  if (copyBandwidth !== null) return copyBandwidth;
  const n = 16 << 20; // 64 MB per array: far beyond the caches
  const src = new Float32Array(n).fill(1);
  const dst = new Float32Array(n);
  const times: number[] = [];
  for (let i = 0; i < 12; i++) {
    const t0 = performance.now();
    dst.set(src);
    times.push(performance.now() - t0);
  }
  copyBandwidth = (2 * 4 * n) / median(times.slice(2));
  return copyBandwidth;
}

const fmt = (x: number | null, digits = 2) => (x === null ? '—' : x.toFixed(digits));

/** Runs one compute workload on all sides, prints its table line, returns its row. */
export async function runCompute(name: string, backend: BackendName = 'wasm'): Promise<ComputeRow> {
  const w = COMPUTE_WORKLOADS[name]!;
  const gd = await gdStepMs(name, backend, w.warm, w.measured);
  // The peer runs on the backend gd just initialized (runProgram selected it).
  if (tf.getBackend() !== backend) await tf.setBackend(backend);
  await registerGradients();
  const peer = w.tfjs();
  let tfjsMs: number;
  try {
    tfjsMs = (await timeSteps(peer.step, w.warm, w.measured)).ms;
  } finally {
    peer.dispose();
  }
  const missing = torchMissing();
  const torchMs = missing ? null : torchStepMs(name, w);
  const limitMs = w.bytesPerStep === null ? null : w.bytesPerStep / measuredCopyBandwidth();
  const row: ComputeRow = {
    workload: name,
    backend,
    gd_ms: +gd.ms.toFixed(3),
    torch_ms: torchMs === null ? null : +torchMs.toFixed(3),
    tfjs_ms: +tfjsMs.toFixed(3),
    limit_ms: limitMs === null ? null : +limitMs.toFixed(3),
  };
  const ratio = (a: number, b: number | null) => (b === null ? '—' : (a / b).toFixed(2));
  const pctLimit = limitMs === null ? '—' : `${((limitMs / gd.ms) * 100).toFixed(0)}%`;
  process.stdout.write(
    `${name.padEnd(20)} ${fmt(row.gd_ms).padStart(10)} ${fmt(row.torch_ms).padStart(10)} ${fmt(row.tfjs_ms).padStart(10)} ` +
      `${ratio(row.gd_ms, row.torch_ms).padStart(9)} ${ratio(row.gd_ms, row.tfjs_ms).padStart(9)} ${fmt(row.limit_ms).padStart(9)} ${pctLimit.padStart(8)}   ${w.note}\n`,
  );
  return row;
}

/** The table header, printed once before the first compute workload; says when the PyTorch peer cannot run. */
export function computeHeader(backend: string): string {
  const missing = torchMissing();
  const lines = [
    `\ncompute: ms/step (median after warm-up), gdlang vs PyTorch eager CPU vs hand-written tfjs, backend ${backend}, ${(measuredCopyBandwidth() / 1e6).toFixed(1)} GB/s copy bandwidth`,
  ];
  if (missing) lines.push(`  PyTorch peer unavailable: ${missing}; torch columns show —`);
  lines.push(
    `${'workload'.padEnd(20)} ${'gd ms'.padStart(10)} ${'torch ms'.padStart(10)} ${'tfjs ms'.padStart(10)} ${'gd/torch'.padStart(9)} ${'gd/tfjs'.padStart(9)} ${'limit ms'.padStart(9)} ${'%limit'.padStart(8)}`,
  );
  return lines.join('\n') + '\n';
}
