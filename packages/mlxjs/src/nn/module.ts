/**
 * nn.Module: MLX's Module in JavaScript. A module's public properties (names not starting
 * with `_`) are its members: arrays are parameters, modules (or JS arrays / plain objects
 * of them) are children. MLX's Module is a dict; here the same views (parameters(),
 * children(), ...) are built from the object's own enumerable properties.
 *
 * Ownership: a module counts itself as a holder of every array it stores (core
 * ownership.ts). Replacing an array (assignment, update, loadWeights, setDtype, apply) lets
 * go of the old one, which is freed at once when no other module/optimizer holds it and the
 * user did not mx.keep it. To see assignments (`this.weight = w`, class fields), the
 * constructor returns a Proxy of the instance.
 */
import * as mx from '@mlxjs/core';
import { arrayPaths, flattenWithPaths, isPlainObject, unflattenPaths } from './tree-paths.js';

/** A nested tree of arrays as parameters() returns it. */
export type ParamTree = mx.Array | ParamTree[] | { [key: string]: ParamTree };
/** parameters(), trainableParameters(): one entry per member. */
export type Params = { [key: string]: ParamTree };
/** What children()/leafModules() hold: modules, nested in lists/objects as the members are. */
export type ModuleTree = Module | ModuleTree[] | { [key: string]: ModuleTree };

type FilterFn = (module: Module, key: string, value: unknown) => boolean;
type MapFn = (x: mx.Array) => unknown;

/** While set, assignments neither hold nor free (nn.valueAndGrad swapping tracers in and out). */
let unownedWrites = 0;

/** Runs `fn` with ownership bookkeeping off (internal: used by nn.valueAndGrad). */
export function withoutOwnership<T>(fn: () => T): T {
  unownedWrites++;
  try {
    return fn();
  } finally {
    unownedWrites--;
  }
}

/** The arrays a member value owns directly (child modules own theirs themselves). */
function ownedArrays(v: unknown, out: mx.Array[] = []): mx.Array[] {
  if (v instanceof mx.Array) out.push(v);
  else if (Array.isArray(v)) for (const c of v) ownedArrays(c, out);
  else if (isPlainObject(v)) for (const c of Object.values(v)) ownedArrays(c, out);
  return out;
}

/** Replaces `container[key]` with `value`, moving ownership from the old arrays to the new. */
function writeOwned(container: Record<string | number, unknown>, key: string | number, value: unknown, reason: string): void {
  if (unownedWrites > 0) {
    container[key] = value;
    return;
  }
  const old = ownedArrays(container[key]);
  const fresh = ownedArrays(value);
  for (const a of fresh) mx._hold(a);
  // A module container is its Proxy: write with the bookkeeping off so the trap does not count again.
  withoutOwnership(() => {
    container[key] = value;
  });
  for (const a of old) mx._release(a, reason);
}

const isModule = (v: unknown): v is Module => v instanceof Module;
const isPublicKey = (k: string | symbol): k is string => typeof k === 'string' && !k.startsWith('_');

/** True when `key` is a getter/setter somewhere on the prototype chain (not a member). */
function isAccessor(target: object, key: string): boolean {
  for (let p = Object.getPrototypeOf(target) as object | null; p !== null; p = Object.getPrototypeOf(p) as object | null) {
    const d = Object.getOwnPropertyDescriptor(p, key);
    if (d !== undefined) return d.get !== undefined || d.set !== undefined;
  }
  return false;
}

