/** Where fused runners go in a graph's equation order: one rule shared by the JS, WASM and WGSL runner providers. */
import type { Graph } from '../../compiler/ir/ir.js';

/**
 * The placement of fused runners in one graph. A runner runs just before the equation after its last
 * read's producer, or after the runner placed earlier that computes that read (as early as its reads
 * allow), provided every outside reader of its writes comes at or after that point.
 * Constants count as ready from the start: the executor uploads them on demand. A graph output written
 * by a runner is read after every equation, which is fine.
 */
export class RunnerPlacement {
  /** The equation that produces each var id. */
  private readonly producer = new Map<number, number>();
  private readonly consumers = new Map<number, number[]>();
  private readonly constIds = new Set<number>();
  /** Where the runner that took each equation runs. */
  private readonly runnerAt = new Map<number, number>();

  constructor(g: Graph) {
    g.eqns.forEach((e, i) => {
      this.producer.set(e.out.id, i);
      if (e.op === 'const') this.constIds.add(e.out.id);
      for (const v of e.inputs) {
        const list = this.consumers.get(v.id);
        if (list) list.push(i);
        else this.consumers.set(v.id, [i]);
      }
    });
  }

  /** The point before which a runner of these equations can run, or null when none exists. */
  at(members: ReadonlySet<number>, reads: readonly number[], writes: readonly number[]): number | null {
    // A read is ready after its equation, or after the runner that computes it: a runner's member can
    // come late in graph order (fusion groups by shape), while the runner runs as early as its reads allow.
    const ready = reads.map((id) => {
      const p = this.constIds.has(id) ? undefined : this.producer.get(id);
      return p === undefined ? 0 : (this.runnerAt.get(p) ?? p) + 1;
    });
    const at = Math.max(0, ...ready);
    const writesLate = writes.every((id) => (this.consumers.get(id) ?? []).every((c) => members.has(c) || c >= at));
    return writesLate ? at : null;
  }

  /** Records that a runner placed at `at` computes these equations. */
  take(members: Iterable<number>, at: number): void {
    for (const m of members) this.runnerAt.set(m, at);
  }

  /** Whether a runner already computes equation `i`. */
  taken(i: number): boolean {
    return this.runnerAt.has(i);
  }
}
