# The native addon: the core's C++ sources (the same glob as core-cpp/CMakeLists.txt) plus
# the Node-API binding, in one shared library. Built by scripts/install.mjs (npm install).
{
  "targets": [
    {
      "target_name": "mlxjs_native",
      # core: the core's sources, the repository's core-cpp/ or the packed copy
      # (scripts/core-dir.cjs).
      "variables": {"mlx_metal%": "<!(node -p \"process.env.MLXJS_METAL || 1\")", "core%": "<!(node scripts/core-dir.cjs)"},
      "sources": [
        "src/binding.cpp",
        "<!@(node scripts/core-sources.cjs)"
      ],
      # build/gen: mlxc_exports.inc, the C ABI's function list (scripts/abi-exports.cjs, run by
      # install.mjs first).
      "include_dirs": ["<(core)/include", "<(core)/src", "build/gen", "<!@(node scripts/blas.cjs include)"],
      # MLX_HAVE_CBLAS + -lopenblas when scripts/blas.cjs finds OpenBLAS (matmul_blas.cpp);
      # both print nothing otherwise and the core's own GEMM is used.
      "defines": ["NAPI_VERSION=8", "<!@(node scripts/blas.cjs defines)"],
      "libraries": ["<!@(node scripts/blas.cjs libs)"],
      # node-gyp's defaults turn off exceptions and RTTI; the core needs both (its C ABI
      # turns every C++ exception into a status).
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20", "-std=gnu++1y"],
      "cflags": ["-pthread"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions", "-frtti", "-pthread", "-Wno-unused-parameter"],
      "ldflags": ["-pthread"],
      "xcode_settings": {
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "GCC_ENABLE_CPP_RTTI": "YES",
        "GCC_OPTIMIZATION_LEVEL": "3",
        "MACOSX_DEPLOYMENT_TARGET": "11.0"
      },
      "conditions": [
        # macOS: the Metal backend (core-cpp/src/backend/metal/metal_backend.mm) with the kernels
        # embedded from build/gen/metal_kernels_source.h (scripts/metal-source.cjs, run by
        # install.mjs first). MLXJS_METAL=0 builds the CPU-only addon.
        ['OS=="mac" and mlx_metal!="0"', {
          "sources": ["<(core)/src/backend/metal/metal_backend.mm"],
          "defines": ["MLX_METAL"],
          "include_dirs": ["build/gen"],
          "link_settings": {"libraries": ["-framework Metal", "-framework Foundation"]},
          "xcode_settings": {"CLANG_ENABLE_OBJC_ARC": "YES"}
        }]
      ]
    }
  ]
}
