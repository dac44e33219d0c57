/**
 * GGUF (llama.cpp's model format) as pure functions over bytes, for mx.load / mx.saveGguf:
 * readGguf gives each tensor's host bytes and the metadata, writeGguf the file's bytes.
 * Facts about the format and MLX's mapping are in docs/io.md (section GGUF).
 */
export type { GgufValue } from './gguf-value.js';
export { readGguf } from './gguf-read.js';
export { writeGguf } from './gguf-write.js';
