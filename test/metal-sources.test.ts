// The Metal kernel library as the macOS backend compiles it (scripts/metal-source.cjs
// concatenates core-cpp/src/backend/metal/kernels/*.h), checked here where no Metal compiler
// exists: every kernel name metal_backend.mm asks for is instantiated under that host
// name, and every instantiation names a kernel the sources define. (The kernels' values are
// checked by core-cpp/tests/test_metal_emulation.cpp through the C++ shim.)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url);
const msl = execFileSync(process.execPath, [new URL('packages/backend-native/scripts/metal-source.cjs', root).pathname, '--print'], {
  encoding: 'utf8',
});
const mm = readFileSync(new URL('core-cpp/src/backend/metal/metal_backend.mm', root), 'utf8');
const table = readFileSync(new URL('core-cpp/src/elementwise_table.h', root), 'utf8');

/** host name -> kernel template, from INSTANTIATE(host, kernel, types...) lines. */
const instantiated = new Map([...msl.matchAll(/^INSTANTIATE\((\w+), (\w+),/gm)].map((m) => [m[1]!, m[2]!]));
const kernels = new Set([...msl.matchAll(/\[\[kernel\]\] void (\w+)\(/g)].map((m) => m[1]!));

describe('Metal kernel sources', () => {
  it('concatenate every kernel file, without include guards', () => {
    for (const f of ['params.h', 'common.h', 'unary.h', 'binary.h', 'ternary.h', 'reduce.h', 'softmax.h', 'matmul.h', 'fast.h']) {
      expect(msl).toContain(`// ---- ${f}`);
    }
    expect(msl).not.toMatch(/^#pragma once/m);
    expect(msl).not.toMatch(/^#include/m); // newLibraryWithSource has no include path
  });

  it('instantiate only kernels they define, each host name once', () => {
    const lines = [...msl.matchAll(/^INSTANTIATE\((\w+),/gm)].map((m) => m[1]!);
    expect(new Set(lines).size).toBe(lines.length);
    expect(kernels.size).toBeGreaterThanOrEqual(10);
    for (const [host, kernel] of instantiated) expect(kernels, `${host} -> ${kernel}`).toContain(kernel);
  });

  it('have every kernel the backend dispatches, at least in float32', () => {
    // The name maps of metal_backend.mm: its hand-kept {"Primitive", "kernel"} pairs, and the
    // element-wise ops whose elementwise_table.h line has metal = 1 (kernel = the MLX name).
    const mapped = [...mm.matchAll(/\{"[A-Z]\w*", "(\w+)"\}/g)].map((m) => m[1]!);
    expect(mm).toContain('MLX_ELEMENTWISE_UNARY(MLX_METAL_ENTRY)');
    expect(mm).toContain('MLX_ELEMENTWISE_BINARY(MLX_METAL_ENTRY)');
    mapped.push(...[...table.matchAll(/^\s*X\(\w+,\s*(\w+),\s*\w+,\s*\w+,\s*[01],\s*1\s*,\s*\w+\s*\)/gm)].map((m) => m[1]!));
    expect(mapped.length).toBeGreaterThanOrEqual(25);
    const wanted = [...new Set(mapped)].map((k) => `${k}_float32`);
    wanted.push('softmax_float32', 'matmul_float32', 'where_float32', 'cast_float32_float16', 'cast_float16_float32',
      'logsumexp_float32', 'rope_float32', 'rms_norm_float32', 'layer_norm_float32');
    for (const name of wanted) expect([...instantiated.keys()], name).toContain(name);
    // Names built in the .mm from a prefix and a dtype suffix.
    for (const prefix of ['softmax_', 'logsumexp_', 'rope_', 'matmul_', 'where_', 'cast_']) expect(mm).toContain(`"${prefix}"`);
    // The norms: the kernel name, then "_" and the dtype suffix.
    for (const kernel of ['rms_norm', 'layer_norm']) expect(mm).toContain(`eval_norm("${kernel}"`);
  });
});