/** Sets members through the instance's own writer, so ownership is counted. */
const memberTraps: ProxyHandler<Module> = {
  set(target, key, value) {
    if (!isPublicKey(key) || isAccessor(target, key)) return Reflect.set(target, key, value);
    writeOwned(target as unknown as Record<string, unknown>, key, value, `an assignment to ${target.constructor.name}.${key} replaced it`);
    return true;
  },
  defineProperty(target, key, desc) {
    // Class fields (`weight = mx.zeros(...)`) are defined, not assigned.
    if (isPublicKey(key) && 'value' in desc && (desc.enumerable ?? true) && Object.getOwnPropertyDescriptor(target, key) === undefined) {
      if (unownedWrites === 0) for (const a of ownedArrays(desc.value)) mx._hold(a);
    } else if (isPublicKey(key) && 'value' in desc && Object.getOwnPropertyDescriptor(target, key) !== undefined) {
      writeOwned(target as unknown as Record<string, unknown>, key, desc.value, `an assignment to ${target.constructor.name}.${key} replaced it`);
      return true;
    }
    return Reflect.defineProperty(target, key, desc);
  },
  deleteProperty(target, key) {
    if (isPublicKey(key) && unownedWrites === 0) {
      const old = ownedArrays((target as unknown as Record<string, unknown>)[key]);
      const ok = Reflect.deleteProperty(target, key);
      for (const a of old) mx._release(a, `delete ${target.constructor.name}.${key} dropped it`);
      return ok;
    }
    return Reflect.deleteProperty(target, key);
  },
};

export interface FreezeOptions {
  /** Also (un)freeze every submodule (default true). */
  recurse?: boolean;
  /** Member names (dotted paths for nested lists/objects); all parameters when omitted. */
  keys?: string | readonly string[] | null;
  /** Throw when a key is not a member (default false). */
  strict?: boolean;
}

/**
 * What loadWeights reads: `[path, array]` pairs, a `{ path: array }` object (what
 * `await mx.loadAsync(blob)` gives), or a file mx.load reads synchronously (a Node path or
 * file: URL, an ArrayBuffer or Uint8Array) holding .safetensors, .npz (or .gguf) weights.
 */
export type WeightsSource =
  | readonly (readonly [string, mx.Array])[]
  | Readonly<Record<string, mx.Array>>
  | string
  | URL
  | ArrayBuffer
  | Uint8Array;

/** The formats saveWeights writes. */
export type WeightsFormat = 'safetensors' | 'npz';

export class Module {
  /** @internal */ declare _training: boolean;
  /** @internal Member paths excluded from trainableParameters() (frozen). */ declare _noGrad: Set<string>;

  constructor() {
    Object.defineProperty(this, '_training', { value: true, writable: true, enumerable: false, configurable: true });
    Object.defineProperty(this, '_noGrad', { value: new Set<string>(), writable: true, enumerable: false, configurable: true });
    // The Proxy becomes `this` for subclass constructors, so their assignments are seen.
    return new Proxy(this, memberTraps);
  }

  /**
   * Calls the module. A JS object cannot be called, so `model.forward(x)` is MLX's
   * `model(x)`; subclasses implement it.
   */
  forward(..._args: unknown[]): unknown {
    throw new Error(`[${this.constructor.name}] forward() is not implemented.`);
  }

  /** True in training mode (the default), false after eval(). */
  get training(): boolean {
    return this._training;
  }

  /** The public member names, in assignment order. */
  keys(): string[] {
    return Object.keys(this).filter((k) => !k.startsWith('_'));
  }

  /** The member `key` (MLX's `module[key]`). */
  get(key: string): unknown {
    return (this as unknown as Record<string, unknown>)[key];
  }

  /** Sets member `key`, with ownership (MLX's `module[key] = value`). */
  set(key: string, value: unknown): void {
    (this as unknown as Record<string, unknown>)[key] = value;
  }

  /**
   * The module as a tree: a live view whose keys are its members (child modules seen as
   * their own state), so mx.eval and the tree utilities see every array, trainable or not.
   * Writing through it writes the module.
   */
  get state(): Record<string, unknown> {
    return stateView(this);
  }

