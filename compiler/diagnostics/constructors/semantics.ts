/** Constructors for type/shape/argument diagnostics (GD2003–GD2033) and geometry/method/domain/run-control rules (GD3xxx). */
import type { Diagnostic, DiagnosticNote } from '../diagnostic.js';
import { makeDiagnostic, showShape } from '../make.js';
import type { Span } from '../span.js';

type Dims = readonly number[];
const didYouMean = (s: string | undefined) => (s ? `did you mean '${s}'?` : undefined);

// ── GD2xxx: shapes and arguments ─────────────────────────────────────────────

/** GD2003: two shapes that must be equal (arguments of dot, sqdist, solve, ...) are not. */
export function shapeMismatch(what: string, a: Dims, b: Dims, span: Span, help?: string): Diagnostic {
  return makeDiagnostic('GD2003', span, `${what}: ${showShape(a)} vs ${showShape(b)}`, help ? { help } : {});
}

/** GD2004: an element-wise operation whose operand shapes do not broadcast. */
export function broadcastMismatch(op: string, left: Dims, right: Dims, span: Span): Diagnostic {
  return makeDiagnostic('GD2004', span, `cannot broadcast ${showShape(left)} with ${showShape(right)} in '${op}'`, {
    help: 'element-wise operands must have equal sizes, or size 1, in each trailing axis (NumPy rules); reshape, index or transpose one side',
  });
}

/** GD2005: `a @ b` whose contracted dims differ (or with a scalar operand). */
export function matmulMismatch(left: Dims, right: Dims, span: Span): Diagnostic {
  const scalar = left.length === 0 || right.length === 0;
  return makeDiagnostic('GD2005', span, `cannot matmul ${showShape(left)} @ ${showShape(right)}`, {
    help: scalar
      ? "'@' needs vectors or matrices; for scaling use '*'"
      : `the last axis of the left operand (${left[left.length - 1]}) must equal the ${right.length === 1 ? 'length' : 'first axis'} of the right one (${right.length === 1 ? right[0] : right[right.length - 2]}); transpose one side with .T?`,
  });
}

/** GD2006: `axis: k` outside [-rank, rank). */
export function axisOutOfRange(axis: number, shape: Dims, span: Span): Diagnostic {
  return makeDiagnostic('GD2006', span, `axis ${axis} is out of range for shape ${showShape(shape)}`, {
    help: shape.length === 0 ? 'a scalar has no axes; drop `axis:`' : `valid axes are ${-shape.length} to ${shape.length - 1}`,
  });
}

/** GD2007: a constant index (or slice bound) outside the axis. */
export function indexOutOfBounds(index: number, size: number, axis: number, span: Span, slice = false): Diagnostic {
  return makeDiagnostic('GD2007', span, `${slice ? 'slice bound' : 'index'} ${index} is out of bounds for axis ${axis} of size ${size}`, {
    help: slice ? `slice bounds go from ${-size} to ${size}` : `valid indices are ${-size} to ${size - 1}`,
  });
}

/** GD2008: more indices than the tensor has axes. */
export function tooManyIndices(count: number, shape: Dims, span: Span): Diagnostic {
  return makeDiagnostic('GD2008', span, `${count} indices for a tensor of shape ${showShape(shape)} (rank ${shape.length})`, {
    help: shape.length === 0 ? 'a scalar cannot be indexed' : `give at most ${shape.length} ind${shape.length === 1 ? 'ex' : 'ices'}, one per axis`,
  });
}

/** GD2009: an objective (or the first argument of grad) that is not a scalar. */
export function nonScalarObjective(what: string, shape: Dims, span: Span): Diagnostic {
  return makeDiagnostic('GD2009', span, `${what} must be a scalar, but it has shape ${showShape(shape)}`, {
    help: 'reduce it to a number, e.g. with sum(...) or mean(...)',
  });
}

/** GD2011: a call with too few or too many positional arguments. */
export function wrongArgumentCount(fn: string, expected: string, got: number, span: Span, signature?: string): Diagnostic {
  return makeDiagnostic('GD2011', span, `'${fn}' takes ${expected}, but ${got} ${got === 1 ? 'was' : 'were'} given`, signature ? { help: `usage: ${signature}` } : {});
}

