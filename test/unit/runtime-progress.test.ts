import { describe, expect, it } from 'vitest';
import { progressReporter, showValue } from '../../runtime/progress.js';
import { defaultRunDir, formatFloat32, toNested } from '../../runtime/outputs.js';
import type { Progress } from '../../runtime/run.js';

const p = (t: number, latest: Progress['latest'], total: number | null = 300): Progress => ({ objective: 'loss', phase: null, t, total, globalStep: t, latest });

describe('progress and output formatting', () => {
  it('prints one plain line per new log row when not a terminal, labelled with the row step', () => {
    const out: string[] = [];
    const r = progressReporter((s) => out.push(s), false);
    const row0 = { step: 0, values: { loss: 0.0123456, w: [1, 2, 3, 4, 5] } };
    r.onProgress(p(1, row0));
    r.onProgress(p(2, row0)); // same row: nothing new
    r.onProgress(p(50, { step: 50, values: { loss: 2e-7 } }));
    r.finish();
    expect(out).toEqual(['step 0/300  loss=0.01235  w=[1, 2, 3, 4, … (5)]\n', 'step 50/300  loss=2e-7\n']);
  });

  it('redraws one line with a bar on a terminal and ends it on finish', () => {
    const out: string[] = [];
    let clock = 1000;
    const r = progressReporter((s) => out.push(s), true, 10, () => clock);
    clock += 500;
    r.onProgress(p(150, { step: 100, values: { loss: 0.5 } }));
    clock += 1000;
    r.onProgress(p(300, { step: 300, values: { loss: 0.25 } }));
    r.finish();
    expect(out[0]).toBe('\r\u001b[2K[#####.....] step 150/300  300 steps/s  loss=0.5');
    expect(out[1]).toBe('\r\u001b[2K[##########] step 300/300  200 steps/s  loss=0.25');
    expect(out[2]).toBe('\n');
  });

  it('formats float32 values in their shortest round-tripping form', () => {
    expect(formatFloat32(Math.fround(0.1))).toBe('0.1');
    expect(formatFloat32(Math.fround(1 / 3))).toBe('0.33333334');
    expect(Math.fround(Number(formatFloat32(Math.fround(1 / 3))))).toBe(Math.fround(1 / 3));
    expect(formatFloat32(NaN)).toBe('nan');
    expect(formatFloat32(-Infinity)).toBe('-inf');
    expect(showValue(123456.789)).toBe('123500');
    expect(toNested({ shape: [2, 2], data: Float32Array.of(1, 0.1, 3, 4) })).toEqual([[1, 0.1], [3, 4]]);
    expect(toNested({ shape: [], data: Float32Array.of(2.5) })).toBe(2.5);
  });

  it('names the default run folder runs/<program>-<YYYYMMDD-HHMMSS>', () => {
    expect(defaultRunDir('examples/least-squares.gd', new Date(2025, 0, 2, 3, 4, 5))).toBe('runs/least-squares-20250102-030405');
  });
});
