/**
 * Built-in learning-rate schedules, functions of the 0-based step counter t:
 * cosine(lr0, T) = lr0 (1 + cos(pi min(t, T) / T)) / 2, exp_decay(lr0, rate) = lr0 rate^t,
 * warmup(lr0, T) = lr0 min(1, (t + 1) / T).
 */
import type { GraphBuilder } from '../ir/builder.js';
import type { Var } from '../ir/ir.js';

export type ScheduleName = 'cosine' | 'exp_decay' | 'warmup';

export interface ScheduleRule {
  /** Argument names in positional order. */
  readonly params: readonly string[];
  readonly lower: (b: GraphBuilder, args: readonly Var[], t: Var) => Var;
}

export const SCHEDULES = {
  cosine: {
    params: ['lr0', 'T'],
    lower: (b, [lr0, T], t) => {
      const frac = b.div(b.minimum(t, T!), T!);
      return b.mul(b.div(lr0!, 2), b.add(1, b.unary('cos', b.mul(frac, Math.PI))));
    },
  },
  exp_decay: {
    params: ['lr0', 'rate'],
    lower: (b, [lr0, rate], t) => b.mul(lr0!, b.pow(rate!, t)),
  },
  warmup: {
    params: ['lr0', 'T'],
    lower: (b, [lr0, T], t) => b.mul(lr0!, b.minimum(1, b.div(b.add(t, 1), T!))),
  },
} as const satisfies Record<ScheduleName, ScheduleRule>;

export function isSchedule(name: string): name is ScheduleName {
  return Object.prototype.hasOwnProperty.call(SCHEDULES, name);
}
