// The wasm module's entry translation unit. Everything it exports is the C ABI in
// core-cpp/src/c_api (named in the generated exports list), pulled from libmlxcore.
#include "mlxc.h"
