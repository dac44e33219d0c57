// Detects OpenBLAS's CBLAS (Debian's libopenblas-dev, installed by scripts/toolchain.mjs
// openblas()) for binding.gyp; Linux only (macOS builds use Metal and the core's GEMM).
// `node blas.cjs defines` prints MLX_HAVE_CBLAS when both cblas.h and libopenblas are found, `libs` the linker flags,
// `include` the header's directory; each prints nothing when there is no BLAS, so the
// core's own GEMM is compiled in instead.
const fs = require('fs');
const path = require('path');

function find() {
  if (process.env.MLXJS_BLAS === '0' || process.platform !== 'linux') return null;
  const multiarch = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' }[process.arch];
  const incs = ['/usr/include', '/usr/include/openblas', multiarch && `/usr/include/${multiarch}`].filter(Boolean);
  const libs = ['/usr/lib', '/usr/lib64', multiarch && `/usr/lib/${multiarch}`].filter(Boolean);
  const inc = incs.find((d) => fs.existsSync(path.join(d, 'cblas.h')));
  const lib = libs.find((d) => fs.existsSync(path.join(d, 'libopenblas.so')));
  return inc && lib ? { inc, lib } : null;
}

const found = find();
const what = process.argv[2];
if (found) {
  if (what === 'defines') console.log('MLX_HAVE_CBLAS');
  else if (what === 'libs') console.log(`-L${found.lib} -lopenblas`);
  else if (what === 'include') console.log(found.inc);
  else console.log(JSON.stringify(found));
} else if (!what) console.log('null');