/** GD2012: a named argument the callee does not have. */
export function unknownNamedArgument(fn: string, arg: string, span: Span, known: readonly string[], suggestion?: string): Diagnostic {
  return makeDiagnostic('GD2012', span, `'${fn}' has no argument named '${arg}'`, {
    help: didYouMean(suggestion) ?? (known.length ? `its named arguments are: ${known.join(', ')}` : `'${fn}' takes no named arguments`),
  });
}

/** GD2014: a dim that is not a positive integer. */
export function dimNotInteger(name: string, value: number, span: Span): Diagnostic {
  return makeDiagnostic('GD2014', span, `size '${name}' must be a positive integer, but it is ${value}`, {
    help: 'sizes count elements: use a whole number of at least 1',
  });
}

/** GD2015: a dim bound twice, to different sizes, by two declarations (or twice in one shape). */
export function dimConflict(name: string, first: number, second: number, span: Span, firstSpan?: Span, source?: string): Diagnostic {
  const notes: DiagnosticNote[] = firstSpan ? [{ message: `'${name}' was bound to ${first} here`, span: firstSpan }] : [];
  return makeDiagnostic('GD2015', span, `size '${name}' is ${first}, but ${source ?? 'here it'} would make it ${second}`, {
    notes,
    help: `the sizes must agree; check the data files, or give '${name}' its value with \`dim ${name} = ...\``,
  });
}

/** GD2016: a tensor literal whose rows have different shapes. */
export function raggedTensorLiteral(index: number, shape: Dims, first: Dims, span: Span): Diagnostic {
  return makeDiagnostic('GD2016', span, `ragged tensor literal: element ${index} has shape ${showShape(shape)}, but element 0 has ${showShape(first)}`, {
    help: 'every row of a tensor literal must have the same length',
  });
}

/** GD2017: an initializer (or `init ... from`) whose shape differs from the declared one. */
export function initializerShapeMismatch(name: string, declared: Dims, actual: Dims, span: Span): Diagnostic {
  return makeDiagnostic('GD2017', span, `'${name}' is declared ${showShape(declared)}, but its initializer has shape ${showShape(actual)}`, {
    help: 'make the initializer produce the declared shape, or fix the declaration',
  });
}

/** GD2019: an expression that must be known before the run (dims, consts, counts, axes, slice bounds) is not. */
export function notAConstant(what: string, why: string, span: Span, help?: string): Diagnostic {
  return makeDiagnostic('GD2019', span, `${what} must be known at compile time, but ${why}`, {
    help: help ?? 'use numbers, dims and consts here',
  });
}

/** GD2023: `grad(e, w)` where w is not a param or particles. */
export function gradTargetNotParam(what: string, span: Span, declared?: Span): Diagnostic {
  return makeDiagnostic('GD2023', span, `grad(expr, w) needs a param or particles as w, but ${what}`, {
    notes: declared ? [{ message: 'declared here', span: declared }] : [],
  });
}

/** GD2024: `.T` / transpose of a tensor of rank above 2. */
export function transposeRank(shape: Dims, span: Span): Diagnostic {
  return makeDiagnostic('GD2024', span, `.T needs a vector or matrix, but the operand has shape ${showShape(shape)}`, {
    help: 'index the tensor down to a matrix first, e.g. x[0].T',
  });
}

/** GD2026: a lambda anywhere except as the second argument of pairwise. */
export function lambdaOutsidePairwise(span: Span): Diagnostic {
  return makeDiagnostic('GD2026', span, 'a lambda `(x, y) => ...` is only allowed as the second argument of pairwise(theta, ...)', {
    help: 'for a reusable function, declare it with `def`',
  });
}

/** GD2027: an argument that has the wrong kind or value for its position (a word where a tensor is needed, ...). */
export function invalidArgument(message: string, span: Span, help?: string): Diagnostic {
  return makeDiagnostic('GD2027', span, message, help ? { help } : {});
}

/** GD2029: an `until` condition (or `where` condition) that is not a scalar. */
export function nonScalarCondition(shape: Dims, span: Span): Diagnostic {
  return makeDiagnostic('GD2029', span, `the stopping condition must be a scalar, but it has shape ${showShape(shape)}`, {
    help: 'reduce it, e.g. `until norm(grad(loss, w)) < 1e-6`',
  });
}

/** GD2033: an expression nested so deeply that checking it would exhaust the stack. */
export function expressionTooDeep(limit: number, span: Span): Diagnostic {
  return makeDiagnostic('GD2033', span, `this expression is nested more than ${limit} levels deep`, {
    help: 'split it into several lets',
  });
}

// ── GD3xxx: solve rules ──────────────────────────────────────────────────────

