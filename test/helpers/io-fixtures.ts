/** test/fixtures/io.json (written by test/fixtures/gen_io.py with NumPy and safetensors), decoded. */
import ioFixture from '../fixtures/io.json';

export interface Holds { dtype: string; shape: number[]; values: unknown }
export interface FixtureFile { bytes: Uint8Array<ArrayBuffer>; holds: Record<string, unknown> }

const fromBase64 = (s: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** The JSON spelling of NaN, the infinities and -0 ("nan", "inf", "-inf", "-0") back to numbers. */
export function decodeValues(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeValues);
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (v === '-0') return -0;
  return v;
}

export function fixture(name: string): FixtureFile {
  const f = (ioFixture as Record<string, { b64: string; holds: Record<string, unknown> }>)[name];
  if (f === undefined) throw new Error(`no fixture ${name}`);
  return { bytes: fromBase64(f.b64), holds: f.holds };
}

export const fixtureNames = (): string[] => Object.keys(ioFixture);

/** Node's fs/os/path when the tests run in Node (null in a browser). */
type GetBuiltin = (id: string) => unknown;
const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltin; pid?: number } }).process;
export const nodeModules = typeof proc?.getBuiltinModule === 'function'
  ? {
    fs: proc.getBuiltinModule('node:fs') as {
      readFileSync(p: string): Uint8Array; writeFileSync(p: string, b: Uint8Array): void; existsSync(p: string): boolean;
      mkdtempSync(p: string): string; rmSync(p: string, o: { recursive: boolean; force: boolean }): void;
    },
    tmpdir: (proc.getBuiltinModule('node:os') as { tmpdir(): string }).tmpdir(),
  }
  : null;
