/** Every example lowers, differentiates and optimizes without internal errors, and O1 keeps the step's values. */
import { describe, expect, it } from 'vitest';
import '../../runtime/std/index.js'; // std modules register themselves, as the CLI does
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { front, solveItems, compileSolve } from '../../compiler/pipeline.js';
import { lowerObjective } from '../../compiler/ir/lower.js';
import { grad } from '../../compiler/autodiff/reverse.js';
import { interpret } from '../../compiler/ir/interpret.js';
import { runPasses } from '../../compiler/passes/index.js';
import type { Graph } from '../../compiler/ir/ir.js';
import { feedGraph } from '../helpers/feeds.js';

const dir = fileURLToPath(new URL('../../examples/', import.meta.url));
const host = {
  readText: (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined),
  readBytes: (p: string, max?: number) => (existsSync(p) ? new Uint8Array(readFileSync(p)).slice(0, max) : undefined),
  size: (p: string) => (existsSync(p) ? statSync(p).size : undefined),
};

function feed(g: Graph): Record<string, Float64Array> {
  return feedGraph(g);
}

const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.gd')) : [];

describe('examples through lowering, autodiff and passes', () => {
  for (const f of files) {
    it(f, () => {
      const fr = front(dir + f, readFileSync(dir + f, 'utf8'), host);
      expect(fr.checked).not.toBeNull();
      for (const item of solveItems(fr.checked!)) {
        const low = lowerObjective(fr.checked!, item.stmt);
        const { graph } = grad(low.graph, low.objective, low.targets.map((t) => t.var));
        expect(graph.eqns.length).toBeGreaterThan(low.graph.eqns.length);
        const step = compileSolve(fr.checked!, item, 'O0').step;
        const opt = runPasses(step, 'O1');
        expect(opt.eqns.length).toBeLessThanOrEqual(step.eqns.length);
        const values = feed(step);
        const a = interpret(step, values);
        const b = interpret(opt, values);
        for (const o of step.outputs) {
          [...a[o.name]!.data].forEach((x, i) => {
            const y = b[o.name]!.data[i]!;
            if (Number.isNaN(x)) expect(y).toBeNaN();
            else expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(x)));
          });
        }
      }
    });
  }
});
