// Peak memory of loading a large .safetensors file from a path: mx.load reads the header,
// then each tensor straight into its array's memory (wasm: into linear memory; native: in
// 16 MB chunks through one reused buffer), so the peak RSS should be about the file size
// (the arrays) plus the runtime, not twice the file.
//   node bench/load-memory.mjs [megabytes=1024]      (uses the built packages: npm run build:js)
// Writes /tmp/mlxjs-load-memory.safetensors in chunks, then loads it in a fresh process per
// backend and reports that process's maxRSS (process.resourceUsage) against the file size,
// and the same for a process that only initialises the backend (the baseline).
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FILE = '/tmp/mlxjs-load-memory.safetensors';
const MB = 1024 * 1024;

if (process.argv[2] === '--child') {
  const [, , , backend, mode] = process.argv;
  const mx = await import('mlxjs');
  await mx.init({ backend });
  let checksum = 0;
  if (mode === 'load') {
    const arrays = mx.load(FILE);
    // Touch every tensor (a sum each) so the result is real, then report.
    for (const a of Object.values(arrays)) checksum += mx.sum(a.reshape(-1).astype(mx.float32)).item();
    mx.dispose(arrays);
  }
  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ maxRss, checksum }));
  process.exit(0);
}

const megabytes = Number(process.argv[2] ?? 1024);
const tensors = Math.max(1, Math.round(megabytes / 64)); // 64 MB float32 tensors
const perTensor = Math.floor((megabytes * MB) / tensors / 4) * 4;
const elems = perTensor / 4;

// Write the file in chunks: header, then each tensor's data generated 16 MB at a time.
const header = {};
for (let t = 0; t < tensors; t++) header[`layer.${t}.weight`] = { dtype: 'F32', shape: [elems], data_offsets: [t * perTensor, (t + 1) * perTensor] };
let text = JSON.stringify(header);
text += ' '.repeat((8 - (text.length % 8)) % 8);
const fd = openSync(FILE, 'w');
const size = Buffer.alloc(8);
size.writeBigUInt64LE(BigInt(text.length));
writeSync(fd, size);
writeSync(fd, Buffer.from(text));
const chunk = new Float32Array(4 * MB);
for (let t = 0; t < tensors; t++) {
  chunk.fill(t % 7);
  for (let done = 0; done < elems; done += chunk.length) {
    const n = Math.min(chunk.length, elems - done);
    writeSync(fd, new Uint8Array(chunk.buffer, 0, n * 4));
  }
}
closeSync(fd);
const fileBytes = 8 + text.length + tensors * perTensor;
console.log(`file: ${FILE}, ${(fileBytes / MB).toFixed(0)} MB, ${tensors} float32 tensors`);

const self = fileURLToPath(import.meta.url);
const child = (backend, mode) => {
  const r = spawnSync(process.execPath, [self, '--child', backend, mode], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${backend} ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
};
const expected = Array.from({ length: tensors }, (_, t) => (t % 7) * elems).reduce((a, b) => a + b, 0);
for (const backend of ['wasm', 'native']) {
  const base = child(backend, 'init');
  const loaded = child(backend, 'load');
  const extra = loaded.maxRss - base.maxRss;
  console.log(
    `${backend.padEnd(6)} peak RSS ${(loaded.maxRss / MB).toFixed(0)} MB (init only: ${(base.maxRss / MB).toFixed(0)} MB); ` +
      `load added ${(extra / MB).toFixed(0)} MB = ${(extra / fileBytes).toFixed(2)} x the file; checksum ${loaded.checksum === expected ? 'ok' : `WRONG (${loaded.checksum} != ${expected})`}`,
  );
}
rmSync(FILE);
