/**
 * The .npz format: a zip archive of .npy files, one per array, named `<key>.npy` (NumPy's
 * savez / savez_compressed; stored or deflated). The zip container is fflate's; every
 * entry's claimed sizes are checked before anything is inflated, so a corrupt directory
 * cannot ask for gigabytes or loop over millions of phantom entries.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { readNpy, writeNpy } from './npy.js';
import type { RawTensor } from './raw-tensor.js';

/** Deflate cannot expand more than ~1032:1; anything claiming more is corrupt. */
const MAX_DEFLATE_RATIO = 1032;
/** One central-directory record is at least 46 bytes. */
const MIN_DIRECTORY_RECORD = 46;

/** The arrays of an .npz archive, in archive order, keyed without the `.npy` suffix. */
export function readNpz(bytes: Uint8Array): Array<[string, RawTensor]> {
  let entries: Record<string, Uint8Array>;
  let seen = 0;
  try {
    entries = unzipSync(bytes, {
      filter: (f) => {
        if (++seen > bytes.length / MIN_DIRECTORY_RECORD) throw new Error('[load] The .npz archive is corrupt (entry count).');
        if (!f.name.endsWith('.npy')) throw new Error(`[load] The .npz entry '${f.name}' is not a .npy file.`);
        const plausible = f.compression === 0
          ? f.originalSize === f.size
          : f.compression === 8 && f.originalSize <= f.size * MAX_DEFLATE_RATIO + 1024;
        if (!plausible || f.size > bytes.length || f.originalSize > 2 ** 31) {
          throw new Error(`[load] The .npz entry '${f.name}' is corrupt (sizes ${f.size} -> ${f.originalSize}, method ${f.compression}).`);
        }
        return true;
      },
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (msg.startsWith('[load]')) throw e;
    throw new Error(`[load] The .npz archive is corrupt (${msg}).`);
  }
  return Object.entries(entries).map(([name, data]) => [name.slice(0, -'.npy'.length), readNpy(data, `.npz entry '${name}'`)]);
}

/** An .npz archive of `tensors` (deflated when `compress`, else stored, as NumPy). */
export function writeNpz(tensors: ReadonlyArray<readonly [string, RawTensor]>, compress: boolean, fn: string): Uint8Array {
  const files: Zippable = {};
  for (const [name, t] of tensors) {
    const key = `${name}.npy`;
    if (key in files) throw new Error(`[${fn}] Duplicate array name '${name}'.`);
    files[key] = [writeNpy(t), { level: compress ? 6 : 0 }];
  }
  return zipSync(files);
}
