/** The members of the mx.linalg namespace (index.ts exports this module as `linalg`). */
export { norm, inv, solve, cholesky, qr, svd, type NormOrd, type NormOptions } from './linalg.js';
