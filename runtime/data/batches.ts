/**
 * Minibatch row selection for `batch K` data. All data batched along the same rows (same length n and
 * batch size K) share one Batcher, and so do `per B` params tied to them, so a step sees matching rows.
 * The order is a pure function of (seed, group, batch counter): epoch e = floor(c / (n div K)) uses the
 * seeded permutation of epoch e, so resuming needs only the counter, and the tail of n mod K rows is
 * left out of each epoch (a different tail each time, as every epoch reshuffles).
 */
import { randFill } from '../../compiler/ir/rng.js';

/** The rng stream ids reserved for batch permutations (group i uses BATCH_STREAM + i); steps use small ids. */
export const BATCH_STREAM = 0x42000000;

/** A uniformly random permutation of 0..n-1 for (seed, stream, epoch) by Fisher-Yates on counter-based uniforms. */
export function permutation(n: number, seed: number, stream: number, epoch: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const u = randFill(seed, stream, n, epoch);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(u[i]! * (i + 1)));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

export class Batcher {
  /** Number of batches handed out so far (the resume position). */
  counter = 0;
  private epoch = -1;
  private perm: Int32Array = new Int32Array(0);

  constructor(
    readonly rows: number,
    readonly batch: number,
    private readonly seed: number,
    private readonly stream: number,
  ) {}

  /** Batches per epoch. */
  get perEpoch(): number {
    return Math.floor(this.rows / this.batch);
  }

  /** The row indices of batch number `c` (default: the current one), without advancing. */
  rowsOf(c = this.counter): Int32Array {
    const e = Math.floor(c / this.perEpoch);
    if (e !== this.epoch) {
      this.perm = permutation(this.rows, this.seed, this.stream, e);
      this.epoch = e;
    }
    const at = (c % this.perEpoch) * this.batch;
    return this.perm.slice(at, at + this.batch);
  }

  /** Moves to the next batch. */
  advance(): void {
    this.counter++;
  }
}

/** The key of the batcher shared by data of `rows` rows batched by `batch`. */
export function batchGroupKey(rows: number, batch: number): string {
  return `${rows}/${batch}`;
}
