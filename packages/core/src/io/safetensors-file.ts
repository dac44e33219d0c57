/**
 * Loading a .safetensors PATH in Node without holding the file in JS memory: the header is
 * read and checked first, then each tensor's bytes go from the file straight into its
 * array's memory: through the backend's heap view where it has one (wasm: fs.readSync
 * writes into linear memory), else in bounded chunks through one reused buffer
 * (Backend.writeBytes). Peak memory is the arrays plus one chunk.
 */
import { MxArray } from '../array.js';
import { DtypeCode } from '../opcodes.js';
import { currentBackend } from '../registry.js';
import { fsError, nodeFs, type NodeFs } from './node-fs.js';
import { parseSafetensorsHeader, safetensorsHeaderSize, type SafetensorsEntry } from './safetensors.js';
import { allOrNothing, defineEntry } from './tensor-arrays.js';

/** Bytes read per call (bounded so no large JS buffer is ever needed). */
export const CHUNK_BYTES = 16 * 1024 * 1024;

/** Reads exactly `length` bytes at `position` into `into` at `offset`, or throws (truncated). */
function readExactly(fs: NodeFs, fd: number, into: Uint8Array, offset: number, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, into, offset + done, length - done, position + done);
    if (n <= 0) throw new Error(`[load] The safetensors file is truncated (ended at byte ${position + done}).`);
    done += n;
  }
}

/** Bools stored as any non-zero byte read as true (1), as NumPy and the reference reader do. */
function normaliseBools(b: Uint8Array): void {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) b[i] = 1;
}

export function loadSafetensorsPath(path: string): { arrays: Record<string, MxArray>; metadata: Record<string, string> } {
  const fs = nodeFs('load');
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    throw fsError(e, 'load', path);
  }
  try {
    const size = fs.fstatSync(fd).size;
    const first8 = new Uint8Array(8);
    if (size >= 8) readExactly(fs, fd, first8, 0, 8, 0);
    const n = safetensorsHeaderSize(first8, size);
    const headerBytes = new Uint8Array(n);
    readExactly(fs, fd, headerBytes, 0, n, 8);
    const header = parseSafetensorsHeader(headerBytes, size);
    const backend = currentBackend();
    const largest = header.entries.reduce((m, t) => Math.max(m, t.end - t.begin), 0);
    let chunk: Uint8Array | null = null; // allocated only when the backend has no heap view
    const fill = (a: MxArray, t: SafetensorsEntry): void => {
      const total = t.end - t.begin;
      if (total === 0) return;
      if (backend.bytesView !== undefined) {
        // Valid until the next backend call; reading the file makes none.
        const view = backend.bytesView(a.handle);
        for (let off = 0; off < total; off += CHUNK_BYTES) {
          readExactly(fs, fd, view, off, Math.min(CHUNK_BYTES, total - off), t.begin + off);
        }
        if (t.dtype === 'bool') normaliseBools(backend.bytesView(a.handle));
        return;
      }
      chunk ??= new Uint8Array(Math.min(CHUNK_BYTES, largest));
      for (let off = 0; off < total; off += CHUNK_BYTES) {
        const len = Math.min(CHUNK_BYTES, total - off);
        const part = chunk.subarray(0, len);
        readExactly(fs, fd, part, 0, len, t.begin + off);
        if (t.dtype === 'bool') normaliseBools(part);
        backend.writeBytes(a.handle, off, part);
      }
    };
    const arrays = allOrNothing((made) => {
      const out: Record<string, MxArray> = {};
      for (const t of header.entries) {
        const a = new MxArray(backend, backend.empty(t.shape, DtypeCode[t.dtype]));
        made.push(a);
        fill(a, t);
        defineEntry(out, t.name, a);
      }
      return out;
    });
    return { arrays, metadata: header.metadata };
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('[load]')) throw e;
    throw fsError(e, 'load', path);
  } finally {
    fs.closeSync(fd);
  }
}
