/**
 * Checkpoints: everything the run loop needs to continue bit-for-bit — params, particles, optimizer
 * state, prune masks, the plan position and step counters, batch counters — with float32 data stored
 * exactly (base64 of the raw bytes). The rng needs no state: it is a pure function of (seed, step).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkpointInvalid } from '../compiler/diagnostics/constructors/runtime.js';
import { fail } from './faults.js';
import type { HostTensor } from './data/host-tensor.js';
import type { LogRow } from './outputs.js';

export const CHECKPOINT_FORMAT = 'gdlang-checkpoint-1';
export const CHECKPOINT_DIR = 'checkpoint';
const FILE = 'checkpoint.json';

export interface Checkpoint {
  readonly format: typeof CHECKPOINT_FORMAT;
  /** The program's file name and a fingerprint of its checked plan, so a checkpoint is not applied to another program. */
  readonly program: string;
  readonly fingerprint: string;
  readonly seed: number;
  readonly backend: string;
  /** Index into the plan of the item in progress (or the next one to run). */
  readonly planIndex: number;
  /** Steps already done in the solve at planIndex (its counter t). */
  readonly t: number;
  /** Steps done by the whole run (the rng's step index). */
  readonly globalStep: number;
  /** Values by `<kind>:<name>`: value:w, state:w.m, mask:w. */
  readonly tensors: Readonly<Record<string, HostTensor>>;
  readonly batchCounters: Readonly<Record<string, number>>;
  /** Log rows written so far (metrics.csv is rewritten from these on resume) and record rows per file. */
  readonly log: readonly LogRow[];
  readonly records: Readonly<Record<string, readonly LogRow[]>>;
}

interface Encoded {
  shape: number[];
  f32: string;
}

function encode(t: HostTensor): Encoded {
  return { shape: [...t.shape], f32: Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('base64') };
}

function decode(e: Encoded): HostTensor {
  const b = Buffer.from(e.f32, 'base64');
  const data = new Float32Array(b.byteLength / 4);
  new Uint8Array(data.buffer).set(b);
  return { shape: e.shape, data };
}

/** Writes `<runDir>/checkpoint/checkpoint.json` atomically; returns the checkpoint folder. */
export function writeCheckpoint(runDir: string, c: Checkpoint): string {
  const dir = join(runDir, CHECKPOINT_DIR);
  mkdirSync(dir, { recursive: true });
  const tensors: Record<string, Encoded> = {};
  for (const [k, t] of Object.entries(c.tensors)) tensors[k] = encode(t);
  const p = join(dir, FILE);
  writeFileSync(`${p}.tmp`, JSON.stringify({ ...c, tensors }));
  renameSync(`${p}.tmp`, p);
  return dir;
}

/** Reads a checkpoint from a run folder or its checkpoint/ folder; GD4008 when there is none or it is unreadable. */
export function readCheckpoint(dir: string): Checkpoint {
  const candidates = [join(dir, FILE), join(dir, CHECKPOINT_DIR, FILE)];
  const p = candidates.find((c) => existsSync(c));
  if (!p) fail(checkpointInvalid(dir, 'no checkpoint found (expected checkpoint/checkpoint.json; add `checkpoint every K` to the solve)'));
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(p, 'utf8'));
  } catch (e) {
    fail(checkpointInvalid(dir, `unreadable checkpoint: ${(e as Error).message}`));
  }
  const o = raw as Checkpoint & { tensors: Record<string, Encoded> };
  if (o.format !== CHECKPOINT_FORMAT) fail(checkpointInvalid(dir, `unknown checkpoint format '${String(o.format)}'`));
  const tensors: Record<string, HostTensor> = {};
  for (const [k, e] of Object.entries(o.tensors)) tensors[k] = decode(e);
  return { ...o, tensors };
}

/** The run folder a --resume DIR argument names (DIR may be the run folder or its checkpoint/ folder). */
export function runDirOfCheckpoint(dir: string): string {
  return existsSync(join(dir, FILE)) && !existsSync(join(dir, CHECKPOINT_DIR, FILE)) ? join(dir, '..') : dir;
}
