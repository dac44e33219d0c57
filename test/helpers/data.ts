/** Deterministic values in [-1, 1), exactly representable in float32 (a linear congruential sequence). */
export function lcgData(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s >>> 8) / (1 << 24)) * 2 - 1;
  }
  return out;
}
