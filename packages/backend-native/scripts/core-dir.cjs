// Where the core's C++ sources are, for binding.gyp and the other scripts: the package's own
// copy when it was packed (`npm pack` runs scripts/pack-core.cjs, which copies core-cpp/
// into the package), else the repository's core-cpp/ two levels up. Prints it relative to
// the package (gyp paths are relative to binding.gyp) when run directly.
const fs = require('fs');
const path = require('path');

const pkg = path.join(__dirname, '..');
const packed = path.join(pkg, 'core-cpp');
const coreDir = fs.existsSync(path.join(packed, 'src')) ? packed : path.join(pkg, '..', '..', 'core-cpp');

module.exports = { coreDir };
if (require.main === module) console.log(path.relative(pkg, coreDir).split(path.sep).join('/'));
