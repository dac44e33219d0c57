/** The members of the mx.linalg namespace (index.ts exports this module as `linalg`). */
export {
  norm, inv, solve, cholesky, qr, svd, triInv, choleskyInv, solveTriangular, pinv, cross, luFactor, lu, det, slogdet,
  eigh, eigvalsh, eig, eigvals, type NormOrd, type NormOptions, type EighOptions,
} from './linalg.js';