/** GD3001: `over X` where X is data, a let, a const, ... */
export function targetNotOptimizable(name: string, kind: string, span: Span, declared?: Span): Diagnostic {
  return makeDiagnostic('GD3001', span, `cannot optimize over '${name}': ${name} is ${kind}`, {
    notes: declared ? [{ message: `'${name}' is declared here as ${kind}`, span: declared }] : [],
    help: `only params and particles can be optimized; declare it as \`param ${name}: [...]\``,
  });
}

/** GD3002: a geometry name that does not exist. */
export function unknownGeometry(name: string, span: Span, known: readonly string[], suggestion?: string): Diagnostic {
  return makeDiagnostic('GD3002', span, `unknown geometry '${name}'`, {
    help: didYouMean(suggestion) ?? `known geometries: ${known.join(', ')}`,
  });
}

/** GD3003: a method name that does not exist. */
export function unknownMethod(name: string, span: Span, known: readonly string[], suggestion?: string): Diagnostic {
  return makeDiagnostic('GD3003', span, `unknown method '${name}'`, {
    help: didYouMean(suggestion) ?? `known methods: ${known.join(', ')}`,
  });
}

/** GD3004: a method option the method does not have. */
export function unknownMethodOption(method: string, option: string, span: Span, known: readonly string[], suggestion?: string): Diagnostic {
  return makeDiagnostic('GD3004', span, `method '${method}' has no option '${option}'`, {
    help: didYouMean(suggestion) ?? `its options are: ${known.join(', ')}`,
  });
}

/** GD3005: a required method option is missing. */
export function missingMethodOption(method: string, option: string, span: Span, example: string): Diagnostic {
  return makeDiagnostic('GD3005', span, `method '${method}' needs option '${option}'`, { help: `write e.g. ${example}` });
}

/** GD3006: a geometry that does not fit the target's domain; the note points at the domain (or at the declaration, when it has none). */
export function geometryDomainMismatch(message: string, span: Span, declared?: Span, noteText?: string, help?: string): Diagnostic {
  return makeDiagnostic('GD3006', span, message, {
    notes: declared ? [{ message: noteText ?? 'the domain is declared here', span: declared }] : [],
    ...(help ? { help } : {}),
  });
}

/** GD3007: `for N steps` (or `max N`) with N not a positive integer. */
export function nonPositiveStepCount(value: number, span: Span): Diagnostic {
  return makeDiagnostic('GD3007', span, `the step count must be a positive integer, but it is ${value}`, {
    help: 'write e.g. `for 100 steps` or `until COND max 1000 steps`',
  });
}

/** GD3008: a domain name that does not exist. */
export function unknownDomain(name: string, span: Span, suggestion?: string): Diagnostic {
  return makeDiagnostic('GD3008', span, `unknown domain '${name}'`, {
    help: didYouMean(suggestion) ?? 'domains are reals, positive, simplex, box(lo, hi) and ball(p, r[, center]) with p in 1, 2, inf',
  });
}

/** GD3009: a domain argument that is missing, extra or invalid. */
export function invalidDomainArgument(message: string, span: Span, help?: string): Diagnostic {
  return makeDiagnostic('GD3009', span, message, help ? { help } : {});
}

/** GD3010: a geometry that does not apply to the kind of target (wasserstein on params, linf on particles). */
export function geometryNotForParticles(message: string, span: Span, help: string): Diagnostic {
  return makeDiagnostic('GD3010', span, message, { help });
}

/** GD3011: the same target twice in one `over`. */
export function duplicateTarget(name: string, span: Span, first: Span): Diagnostic {
  return makeDiagnostic('GD3011', span, `'${name}' appears twice in 'over'`, {
    notes: [{ message: 'first listed here', span: first }],
    help: 'list each target once',
  });
}

/** GD3012: a solve without `for N steps` or `until COND`. */
export function missingStepCount(name: string, span: Span): Diagnostic {
  return makeDiagnostic('GD3012', span, `'${name}' has no stopping rule`, {
    help: 'add `for N steps` or `until COND [max N steps]`',
  });
}

/** GD3013: an argument or flag a geometry does not take. */
export function unknownGeometryOption(geometry: string, what: string, span: Span, help?: string): Diagnostic {
  return makeDiagnostic('GD3013', span, `geometry '${geometry}' does not take ${what}`, help ? { help } : {});
}

