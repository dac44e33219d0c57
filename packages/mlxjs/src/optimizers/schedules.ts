/**
 * Learning-rate schedules, MLX's: each returns `(step) => array`. The step is an array (the
 * optimizer's uint64 step) or a number.
 */
import * as mx from '@mlxjs/core';
import type { Schedule } from './optimizer.js';

const asArray = (step: mx.Array | number): mx.Array => (step instanceof mx.Array ? step : mx.array(step));

type StepSchedule = (step: mx.Array | number) => mx.Array;

/** init * decayRate ** step. */
export function exponentialDecay(init: number, decayRate: number): StepSchedule {
  return (step) => mx.multiply(init, mx.power(decayRate, asArray(step)));
}

/** init * decayRate ** floor(step / stepSize). */
export function stepDecay(init: number, decayRate: number, stepSize: number): StepSchedule {
  return (step) => mx.multiply(init, mx.power(decayRate, mx.floorDivide(asArray(step), stepSize)));
}

/** end + (init - end) * (1 + cos(pi * min(step, decaySteps) / decaySteps)) / 2. */
export function cosineDecay(init: number, decaySteps: number, end = 0): StepSchedule {
  return (step) => {
    const s = mx.minimum(asArray(step), decaySteps);
    const decay = mx.multiply(0.5, mx.add(1, mx.cos(mx.multiply(Math.PI / decaySteps, s))));
    return mx.add(end, mx.multiply(decay, init - end));
  };
}

/** init + (end - init) * min(step, steps) / steps. */
export function linearSchedule(init: number, end: number, steps: number): StepSchedule {
  if (steps < 1) throw new Error(`[linear_schedule] steps must be greater than 0, but got ${steps}.`);
  return (step) => mx.add(mx.multiply(mx.minimum(asArray(step), steps), (end - init) / steps), init);
}

/**
 * schedules[0] until boundaries[0], then schedules[1] counting from that boundary, and so on
 * (MLX's join_schedules).
 */
export function joinSchedules(schedules: readonly (Schedule | StepSchedule)[], boundaries: readonly number[]): StepSchedule {
  if (schedules.length === 0) throw new Error('[join_schedules] Must provide at least 1 schedule to join.');
  if (schedules.length !== boundaries.length + 1) {
    throw new Error(`[join_schedules] Received ${boundaries.length} boundaries but expected ${schedules.length - 1}.`);
  }
  return (step) => {
    const s = asArray(step);
    let output = (schedules[0] as StepSchedule)(s);
    boundaries.forEach((boundary, i) => {
      output = mx.where(mx.less(s, boundary), output, (schedules[i + 1] as StepSchedule)(mx.subtract(s, boundary)));
    });
    return output;
  };
}
