/**
 * A bounds-checked little-endian reader over GGUF bytes. Every read checks the bytes remaining
 * first, so a truncated or lying file ends in an `[load] ...` Error naming what was being read,
 * never a RangeError; 64-bit counts and lengths beyond 2^53 are rejected rather than rounded.
 */

export function loadError(message: string): Error {
  return new Error(`[load] ${message}`);
}

const utf8 = new TextDecoder('utf-8');

export class GgufCursor {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  pos = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  /** Throws unless `n` more bytes exist; `what` names the field in the error. */
  need(n: number, what: string): void {
    if (n > this.remaining) {
      throw loadError(`GGUF file is truncated: ${what} needs ${n} bytes at offset ${this.pos}, ${this.remaining} remain`);
    }
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** A uint64 as a number; values past 2^53 are an error (no file is that large). */
  u64(what: string): number {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw loadError(`${what} is ${v}, which is not a valid size or count`);
    return Number(v);
  }

  /** A view of the next n bytes (no copy). */
  take(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A GGUF string: uint64 byte length, then UTF-8 bytes (invalid sequences become U+FFFD). */
  string(what: string): string {
    const len = this.u64(`${what} length`);
    return utf8.decode(this.take(len, what));
  }
}
