/** The vega-lite spec of a run's plot: one panel per logged scalar over steps, a log axis where the values span decades. */
import type { TopLevelSpec } from 'vega-lite';
import type { Series } from './metrics-csv.js';

/** A series is drawn on a log axis when all its values are positive and they span at least two decades. */
export function useLogScale(s: Series): boolean {
  const vs = s.points.map((p) => p.value);
  if (vs.length < 2 || vs.some((v) => v <= 0)) return false;
  return Math.max(...vs) / Math.min(...vs) >= 100;
}

/** Panels stacked vertically; each has its own data and y scale. */
export function plotSpec(series: readonly Series[], title: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    background: 'white',
    config: { font: 'sans-serif', view: { stroke: '#ddd' } },
    vconcat: series.map((s) => ({
      title: s.name,
      width: 480,
      height: 160,
      data: { values: s.points.map((p) => ({ step: p.step, value: p.value })) },
      mark: { type: 'line', point: s.points.length <= 50, color: '#1f77b4' },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'step' },
        y: {
          field: 'value',
          type: 'quantitative',
          title: s.name,
          axis: useLogScale(s) ? { format: '~e' } : {},
          scale: useLogScale(s) ? { type: 'log' } : { zero: false },
        },
      },
    })),
  };
}
