/** Python's spelling of values in MLX's reprs (`eps=1e-05`, `p=0.5`, `bias=True`). */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x !== 0 && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e16)) {
    const [m, e] = x.toExponential().split('e') as [string, string];
    const sign = e.startsWith('-') ? '-' : '+';
    const digits = e.replace(/^[-+]/, '').padStart(2, '0');
    return `${m}e${sign === '-' ? '-' : '+'}${digits}`;
  }
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

export const pyBool = (b: boolean): string => (b ? 'True' : 'False');

/** A tuple as Python prints it: `(2, 2)`, `(3,)`. */
export const pyTuple = (xs: readonly number[]): string => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`);
