// Argument helpers shared by conv.ts and conv-transpose.ts (internal: not re-exported).

/** A spatial parameter: one number for every axis, or one per axis. */
export type Pair = number | readonly [number, number] | readonly number[];

/** A per-spatial-axis list from a number or a list of `n` numbers. */
export function perAxis(op: string, name: string, v: Pair | undefined, n: number, dflt: number, min: number): number[] {
  const list = v === undefined ? Array<number>(n).fill(dflt) : typeof v === 'number' ? Array<number>(n).fill(v) : [...v];
  if (list.length !== n || list.some((x) => !Number.isInteger(x) || x < min)) {
    throw new Error(`[${op}] Invalid ${name} ${JSON.stringify(v)}: expected ${n === 1 ? 'an integer' : `an integer or ${n} integers`} >= ${min}.`);
  }
  return list;
}

export const shapeStr = (s: readonly number[]): string => `(${s.join(',')})`;
