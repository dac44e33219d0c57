// One fuzz batch in its own process (started by scripts/fuzz.mjs through vite-node): runs
// calls [FUZZ_FROM, FUZZ_TO) of FUZZ_SEED on FUZZ_BACKEND and reports each on stdout, a
// '@@start i' line before the call (so the parent can name the call that hung or crashed)
// and a '@@done {outcome}' line after it.
import * as mx from 'mlxjs';
import { runCall, startFuzz } from './run-call.js';

const env = process.env;
const seed = Number(env['FUZZ_SEED'] ?? 1);
const from = Number(env['FUZZ_FROM'] ?? 0);
const to = Number(env['FUZZ_TO'] ?? from + 100);
const only = env['FUZZ_ONLY'] === undefined ? null : env['FUZZ_ONLY'].split(',').map(Number);

await mx.init({ backend: env['FUZZ_BACKEND'] ?? 'wasm' });
const fuzz = startFuzz(seed);
const write = (line: string): void => void process.stdout.write(`${line}\n`);
write('@@ready');
for (const i of only ?? Array.from({ length: to - from }, (_, k) => from + k)) {
  write(`@@start ${i}`);
  const outcome = await runCall(fuzz, i);
  write(`@@done ${JSON.stringify(outcome)}`);
}
write('@@end');
process.exit(0);