  /** MLX's filter_and_map: the members that pass `filterFn`, nested, with arrays mapped. */
  filterAndMap(filterFn: FilterFn, mapFn: MapFn = (x) => x, isLeafFn?: FilterFn): Record<string, unknown> {
    const unwrap = (owner: Module, key: string, value: unknown): unknown => {
      if (isLeafFn?.(owner, key, value)) return mapFn(value as mx.Array);
      if (value instanceof mx.Array) return mapFn(value);
      if (isModule(value)) return value.filterAndMap(filterFn, mapFn, isLeafFn);
      if (Array.isArray(value)) {
        return value.map((v, i) => {
          const k = `${key}.${i}`;
          return filterFn(owner, k, v) ? unwrap(owner, k, v) : {};
        });
      }
      if (isPlainObject(value)) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
          const kk = `${key}.${k}`;
          if (filterFn(owner, kk, v)) out[k] = unwrap(owner, kk, v);
        }
        return out;
      }
      throw new Error(`[${this.constructor.name}] Unexpected leaf found while traversing the module.`);
    };
    const out: Record<string, unknown> = {};
    for (const k of this.keys()) {
      const v = this.get(k);
      if (filterFn(this, k, v)) out[k] = unwrap(this, k, v);
    }
    return out;
  }

  /** Every parameter (array member), trainable or frozen, nested as the members are. */
  parameters(): Params {
    return this.filterAndMap(Module.validParameterFilter) as Params;
  }

  /** The parameters not frozen. */
  trainableParameters(): Params {
    return this.filterAndMap(Module.trainableParameterFilter) as Params;
  }

  /** The direct submodules (inside lists/objects as they are held). */
  children(): Record<string, ModuleTree> {
    return this.filterAndMap(Module.validChildFilter, (x) => x, (_m, _k, v) => isModule(v)) as Record<string, ModuleTree>;
  }

  /** The submodules that have no submodules, nested under the modules holding them. */
  leafModules(): Record<string, ModuleTree> {
    const isLeaf: FilterFn = (_m, _k, v) => isModule(v) && flattenWithPaths(v.children(), '', isModule).length === 0;
    return this.filterAndMap(Module.validChildFilter, (x) => x, isLeaf) as Record<string, ModuleTree>;
  }

  /**
   * Replaces parameters by those in `parameters` (a tree shaped like parameters(), or part of
   * it). With `strict` (default) an unknown name or a non-array for an array member throws.
   * A replaced array no other module or optimizer holds is freed now.
   */
  update(parameters: Record<string, unknown>, strict = true): this {
    updateTree(this, parameters, strict, 'Module.update replaced it');
    return this;
  }

  /** Replaces submodules by those in `modules` (a tree shaped like children()). */
  updateModules(modules: Record<string, unknown>, strict = true): this {
    const apply = (dst: unknown, src: unknown): void => {
      const read = (k: string | number): unknown => (isModule(dst) ? dst.get(String(k)) : (dst as Record<string, unknown>)[k]);
      const visit = (k: string | number, nv: unknown): void => {
        const cur = read(k);
        if (isModule(cur) && isModule(nv)) {
          if (isModule(dst)) dst.set(String(k), nv);
          else (dst as Record<string | number, unknown>)[k] = nv;
        } else if (isModule(cur) || Array.isArray(cur) || isPlainObject(cur)) apply(cur, nv);
        else if (strict && !(isPlainObject(nv) && Object.keys(nv).length === 0)) {
          throw new Error(`[Module.updateModules] Received invalid type: ${typeName(nv)}.`);
        }
      };
      if (Array.isArray(src)) src.forEach((nv, i) => visit(i, nv));
      else if (isPlainObject(src)) {
        for (const [k, nv] of Object.entries(src)) {
          const has = isModule(dst) ? dst.keys().includes(k) : k in (dst as object);
          if (has) visit(k, nv);
          else if (strict) throw new Error(`[Module.updateModules] Module does not have sub-module named "${k}".`);
        }
      } else if (strict) throw new Error(`[Module.updateModules] Received invalid type: ${typeName(src)}.`);
    };
    apply(this, modules);
    return this;
  }

  /** Maps every parameter passing `filterFn` (default: all) through `mapFn`, in place. */
  apply(mapFn: MapFn, filterFn: FilterFn = Module.validParameterFilter): this {
    updateTree(this, this.filterAndMap(filterFn, mapFn), true, 'Module.apply replaced it');
    return this;
  }

  /** Calls `fn(path, module)` on this module and every submodule (MLX's order). */
  applyToModules(fn: (path: string, module: Module) => void): this {
    const stack: [string, Module][] = [['', this]];
    while (stack.length > 0) {
      const [prefix, mod] = stack.pop()!;
      fn(prefix, mod);
      for (const [p, m] of flattenWithPaths(mod.children(), prefix, isModule)) stack.push([p, m as Module]);
    }
    return this;
  }

  /** This module and all its submodules. */
  modules(): Module[] {
    const out: Module[] = [];
    this.applyToModules((_p, m) => out.push(m));
    return out;
  }

  /** `[path, module]` for this module ('') and all its submodules ('layers.0.attn'). */
  namedModules(): [string, Module][] {
    const out: [string, Module][] = [];
    this.applyToModules((p, m) => out.push([p, m]));
    return out;
  }

  /** Excludes parameters from trainableParameters() (and so from gradients). */
  freeze({ recurse = true, keys = null, strict = false }: FreezeOptions = {}): this {
    const impl = (_p: string, m: Module): void => {
      const local = keys === null ? m.directParameterPaths() : m.validateKeys(keys, strict);
      for (const k of local) m._noGrad.add(k);
    };
    if (recurse) this.applyToModules(impl);
    else impl('', this);
    return this;
  }

  /** Makes frozen parameters trainable again (all of them when `keys` is omitted). */
  unfreeze({ recurse = true, keys = null, strict = false }: FreezeOptions = {}): this {
    const impl = (_p: string, m: Module): void => {
      if (keys === null) m._noGrad.clear();
      else for (const k of m.validateKeys(keys, strict)) m._noGrad.delete(k);
    };
    if (recurse) this.applyToModules(impl);
    else impl('', this);
    return this;
  }

  /** Sets training mode on this module and every submodule (Dropout, BatchNorm read it). */
  train(mode = true): this {
    this.applyToModules((_p, m) => {
      m._training = mode;
    });
    return this;
  }

  /** train(false). */
  eval(): this {
    return this.train(false);
  }

  /**
   * Casts parameters to `dtype`: by default only floating-point ones (MLX's default
   * predicate); `null` casts every one; a function decides per dtype.
   */
  setDtype(dtype: mx.DtypeLike, predicate: ((d: mx.Dtype) => boolean) | null = (d) => mx.isFloating(d)): this {
    const target = mx.toDtype(dtype);
    const pred = predicate ?? (() => true);
    const mapped = this.filterAndMap(Module.validParameterFilter, (x) => (pred(x.dtype) && x.dtype !== target ? mx.astype(x, target) : x));
    updateTree(this, mapped, true, 'Module.setDtype replaced it');
    return this;
  }

  /**
   * Loads weights (MLX's load_weights): `[path, array]` pairs, a `{ path: array }` object, or
   * a file (a Node path or file: URL, or its bytes) in a format mx.load reads. With `strict`
   * (default) the names must be exactly the model's and the shapes match. The model takes
   * ownership of the arrays; arrays loaded from a file that the model does not take (strict
   * false, unknown names) are freed, and so is everything loaded when the check fails.
   * A Blob or fetch Response is read asynchronously: `model.loadWeights(await mx.loadAsync(src))`.
   */
  loadWeights(fileOrWeights: WeightsSource, strict = true): this {
    const op = `${this.constructor.name}.loadWeights`;
    let weights: readonly (readonly [string, mx.Array])[];
    let loaded: mx.Array[] = [];
    if (Array.isArray(fileOrWeights)) {
      weights = fileOrWeights as readonly (readonly [string, mx.Array])[];
    } else if (isPlainObject(fileOrWeights)) {
      weights = Object.entries(fileOrWeights as Record<string, mx.Array>);
    } else {
      const isBlob = typeof Blob !== 'undefined' && (fileOrWeights as unknown) instanceof Blob;
      const isResponse = typeof Response !== 'undefined' && (fileOrWeights as unknown) instanceof Response;
      if (isBlob || isResponse) {
        throw new Error(`[${op}] A ${isBlob ? 'Blob' : 'Response'} is read asynchronously: call model.loadWeights(await mx.loadAsync(source)).`);
      }
      const r = mx.load(fileOrWeights as mx.LoadSource);
      if (r instanceof mx.Array) {
        r.dispose();
        throw new Error(`[${op}] The file holds a single array (.npy); weights are named arrays (.safetensors or .npz).`);
      }
      weights = Object.entries(r);
      loaded = weights.map(([, a]) => a);
    }
    try {
      this.checkAndLoad(weights, strict, op);
    } catch (e) {
      mx.dispose(loaded);
      throw e;
    }
    for (const a of loaded) if (!mx._isHeld(a)) a.dispose();
    return this;
  }

  private checkAndLoad(weights: readonly (readonly [string, mx.Array])[], strict: boolean, op: string): void {
    if (strict) {
      const fresh = new Map(weights.map(([k, v]) => [k, v] as const));
      const current = new Map(arrayPaths(this.parameters()));
      const extras = [...fresh.keys()].filter((k) => !current.has(k));
      if (extras.length > 0) throw new Error(`[${op}] Received parameters not in model: ${extras.join(', ')}.`);
      const missing = [...current.keys()].filter((k) => !fresh.has(k));
      if (missing.length > 0) throw new Error(`[${op}] Missing parameters: ${missing.join(', ')}.`);
      for (const [k, v] of current) {
        const nv = fresh.get(k);
        if (!(nv instanceof mx.Array)) throw new Error(`[${op}] Expected an array but received ${typeName(nv)} for parameter ${k}.`);
        if (!sameShape(nv.shape, v.shape)) {
          throw new Error(`[${op}] Expected shape [${v.shape.join(', ')}] but received shape [${nv.shape.join(', ')}] for parameter ${k}.`);
        }
      }
    }
    if (weights.length > 0) updateTree(this, unflattenPaths(weights) as Record<string, unknown>, false, 'Module.loadWeights replaced it');
  }

  /**
   * MLX's save_weights: with a path (Node) writes the parameters as `.safetensors` or
   * `.npz`, chosen by the extension; with `null` returns the file's bytes (`format`, default
   * 'safetensors'); with no argument returns them as `[path, array]` pairs.
   */
  saveWeights(): [string, mx.Array][];
  saveWeights(file: null, format?: WeightsFormat): Uint8Array;
  saveWeights(file: string | URL): void;
  saveWeights(file?: string | URL | null, format: WeightsFormat = 'safetensors'): [string, mx.Array][] | Uint8Array | void {
    const pairs = arrayPaths(this.parameters());
    if (file === undefined) return pairs;
    const op = `${this.constructor.name}.saveWeights`;
    const dict = Object.fromEntries(pairs);
    if (file === null) {
      if (format === 'safetensors') return mx.saveSafetensors(null, dict);
      if (format === 'npz') return mx.savez(null, dict);
      throw new Error(`[${op}] Unsupported format ${JSON.stringify(format)}. Use 'npz' or 'safetensors'.`);
    }
    const name = file instanceof URL ? file.pathname : String(file);
    if (name.endsWith('.npz')) mx.savez(file, dict);
    else if (name.endsWith('.safetensors')) mx.saveSafetensors(file, dict);
    else throw new Error(`[${op}] Unsupported file extension for ${name}. Use '.npz' or '.safetensors'.`);
  }

  /**
   * Lets go of every array this module and its submodules hold; those no other holder has
   * (and not mx.keep'd) are freed now. The module is unusable afterwards.
   */
  dispose(): void {
    for (const m of this.modules()) {
      for (const k of m.keys()) {
        const v = m.get(k);
        if (!isModule(v)) for (const a of ownedArrays(v)) mx._release(a, `${this.constructor.name}.dispose() released it`);
      }
    }
  }

  /** MLX's _extra_repr: the constructor arguments shown in the repr. */
  protected extraRepr(): string {
    return '';
  }

  /** MLX's repr: `Linear(input_dims=4, output_dims=8, bias=True)`, children indented. */
  toString(): string {
    const children = flattenWithPaths(this.children(), '', isModule) as [string, Module][];
    let text = `${this.constructor.name}(${this.extraRepr()}`;
    for (const [k, v] of children) text += `\n${`(${k}): ${v.toString()}`.replace(/^/gm, '  ')}`;
    if (children.length > 0) text += '\n';
    return `${text})`;
  }

  /** Trees (mx.eval, tidy, mx.treeFlatten, ...) see a module as its state. */
  [Symbol.for('mlxjs.treeView')](): Record<string, unknown> {
    return this.state;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** @internal Paths of this module's own parameters (not its children's). */
  directParameterPaths(): string[] {
    const own = this.filterAndMap((m, k, v) => !isModule(v) && Module.validParameterFilter(m, k, v));
    return arrayPaths(own).map(([p]) => p);
  }

  /** @internal */
  validateKeys(keys: string | readonly string[], strict: boolean): string[] {
    const list = typeof keys === 'string' ? [keys] : [...keys];
    if (strict) {
      for (const k of list) {
        if (!this.keys().includes(k)) throw new Error(`[${this.constructor.name}.freeze] Module doesn't contain member ${k}.`);
      }
    }
    return list;
  }

  /** Members that are parameters (or hold some): arrays, lists, objects, modules. */
  static validParameterFilter(_m: Module, key: string, value: unknown): boolean {
    return (value instanceof mx.Array || Array.isArray(value) || isPlainObject(value) || isModule(value)) && !key.startsWith('_');
  }

  /** validParameterFilter minus frozen members. */
  static trainableParameterFilter(m: Module, key: string, value: unknown): boolean {
    return Module.validParameterFilter(m, key, value) && !m._noGrad.has(key);
  }

  /** Members that may hold modules. */
  static validChildFilter(_m: Module, _key: string, value: unknown): boolean {
    return Array.isArray(value) || isPlainObject(value) || isModule(value);
  }
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

