// The functions of the C ABI: every MLXC_API declaration in the core's mlxc.h and
// mlxc_threads.h. The one reader of that list: scripts/build-wasm.mjs exports exactly these
// from the wasm module, and the addon registers each under its C name (run directly, this
// writes build/gen/mlxc_exports.inc for src/binding.cpp). The host-callback setter is left
// out: it takes C function pointers (a native host's own business; wasm imports them).
const fs = require('fs');
const path = require('path');
const { coreDir } = require('./core-dir.cjs');

const HEADERS = ['mlxc.h', 'mlxc_threads.h'];

function abiFunctions(includeDir = path.join(coreDir, 'include')) {
  const text = HEADERS.map((h) => fs.readFileSync(path.join(includeDir, h), 'utf8')).join('\n');
  return [...text.matchAll(/^MLXC_API[^(]*?\b(mlxc_\w+)\(/gm)]
    .map((m) => m[1])
    .filter((n) => n !== 'mlxc_set_host_callbacks');
}

module.exports = { abiFunctions };

if (require.main === module) {
  const out = path.join(__dirname, '..', 'build', 'gen', 'mlxc_exports.inc');
  const text = abiFunctions().map((n) => `MLXC_FN(${n})\n`).join('');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // Rewritten only when it changes, so make does not recompile the binding for nothing.
  if (!fs.existsSync(out) || fs.readFileSync(out, 'utf8') !== text) fs.writeFileSync(out, text);
}
