# The native addon: the core's C++ sources (the same glob as core-cpp/CMakeLists.txt) plus
# the Node-API binding, in one shared library. Built by scripts/install.mjs (npm install).
{
  "targets": [
    {
      "target_name": "mlxjs_native",
      "sources": [
        "src/binding.cpp",
        "<!@(node scripts/core-sources.cjs)"
      ],
      "include_dirs": ["../../core-cpp/include", "../../core-cpp/src"],
      "defines": ["NAPI_VERSION=8"],
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
      }
    }
  ]
}
