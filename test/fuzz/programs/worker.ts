// The program fuzzers' child process (started by scripts/fuzz-programs.mjs through
// vite-node): checks programs FUZZ_ONLY (a comma list) of FUZZ_SEED, kind FUZZ_KIND (diff or
// grad), on each backend of FUZZ_BACKENDS, in chunks (one backend switch per chunk), until
// FUZZ_DEADLINE (epoch ms). Prints '@@start i backend' before each program, so the parent can
// name the one that crashed or hung, and '@@done {outcome}' after it.
import * as mx from 'mlxjs';
import { checkProgram, type Kind } from './check.js';

const env = process.env;
const kind = (env['FUZZ_KIND'] ?? 'diff') as Kind;
const seed = Number(env['FUZZ_SEED'] ?? 1);
const only = (env['FUZZ_ONLY'] ?? '0').split(',').map(Number);
const backends = (env['FUZZ_BACKENDS'] ?? 'wasm').split(',');
const deadline = Number(env['FUZZ_DEADLINE'] ?? Infinity);
const CHUNK = 25;

const write = (line: string): void => void process.stdout.write(`${line}\n`);
await mx.init({ backend: backends[0] });
write('@@ready');
for (let at = 0; at < only.length && Date.now() < deadline; at += CHUNK) {
  const chunk = only.slice(at, at + CHUNK);
  for (const b of backends) {
    await mx.init({ backend: b });
    for (const i of chunk) {
      write(`@@start ${i} ${b}`);
      write(`@@done ${JSON.stringify(checkProgram(kind, seed, i, b))}`);
    }
  }
}
write('@@end');
process.exit(0);
