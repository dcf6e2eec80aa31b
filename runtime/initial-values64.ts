/**
 * Initial values of data, params and particles in float64, for tools that evaluate the program with the
 * reference interpreter (gd gradcheck). Same sources and RNG streams as the tfjs run (runtime/run.ts):
 * loads through the data loaders, direct fills through init-values.ts, other initializers through the
 * IR lowering, evaluated by the float64 interpreter instead of tfjs.
 */
import type { CheckedProgram } from '../compiler/check/checked.js';
import type { CompilerHost } from '../compiler/host.js';
import { interpret } from '../compiler/ir/interpret.js';
import { sizeOf } from '../compiler/ir/ops.js';
import { loadData } from './data/load.js';
import { directInit, initOf } from './init-values.js';
import { lowerValue } from './run.js';
import { dataShapeMismatch } from '../compiler/diagnostics/constructors/runtime.js';
import { fail } from './faults.js';

/** Every data, param and particles symbol's initial value (flat, row-major, float64), in declaration order. Throws RuntimeFault on bad data. */
export function initialValues64(checked: CheckedProgram, host: CompilerHost, seed: number): Map<string, Float64Array> {
  const values = new Map<string, Float64Array>();
  for (const sym of checked.symbols.values()) {
    if (sym.kind !== 'data' && sym.kind !== 'param' && sym.kind !== 'particles') continue;
    if (sym.kind === 'data' && sym.source.kind === 'load') {
      values.set(sym.name, Float64Array.from(loadData(host, sym.source.path, sym.source.format, sym.shape, sym.name, sym.decl.init.span).data));
      continue;
    }
    const { init, domain } = initOf(sym);
    const direct = directInit(checked, init, sym.shape, domain, seed);
    if (direct) {
      values.set(sym.name, Float64Array.from(direct.data));
      continue;
    }
    const g = lowerValue(checked, init!);
    const feeds: Record<string, Float64Array> = {};
    for (const inp of g.inputs) feeds[inp.name] = inp.role === 'rng' ? Float64Array.of(seed, 0) : values.get(inp.name)!;
    const out = Object.values(interpret(g, feeds))[0]!;
    const n = sizeOf(sym.shape);
    if (out.data.length === n) values.set(sym.name, Float64Array.from(out.data));
    else if (out.data.length === 1) values.set(sym.name, new Float64Array(n).fill(out.data[0]!));
    else fail(dataShapeMismatch(sym.name, sym.shape, out.shape, 'its initializer', init!.span));
  }
  return values;
}
