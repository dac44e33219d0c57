// `npm pack` / `npm publish` of this package: `prepack` copies the core's headers and sources
// (core-cpp/include, core-cpp/src) into the package so that an install from the tarball can
// compile the addon; `postpack` (`node pack-core.cjs --clean`) removes the copy again.
const fs = require('fs');
const path = require('path');

const pkg = path.join(__dirname, '..');
const copy = path.join(pkg, 'core-cpp');
fs.rmSync(copy, { recursive: true, force: true });
if (!process.argv.includes('--clean')) {
  const repoCore = path.join(pkg, '..', '..', 'core-cpp');
  for (const part of ['include', 'src']) {
    fs.cpSync(path.join(repoCore, part), path.join(copy, part), { recursive: true });
  }
}
