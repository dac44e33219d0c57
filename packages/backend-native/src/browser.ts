/**
 * @mlxjs/backend-native in a browser: the package's `browser` export condition points
 * here, so a browser bundle never contains the addon loader (nor a path to a .node file).
 * Same exports as index.ts; the backend reports itself unavailable and mlxjs uses wasm.
 */
import type { Addon } from './addon.js';

const reason = 'the native backend is unavailable in browsers (it is a Node.js addon); use the wasm backend';

/** Always the reason: there is no addon in a browser. */
export function nativeAvailable(): boolean | string {
  return reason;
}

export async function loadNativeBackend(): Promise<never> {
  throw new Error(`[mlxjs-native] ${reason}.`);
}

export class NativeBackend {
  readonly name = 'native';
  constructor(_addon: Addon) {
    throw new Error(`[mlxjs-native] ${reason}.`);
  }
}

export const addonUrl = (): URL => {
  throw new Error(`[mlxjs-native] ${reason}.`);
};
