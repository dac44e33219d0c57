/** @mlxjs/backend-native: the mlxjs Backend running the C++ core as a Node-API addon. */
export { NativeBackend, loadMetalBackend, loadNativeBackend, metalAvailable, nativeAvailable } from './native-backend.js';
export { addonUrl } from './addon.js';
