/** The ordered pass list and the optimization presets: the one place that says which pass runs when. */
import type { Graph } from '../ir/ir.js';
import { cse } from './cse.js';
import { dce } from './dce.js';
import { foldConstants } from './fold-constants.js';
import { fuse } from './fuse.js';
import { rewrite } from './rewrite.js';
import { SIMPLIFY_RULES } from './simplify.js';

export type OptLevel = 'O0' | 'O1';

export interface Pass {
  readonly name: string;
  /** Returns the same graph object when it changes nothing. */
  readonly run: (g: Graph) => Graph;
}

/** The O1 pipeline, in order. */
export const O1_PASSES: readonly Pass[] = [
  // First: folding turns the constant arithmetic that lowering and autodiff leave behind (seeds of 1,
  // mean's 1/n, schedule constants) into single constants, which the simplifier's identity rules need to see.
  { name: 'fold-constants', run: foldConstants },
  // Then identities (x*1, x+0, neg∘neg, transpose∘transpose, no-op reshapes) expose equal subterms.
  { name: 'simplify', run: (g) => rewrite(g, SIMPLIFY_RULES) },
  // CSE after simplification, so terms that became equal merge (the forward pass and the VJPs recompute
  // many of the same values, e.g. exp(x) in a loss and in its gradient).
  { name: 'cse', run: cse },
  // Last: dead code left by all of the above (replaced equations, unused cotangents) goes.
  { name: 'dce', run: dce },
  // Fusion goes after everything that changes values: it only tags which equations run as one kernel
  // (elementwise chains with their reductions, pairwise regions), so it must see the final graph.
  { name: 'fuse', run: fuse },
];

/** O0 runs nothing, so `--dump ir` at O0 shows exactly what lowering produced. */
export const PASSES: Readonly<Record<OptLevel, readonly Pass[]>> = { O0: [], O1: O1_PASSES };

/**
 * Runs the preset's passes in order, repeating the whole list until a round changes nothing (each
 * pass can expose work for an earlier one: CSE merges constants that folding can then combine), at
 * most `maxRounds` times. Returns `g` itself when nothing changes.
 */
export function runPasses(g: Graph, level: OptLevel, maxRounds = 4): Graph {
  let cur = g;
  for (let round = 0; round < maxRounds; round++) {
    const start = cur;
    for (const p of PASSES[level]) cur = p.run(cur);
    if (cur === start) break;
  }
  return cur;
}