/** MLX's Module.update: walks `params` into the module, replacing array members. */
function updateTree(module: Module, params: unknown, strict: boolean, reason: string): void {
  const op = `${module.constructor.name}.update`;
  const apply = (dst: unknown, src: unknown): void => {
    const container = isModule(dst) ? (dst as unknown as Record<string | number, unknown>) : (dst as Record<string | number, unknown>);
    const visit = (k: string | number, nv: unknown): void => {
      const cur = container[k];
      if (cur instanceof mx.Array) {
        if (strict && !(nv instanceof mx.Array)) throw new Error(`[${op}] Received invalid type: ${typeName(nv)}.`);
        if (cur !== nv) writeOwned(container, k, nv, reason);
      } else apply(cur, nv);
    };
    if (Array.isArray(src)) {
      if (!Array.isArray(dst)) {
        if (strict) throw new Error(`[${op}] Received invalid type: list.`);
        return;
      }
      src.forEach((nv, i) => {
        if (i < dst.length) visit(i, nv);
      });
    } else if (isPlainObject(src)) {
      for (const [k, nv] of Object.entries(src)) {
        const has = isModule(dst) ? dst.keys().includes(k) : dst !== null && typeof dst === 'object' && k in dst;
        if (has) visit(k, nv);
        else if (strict) throw new Error(`[${op}] Module does not have parameter named "${k}".`);
      }
    } else if (strict) throw new Error(`[${op}] Received invalid type: ${typeName(src)}.`);
  };
  apply(module, params);
}

/** Plain-object view of a module's members (see Module.state). */
function stateView(module: Module): Record<string, unknown> {
  const wrapValue = (v: unknown): unknown => {
    if (isModule(v)) return v.state;
    if (Array.isArray(v) && v.some(isModule)) return v.map(wrapValue);
    return v;
  };
  return new Proxy({} as Record<string, unknown>, {
    getPrototypeOf: () => Object.prototype,
    ownKeys: () => module.keys(),
    getOwnPropertyDescriptor: (_t, k) =>
      isPublicKey(k) && module.keys().includes(k) ? { value: wrapValue(module.get(k)), writable: true, enumerable: true, configurable: true } : undefined,
    has: (_t, k) => isPublicKey(k) && module.keys().includes(k),
    get: (_t, k) => (isPublicKey(k) ? wrapValue(module.get(k)) : undefined),
    set: (_t, k, v) => {
      if (!isPublicKey(k)) return false;
      module.set(k, v);
      return true;
    },
  });
}
