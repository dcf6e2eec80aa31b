/** Name scopes: globals visible in declaration order, def/lambda locals, and "did you mean" suggestions. */
import type { Span } from '../diagnostics/span.js';
import type { Shape, Sym } from './checked.js';

/** A def or lambda parameter bound for one inlining: its symbol and the shape of the argument. */
export interface Local {
  readonly sym: Sym & { kind: 'local' };
  readonly shape: Shape;
}

/**
 * The global scope while the checker walks the program top to bottom. `visible` holds what is declared
 * so far (that is what a use may see); `declared` holds every global declaration of the whole program,
 * gathered before the walk, so that a use before its declaration gets a note pointing at the declaration.
 */
export interface GlobalScope {
  readonly visible: Map<string, Sym>;
  readonly declared: Map<string, Span>;
}

export function newGlobalScope(): GlobalScope {
  return { visible: new Map(), declared: new Map() };
}

/**
 * Levenshtein distance, abandoning early once it must exceed `max` (then returns max + 1): suggestions
 * only care about near misses, and the cutoff keeps a garbage-filled program from costing O(n^2 * len^2).
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (cur[j]! < rowMin) rowMin = cur[j]!;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** Suggestions are computed for at most this many candidates, so a huge program with many typos stays linear. */
const MAX_CANDIDATES = 5000;

/** The closest candidate within a distance of about a third of the name's length (at least 1), if any. */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const max = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestD = max + 1;
  let seen = 0;
  for (const c of candidates) {
    if (++seen > MAX_CANDIDATES) break;
    if (c === name) continue;
    const d = editDistance(name, c, bestD - 1 < max ? bestD - 1 : max);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/** A readable noun phrase for what a symbol is ("data", "a param", ...), for messages. */
export function describeSym(sym: Sym): string {
  switch (sym.kind) {
    case 'dim':
      return 'a dim';
    case 'const':
      return 'a const';
    case 'data':
      return 'data';
    case 'param':
      return 'a param';
    case 'particles':
      return 'particles';
    case 'let':
      return 'a let';
    case 'def':
      return 'a def';
    case 'local':
      return 'a parameter';
  }
}
