/**
 * Layerwise steepest descent (`layerwise(norm1, norm2, ...)`): one norm per target, in order, each target
 * stepping along its norm's duality map rho(g) = argmax_{|v| <= |g|_*} <g, v> (Flynn's duality structure;
 * std.dsgd chooses the block, this file gives the maps and plain layerwise descent).
 */
import { InternalError } from '../diagnostics/internal-error.js';
import type { GraphBuilder } from '../ir/builder.js';
import type { Var } from '../ir/ir.js';
import { primalApply } from './euclidean.js';
import type { GeometryRule } from './registry.js';

export type LayerNorm = 'frobenius' | 'l2' | 'linf' | 'spectral';

/**
 * Newton–Schulz iterations for the polar factor U V' of a matrix. Each iteration multiplies a singular
 * value s of G/|G|_F by (3 - s^2)/2, so values as small as 1e-4 |G|_F reach 1 within float32 precision
 * in about 30 steps; smaller singular values are treated as zero (documented in geometry-and-methods.md).
 */
export const POLAR_STEPS = 30;

export function isLayerNorm(name: string): name is LayerNorm {
  return name === 'frobenius' || name === 'l2' || name === 'linf' || name === 'spectral';
}

/**
 * U V' of G (rank 2) by Newton–Schulz from G/|G|_F — no SVD op is needed. X <- 1.5 X - 0.5 X X' X,
 * multiplying on the smaller side so the Gram matrix is min(r, c) square.
 */
export function polarFactor(b: GraphBuilder, G: Var, steps = POLAR_STEPS): Var {
  if (G.shape.length !== 2) throw new InternalError(`spectral norm of a rank-${G.shape.length} tensor`);
  const fro = b.unary('sqrt', b.sum(b.unary('square', G)));
  let X = b.div(G, b.maximum(fro, 1e-30));
  const wide = G.shape[0]! <= G.shape[1]!;
  for (let k = 0; k < steps; k++) {
    const cubic = wide
      ? b.matmul(b.matmul(X, X, { transposeB: true }), X) // (X X') X
      : b.matmul(X, b.matmul(X, X, { transposeA: true })); // X (X' X)
    X = b.sub(b.mul(X, 1.5), b.mul(cubic, 0.5));
  }
  return X;
}

/** The dual norm |g|_* of a block norm: frobenius/l2 -> |g|_2, linf -> |g|_1, spectral -> nuclear |G|_*. */
export function layerDualNorm(b: GraphBuilder, norm: LayerNorm, g: Var): Var {
  switch (norm) {
    case 'frobenius':
    case 'l2':
      return b.unary('sqrt', b.sum(b.unary('square', g)));
    case 'linf':
      return b.sum(b.unary('abs', g));
    case 'spectral':
      // |G|_* = <U V', G> = sum of the singular values.
      return b.sum(b.mul(polarFactor(b, g), g));
  }
}

/** The duality map rho(g): frobenius/l2 -> g, linf -> |g|_1 sign g, spectral -> |G|_* U V'. */
export function dualityMap(b: GraphBuilder, norm: LayerNorm, g: Var): Var {
  switch (norm) {
    case 'frobenius':
    case 'l2':
      return g;
    case 'linf':
      return b.mul(b.sum(b.unary('abs', g)), b.unary('sign', g));
    case 'spectral': {
      const polar = polarFactor(b, g);
      return b.mul(b.sum(b.mul(polar, g)), polar);
    }
  }
}

/** `layerwise(...)`: the target's norm is the one at its position among the solve's targets (`extra.layer`). */
export const layerwise: GeometryRule = {
  lower(env, ann, _target, extra) {
    const idx = extra.layer ?? 0;
    const arg = ann?.args.filter((a) => a.name === null)[idx]?.value;
    if (!arg || arg.kind !== 'Name' || !isLayerNorm(arg.name)) {
      throw new InternalError(`layerwise: no block norm for position ${idx} (the checker reports arity and names)`);
    }
    const norm = arg.name;
    return {
      direction: (g) => dualityMap(env.b, norm, g),
      apply: (from, delta, noise) => primalApply(env.b, from, delta, noise),
      projects: true,
    };
  },
};
