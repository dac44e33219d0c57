// Selection of the native addon backend. This file owns the registry state of its own
// worker (like init.test.ts), so it can observe the choice init() makes.
import { describe, expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { metalAvailable, nativeAvailable } from '@mlxjs/backend-native';
import { compileCore } from '@mlxjs/backend-wasm';
import { loadAddon } from '../packages/backend-native/src/addon.js';

describe('native backend selection', () => {
  it('registers native above wasm', () => {
    expect(mx.backendPriority.native).toBeGreaterThan(mx.backendPriority.wasm);
  });

  it('is listed first when the addon loads, and otherwise says why not', async () => {
    const verdict = nativeAvailable();
    if (verdict === true) {
      // metal (a macOS build with a device) ranks above native, native above wasm.
      expect(mx.availableBackends()[0]).toBe(metalAvailable() === true ? 'metal' : 'native');
      expect(mx.availableBackends()).toContain('native');
    } else {
      // Without the addon (a failed optional build) wasm remains and native explains itself.
      expect(verdict).toMatch(/native addon|Node/);
      expect(mx.availableBackends()).toEqual(['wasm']);
      await expect(mx.init({ backend: 'native' })).rejects.toThrow(String(verdict));
    }
  });

  it('init({backend: "wasm"}) forces wasm even when native loads', async () => {
    await expect(mx.init({ backend: 'wasm' })).resolves.toBe('wasm');
    await expect(mx.init()).resolves.toBe('wasm');
    expect(mx.tidy(() => mx.add(mx.array([1, 2]), 1).tolist())).toEqual([2, 3]);
  });

  it('metal is registered above native and says why it is unavailable', async () => {
    expect(mx.backendPriority.metal).toBeGreaterThan(mx.backendPriority.native);
    const verdict = metalAvailable();
    if (verdict === true) {
      expect(mx.availableBackends()[0]).toBe('metal');
      return;
    }
    // Off macOS (or without a device) the reason names what is missing.
    expect(String(verdict)).toMatch(/Metal|native addon/);
    expect(mx.availableBackends()).not.toContain('metal');
    await expect(mx.init({ backend: 'metal' })).rejects.toThrow(String(verdict));
  });

  it('init() picks native when the addon loads', async () => {
    if (nativeAvailable() !== true) {
      expect(mx.availableBackends()).not.toContain('native');
      return;
    }
    await expect(mx.init({ backend: 'native' })).resolves.toBe('native');
    expect(mx.currentBackend().name).toBe('native');
    expect(mx.tidy(() => mx.matmul(mx.array([[1, 2], [3, 4]]), mx.array([[1], [1]])).tolist())).toEqual([[3], [7]]);
  });

  it('the addon exposes the C ABI under the same names as the wasm module (one client drives both)', async () => {
    const addon = loadAddon();
    if (typeof addon === 'string') return;
    const wasmNames = WebAssembly.Module.exports(await compileCore()).map((e) => e.name)
      // The host-callback setter takes C function pointers: native hosts call it from C (the
      // wasm module imports its callbacks instead, though the symbol is still exported).
      .filter((n) => n.startsWith('mlxc_') && n !== 'mlxc_set_host_callbacks');
    expect(wasmNames).toContain('mlxc_op_vector');
    const nativeNames = Object.getOwnPropertyNames(addon).filter((n) => n.startsWith('mlxc_'));
    // Both lists come from mlxc.h; the addon's scratch area is one ArrayBuffer, kept.
    expect(nativeNames.sort()).toEqual(wasmNames.sort());
    expect(addon.scratch().byteLength).toBe(16384);
    expect(addon.scratch()).toBe(addon.scratch());
  });
});