/** GD3014: `entropy(theta)` anywhere except inside a solve's objective. */
export function entropyOutsideParticleObjective(span: Span, message?: string, help?: string): Diagnostic {
  return makeDiagnostic('GD3014', span, message ?? 'entropy(theta) is only allowed inside the objective of a solve over particles', {
    help: help ?? 'it becomes the Langevin noise of the Wasserstein step (or its estimator), so it cannot be stored or logged',
  });
}

/** GD3015: `per B` where B is not batched data with the param's rows. */
export function perNeedsBatchedData(message: string, span: Span, declared?: Span): Diagnostic {
  return makeDiagnostic('GD3015', span, message, {
    notes: declared ? [{ message: 'declared here', span: declared }] : [],
    help: 'write `param z: [n, k] per B` with `data B: [n, ...] = ... batch K`',
  });
}

/** GD3016: `prune X` where X is not a param. */
export function pruneTargetNotParam(name: string, kind: string, span: Span): Diagnostic {
  return makeDiagnostic('GD3016', span, `cannot prune '${name}': it is ${kind}, not a param`, {
    help: 'prune masks apply to params: `prune W keep 10% by magnitude` with `param W: [...]`',
  });
}

/** GD3017: a prune amount outside (0, 100]% or (0, size]. */
export function invalidPruneAmount(message: string, span: Span): Diagnostic {
  return makeDiagnostic('GD3017', span, message, { help: 'write e.g. `prune W keep 10% by magnitude`' });
}

/** GD3018: layerwise(...) with a number of norms different from the number of targets. */
export function layerwiseArity(norms: number, targets: number, span: Span): Diagnostic {
  return makeDiagnostic('GD3018', span, `layerwise has ${norms} norm${norms === 1 ? '' : 's'} but the solve has ${targets} target${targets === 1 ? '' : 's'}`, {
    help: 'give one norm per target, in the order of `over`',
  });
}

/** GD3019: `log every K` / `record ... every K` / `checkpoint every K` with K not a positive integer. */
export function nonPositiveInterval(what: string, value: number, span: Span): Diagnostic {
  return makeDiagnostic('GD3019', span, `${what} every ${value}: the interval must be a positive integer`, {
    help: `write e.g. \`${what} every 10\``,
  });
}

/** GD3020: two phases with the same name. */
export function duplicatePhase(name: string, span: Span, first: Span): Diagnostic {
  return makeDiagnostic('GD3020', span, `phase '${name}' is declared twice`, {
    notes: [{ message: 'first declared here', span: first }],
    help: 'give each phase its own name (phases already run in order)',
  });
}

/** GD3021 (warning): the objective reads none of the targets, so every step leaves them unchanged. */
export function objectiveDependsOnNothing(name: string, targets: readonly string[], span: Span): Diagnostic {
  return makeDiagnostic('GD3021', span, `'${name}' does not depend on ${targets.map((t) => `'${t}'`).join(', ')}: its gradient is zero`, {
    severity: 'warning',
    help: 'optimize over the params the objective uses',
  });
}

/** GD3022: `init X from ...` where X is not a param. */
export function initTargetNotParam(name: string, kind: string, span: Span): Diagnostic {
  return makeDiagnostic('GD3022', span, `cannot init '${name}': it is ${kind}, not a param`, {
    help: '`init X from EXPR` sets a param; data and lets are computed from their declarations',
  });
}

/** GD3023: `batch K` with K not a positive integer no larger than the rows. */
export function invalidBatchSize(message: string, span: Span): Diagnostic {
  return makeDiagnostic('GD3023', span, message, { help: 'write e.g. `batch 64`, at most the number of rows' });
}

/**
 * GD3024: a method that takes one option per target (std.dsgd's `L<i>`, in `over` order) has neither that
 * option nor its fallback for one block; the span is the block's target in `over`.
 */
export function missingBlockOption(
  method: string,
  block: number,
  target: string,
  option: string,
  fallback: string,
  what: string,
  span: Span,
  methodSpan: Span,
): Diagnostic {
  return makeDiagnostic('GD3024', span, `block ${block} ('${target}') of ${method} has no ${what}: neither '${option}' nor '${fallback}' is given`, {
    notes: [{ message: `${method} takes the ${what} of block i as \`L<i>\`, in the order of \`over\``, span: methodSpan }],
    help: `add \`${option}: ...\` (the ${what} of '${target}') to ${method}(...), or \`${fallback}: ...\` to take 1/${fallback} as the ${what} of every block without one`,
  });
}
