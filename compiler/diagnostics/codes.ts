/**
 * The catalogue of diagnostic codes: one entry per kind of problem, stable forever once published.
 * Ranges: GD1xxx syntax, GD2xxx names/types/shapes, GD3xxx geometry/method/domain rules,
 * GD4xxx data and runtime, GD9xxx CLI and IO. Each code has exactly one constructor in constructors.ts.
 * Add new codes at the end of their range; never renumber or reuse one.
 */

export interface CodeInfo {
  /** A short kebab-case title, used in docs and JSON output. */
  readonly title: string;
}

export const CODES = {
  // ── GD1xxx: syntax ───────────────────────────────────────────────────────
  GD1001: { title: 'unexpected-character' },
  GD1002: { title: 'unterminated-string' },
  GD1003: { title: 'unexpected-token' },
  GD1004: { title: 'missing-token' },
  GD1005: { title: 'unexpected-end-of-file' },
  GD1006: { title: 'invalid-number' },
  GD1007: { title: 'invalid-statement' },
  GD1008: { title: 'invalid-shape' },
  GD1009: { title: 'invalid-lambda' },
  GD1010: { title: 'positional-after-named-argument' },
  GD1011: { title: 'duplicate-named-argument' },
  GD1012: { title: 'invalid-slice' },
  GD1013: { title: 'invalid-control-clause' },
  GD1014: { title: 'invalid-escape' },
  GD1015: { title: 'nesting-too-deep' },

  // ── GD2xxx: names, types, shapes ─────────────────────────────────────────
  GD2001: { title: 'unknown-name' },
  GD2002: { title: 'duplicate-declaration' },
  GD2003: { title: 'shape-mismatch' },
  GD2004: { title: 'broadcast-mismatch' },
  GD2005: { title: 'matmul-mismatch' },
  GD2006: { title: 'axis-out-of-range' },
  GD2007: { title: 'index-out-of-bounds' },
  GD2008: { title: 'too-many-indices' },
  GD2009: { title: 'non-scalar-objective' },
  GD2010: { title: 'unknown-function' },
  GD2011: { title: 'wrong-argument-count' },
  GD2012: { title: 'unknown-named-argument' },
  GD2013: { title: 'unknown-dim' },
  GD2014: { title: 'dim-not-integer' },
  GD2015: { title: 'dim-conflict' },
  GD2016: { title: 'ragged-tensor-literal' },
  GD2017: { title: 'initializer-shape-mismatch' },
  GD2018: { title: 'recursive-def' },
  GD2019: { title: 'not-a-constant' },
  GD2020: { title: 'unknown-module' },
  GD2021: { title: 'import-not-found' },
  GD2022: { title: 'name-is-not-a-value' },
  GD2023: { title: 'grad-target-not-param' },
  GD2024: { title: 'transpose-rank' },
  GD2025: { title: 'not-callable' },
  GD2026: { title: 'lambda-outside-pairwise' },
  GD2027: { title: 'invalid-argument' },
  GD2028: { title: 'import-cycle' },
  GD2029: { title: 'non-scalar-condition' },
  GD2030: { title: 'unknown-initializer' },
  GD2031: { title: 'not-importable' },
  GD2032: { title: 'unknown-attribute' },
  GD2033: { title: 'expression-too-deep' },

  // ── GD3xxx: geometry, method, domain, run-control rules ─────────────────
  GD3001: { title: 'target-not-optimizable' },
  GD3002: { title: 'unknown-geometry' },
  GD3003: { title: 'unknown-method' },
  GD3004: { title: 'unknown-method-option' },
  GD3005: { title: 'missing-method-option' },
  GD3006: { title: 'geometry-domain-mismatch' },
  GD3007: { title: 'non-positive-step-count' },
  GD3008: { title: 'unknown-domain' },
  GD3009: { title: 'invalid-domain-argument' },
  GD3010: { title: 'geometry-not-for-particles' },
  GD3011: { title: 'duplicate-target' },
  GD3012: { title: 'missing-step-count' },
  GD3013: { title: 'unknown-geometry-option' },
  GD3014: { title: 'entropy-outside-particle-objective' },
  GD3015: { title: 'per-needs-batched-data' },
  GD3016: { title: 'prune-target-not-param' },
  GD3017: { title: 'invalid-prune-amount' },
  GD3018: { title: 'layerwise-arity' },
  GD3019: { title: 'non-positive-interval' },
  GD3020: { title: 'duplicate-phase' },
  GD3021: { title: 'objective-depends-on-nothing' },
  GD3022: { title: 'init-target-not-param' },
  GD3023: { title: 'invalid-batch-size' },
  GD3024: { title: 'missing-block-option' },

  // ── GD4xxx: data and runtime ─────────────────────────────────────────────
  GD4001: { title: 'data-file-not-found' },
  GD4002: { title: 'data-file-malformed' },
  GD4003: { title: 'data-shape-mismatch' },
  GD4004: { title: 'data-non-numeric' },
  GD4005: { title: 'unsupported-data-format' },
  GD4006: { title: 'non-finite-value' },
  GD4007: { title: 'interrupted' },
  GD4008: { title: 'checkpoint-invalid' },
  GD4009: { title: 'backend-unavailable' },
  GD4010: { title: 'supplied-data-mismatch' },
  GD4011: { title: 'runtime-unsupported' },

  // ── GD9xxx: CLI and IO ───────────────────────────────────────────────────
  GD9001: { title: 'file-not-found' },
  GD9002: { title: 'unknown-option' },
  GD9003: { title: 'invalid-set-override' },
  GD9004: { title: 'unknown-override' },
  GD9005: { title: 'output-not-writable' },
  GD9006: { title: 'usage' },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;
