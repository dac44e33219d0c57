// `npm run fuzz:grad`: random smooth float32 programs, mx.grad / mx.vjp / mx.jvp against
// central differences of the float64 reference, and mx.vmap against a loop
// (test/fuzz/programs). See docs/TESTING.md.
//
//   npm run fuzz:grad -- [--seed 1] [--programs 2000] [--minutes M] [--backends wasm,native]
//                        [--only 12,345] [--timeout 30000]
import { runProgramFuzz } from './fuzz-programs.mjs';

process.exit(await runProgramFuzz('grad', process.argv.slice(2), 2000));
