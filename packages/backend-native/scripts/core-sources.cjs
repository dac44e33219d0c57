// Prints the core's C++ sources (core-cpp/src/**/*.cpp) relative to this package, for
// binding.gyp's source list: the addon compiles exactly what CMake's glob compiles.
const fs = require('fs');
const path = require('path');

const pkg = path.join(__dirname, '..');
const src = path.join(require('./core-dir.cjs').coreDir, 'src');
const out = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.cpp')) out.push(path.relative(pkg, p).split(path.sep).join('/'));
  }
})(src);
console.log(out.join(' '));
