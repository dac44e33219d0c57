// `npm run fuzz:diff`: random op programs on every available backend against a float64
// reference (test/fuzz/programs). See docs/TESTING.md.
//
//   npm run fuzz:diff -- [--seed 1] [--programs 5000] [--minutes M] [--backends wasm,native]
//                        [--only 12,345] [--timeout 30000]
import { runProgramFuzz } from './fuzz-programs.mjs';

process.exit(await runProgramFuzz('diff', process.argv.slice(2), 5000));
