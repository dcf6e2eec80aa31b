/** Steady-state timing shared by every side of a compute benchmark: warm-up steps, then the median of per-step times. */

export interface StepTiming {
  /** Median ms per step over the measured steps. */
  readonly ms: number;
  readonly steps: number;
}

/** Median of a list of numbers (the list is copied). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Runs `step` warm + measured times and returns the median of the measured steps; the median, not the
 * mean, so one GC pause or scheduler hiccup on a shared 2-core machine does not decide the figure.
 */
export async function timeSteps(step: () => void | Promise<void>, warm: number, measured: number): Promise<StepTiming> {
  for (let i = 0; i < warm; i++) await step();
  const times: number[] = [];
  for (let i = 0; i < measured; i++) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), steps: measured };
}
