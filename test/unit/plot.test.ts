/** Run plots (runtime/plot): metrics.csv parsing, the log-axis rule, and point placement in the rendered SVG. */
import { describe, expect, it } from 'vitest';
import { scalarSeries, parseCsv, type Series } from '../../runtime/plot/metrics-csv.js';
import { plotSpec, useLogScale } from '../../runtime/plot/plot-spec.js';
import { renderSvg } from '../../runtime/plot/render-svg.js';

/** The (x, y) of every plotted point of panel `panel`, from the SVG's symbol marks. */
function points(svg: string, panel: number): [number, number][] {
  const group = new RegExp(`<g class="mark-symbol role-mark concat_${panel}_[^"]*"[^>]*>(.*?)</g>`).exec(svg)?.[1] ?? '';
  return [...group.matchAll(/transform="translate\(([-\d.e]+),([-\d.e]+)\)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

describe('metrics.csv', () => {
  it('reads quoted headers and cells; keeps scalar columns, drops tensor columns and non-finite points', () => {
    const csv = 'step,loss,"norm(grad(loss, w))",v\n0,2.5,1,"[1,2]"\n10,nan,0.5,"[3,4]"\n20,1e-3,inf,"[5,6]"\n';
    expect(parseCsv(csv)[0]).toEqual(['step', 'loss', 'norm(grad(loss, w))', 'v']);
    const s = scalarSeries(csv);
    expect(s.map((x) => x.name)).toEqual(['loss', 'norm(grad(loss, w))']);
    expect(s[0]!.points).toEqual([
      { step: 0, value: 2.5 },
      { step: 20, value: 0.001 },
    ]);
    expect(s[1]!.points).toEqual([
      { step: 0, value: 1 },
      { step: 10, value: 0.5 },
    ]);
  });

  it('uses a log axis only for positive series spanning two decades', () => {
    const mk = (vs: number[]): Series => ({ name: 's', points: vs.map((value, step) => ({ step, value })) });
    expect(useLogScale(mk([1, 0.1, 0.01]))).toBe(true);
    expect(useLogScale(mk([1, 0.5, 0.011]))).toBe(false);
    expect(useLogScale(mk([1, 0.001, 0]))).toBe(false);
    expect(useLogScale(mk([-1, -100]))).toBe(false);
  });
});

describe('rendered SVG', () => {
  it('places decades equally apart on a log panel and equal steps equally apart on a linear one', async () => {
    const decades: Series = { name: 'loss', points: [0, 1, 2, 3, 4].map((k) => ({ step: 10 * k, value: 10 ** -k })) };
    const linear: Series = { name: 'acc', points: [0, 1, 2, 3].map((k) => ({ step: k, value: 0.5 + 0.1 * k })) };
    const svg = await renderSvg(plotSpec([decades, linear], 'run'));
    expect(svg.startsWith('<svg')).toBe(true);
    for (const [panel, n] of [
      [0, 5],
      [1, 4],
    ] as const) {
      const ps = points(svg, panel);
      expect(ps.length).toBe(n);
      const dy = ps.slice(1).map((p, i) => p[1] - ps[i]![1]);
      const dx = ps.slice(1).map((p, i) => p[0] - ps[i]![0]);
      // y grows downwards in SVG: a falling loss moves down, a rising accuracy moves up, in equal steps.
      for (const d of dy) expect(d).toBeCloseTo(dy[0]!, 6);
      for (const d of dx) expect(d).toBeCloseTo(dx[0]!, 6);
      expect(Math.sign(dy[0]!)).toBe(panel === 0 ? 1 : -1);
    }
  });
});

describe('plot title', () => {
  it('names the program, backend and seed from run.json, else the folder', async () => {
    const { writeRunPlot } = await import('../../runtime/plot/run-plot.js');
    const { mkdtempSync, writeFileSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join, basename } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'gd-title-'));
    writeFileSync(join(dir, 'metrics.csv'), 'step,loss\n0,1\n10,0.5\n');
    await writeRunPlot(dir);
    expect(readFileSync(join(dir, 'metrics.svg'), 'utf8')).toContain(basename(dir));
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ program: 'some/where/prog.gd', backend: 'wasm', seed: 3 }));
    await writeRunPlot(dir);
    expect(readFileSync(join(dir, 'metrics.svg'), 'utf8')).toContain('prog.gd — wasm, seed 3');
  });
});
