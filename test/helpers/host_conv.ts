/**
 * A direct convolution on the host in float64 for the ported MLX conv tests (MLX checks
 * against PyTorch's conv1d/conv2d and their input/weight gradients; this is the same sum).
 * Channels-last as MLX: input [N, ...spatial, C], weight [O, ...kernel, C / groups], output
 * [N, ...out, O]. `conv` gives the output; `convGrads` the input and weight cotangents.
 */
import { sizeOf, stridesOf, type Host } from './host_nd.js';

export interface ConvParams {
  stride: number[];
  padding: number[];
  dilation: number[];
  groups: number;
}

interface Geometry {
  N: number;
  C: number;
  O: number;
  cg: number;
  og: number;
  inSp: number[];
  kSp: number[];
  outSp: number[];
}

function geometry(inShape: number[], wShape: number[], p: ConvParams): Geometry {
  const nd = inShape.length - 2;
  const inSp = inShape.slice(1, -1);
  const kSp = wShape.slice(1, -1);
  const outSp = inSp.map((d, i) => Math.floor((d + 2 * p.padding[i]! - p.dilation[i]! * (kSp[i]! - 1) - 1) / p.stride[i]!) + 1);
  if (outSp.length !== nd) throw new Error('conv: rank mismatch');
  const C = inShape.at(-1)!;
  const O = wShape[0]!;
  return { N: inShape[0]!, C, O, cg: C / p.groups, og: O / p.groups, inSp, kSp, outSp };
}

/** Calls f(inOffset, wOffset, outOffset) for every product term of the convolution. */
function forEachTerm(g: Geometry, p: ConvParams, f: (i: number, w: number, o: number) => void): void {
  const inSt = stridesOf(g.inSp);
  const kSt = stridesOf(g.kSp);
  const nOut = sizeOf(g.outSp);
  const nK = sizeOf(g.kSp);
  const inSize = sizeOf(g.inSp);
  const nd = g.inSp.length;
  const outIdx = new Array<number>(nd);
  for (let n = 0; n < g.N; n++) {
    for (let q = 0; q < nOut; q++) {
      let r = q;
      for (let d = nd - 1; d >= 0; d--) {
        outIdx[d] = r % g.outSp[d]!;
        r = Math.floor(r / g.outSp[d]!);
      }
      for (let k = 0; k < nK; k++) {
        let inPos = 0;
        let inside = true;
        for (let d = 0; d < nd && inside; d++) {
          const kd = Math.floor(k / kSt[d]!) % g.kSp[d]!;
          const x = outIdx[d]! * p.stride[d]! - p.padding[d]! + kd * p.dilation[d]!;
          if (x < 0 || x >= g.inSp[d]!) inside = false;
          inPos += x * inSt[d]!;
        }
        if (!inside) continue;
        for (let o = 0; o < g.O; o++) {
          const grp = Math.floor(o / g.og);
          for (let c = 0; c < g.cg; c++) {
            f((n * inSize + inPos) * g.C + grp * g.cg + c, (o * nK + k) * g.cg + c, (n * nOut + q) * g.O + o);
          }
        }
      }
    }
  }
}

export function conv(x: Host, w: Host, p: ConvParams): Host {
  const g = geometry(x.shape, w.shape, p);
  const out = new Float64Array(g.N * sizeOf(g.outSp) * g.O);
  forEachTerm(g, p, (i, k, o) => {
    out[o]! += x.data[i]! * w.data[k]!;
  });
  return { shape: [g.N, ...g.outSp, g.O], data: out };
}

export function convGrads(x: Host, w: Host, cotan: Host, p: ConvParams): [Host, Host] {
  const g = geometry(x.shape, w.shape, p);
  const dx = new Float64Array(x.data.length);
  const dw = new Float64Array(w.data.length);
  forEachTerm(g, p, (i, k, o) => {
    dx[i]! += cotan.data[o]! * w.data[k]!;
    dw[k]! += cotan.data[o]! * x.data[i]!;
  });
  return [{ shape: x.shape, data: dx }, { shape: w.shape, data: dw }];
}
