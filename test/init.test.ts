// Loading and backend selection. This file owns the registry state of its own worker, so it
// can observe the library before init().
import { describe, expect, it } from 'vitest';
import * as mx from 'mlxjs';

describe('init', () => {
  it('refuses ops before init and says to call await mx.init()', () => {
    expect(mx.backendName()).toBeNull();
    expect(() => mx.array([1, 2])).toThrow(/await mx\.init\(\)/);
    expect(() => mx.zeros([2])).toThrow(/await mx\.init\(\)/);
    expect(() => mx.memory()).toThrow(/await mx\.init\(\)/);
  });

  it('lists wasm as available', () => {
    expect(mx.availableBackends()).toContain('wasm');
  });

  it('picks the best available backend and satisfies the first acceptance example', async () => {
    const name = await mx.init();
    expect(name).toBe(mx.availableBackends()[0]);
    expect(mx.backendName()).toBe(name);
    const x = mx.array([[1, 2], [3, 4]]);
    const y = mx.add(x, 1);
    expect(y.tolist()).toEqual([[2, 3], [4, 5]]);
    mx.dispose([x, y]);
  });

  it('accepts repeated init with the same choice', async () => {
    const name = mx.backendName()!;
    await expect(mx.init()).resolves.toBe(name);
    await expect(mx.init({ backend: name })).resolves.toBe(name);
  });

  it('rejects unknown and unavailable backends clearly', async () => {
    await expect(mx.init({ backend: 'nope' })).rejects.toThrow(/Unknown backend 'nope'/);
    mx.registerBackend('fake-gpu', 100, () => Promise.reject(new Error('never loaded')), () => 'no fake GPU here');
    expect(mx.availableBackends()).not.toContain('fake-gpu');
    await expect(mx.init({ backend: 'fake-gpu' })).rejects.toThrow(/'fake-gpu' is not available here: no fake GPU here/);
  });

  it('switches backends only while no array is alive', async () => {
    const original = mx.currentBackend();
    // A second backend that is the same core under another name.
    const twin = Object.create(original, { name: { value: 'twin' } }) as mx.Backend;
    mx.registerBackend('twin', -1, async () => twin);
    const x = mx.array([1]);
    await expect(mx.init({ backend: 'twin' })).rejects.toThrow(/while 1 arrays are alive/);
    x.dispose();
    await expect(mx.init({ backend: 'twin' })).resolves.toBe('twin');
    expect(mx.backendName()).toBe('twin');
    await mx.init({ backend: original.name });
    expect(mx.backendName()).toBe(original.name);
  });
});
