import type { Backend } from './backend.js';
import { liveArrayCount } from './scope.js';

/** `true` when the backend can load here; `false` or a reason string when it cannot. */
export type Availability = () => boolean | string;

interface Registration {
  name: string;
  priority: number;
  loader: () => Promise<Backend>;
  available: Availability;
}

const registrations = new Map<string, Registration>();
/** Loaded backends by name, so switching back and forth does not reload modules. */
const loaded = new Map<string, Promise<Backend>>();
let current: Backend | null = null;

/**
 * Makes a backend known to init(). Higher priority wins when init() chooses
 * (metal > native > wasm). Registering a name again replaces the earlier registration.
 */
export function registerBackend(
  name: string,
  priority: number,
  loader: () => Promise<Backend>,
  available: Availability = () => true,
): void {
  registrations.set(name, { name, priority, loader, available });
}

function unavailableReason(r: Registration): string | null {
  let verdict: boolean | string;
  try {
    verdict = r.available();
  } catch (e) {
    verdict = e instanceof Error ? e.message : String(e);
  }
  if (verdict === true) return null;
  return typeof verdict === 'string' ? verdict : 'not supported in this environment';
}

/** Names of the registered backends that can load here, best first. */
export function availableBackends(): string[] {
  return [...registrations.values()]
    .filter((r) => unavailableReason(r) === null)
    .sort((a, b) => b.priority - a.priority)
    .map((r) => r.name);
}

export interface InitOptions {
  /** Force a backend by name instead of picking the best available one. */
  backend?: string;
}

/**
 * Loads a backend and makes it current; resolves to its name. Without options it picks the
 * highest-priority backend that loads (falling back past ones that fail to load). Calling
 * it again with the same choice is a no-op; switching to another backend is only allowed
 * while no array is alive (arrays are bound to the backend that made them).
 */
export async function init(opts: InitOptions = {}): Promise<string> {
  if (opts.backend === undefined) {
    if (current !== null) return current.name;
    const errors: string[] = [];
    for (const name of availableBackends()) {
      try {
        return await use(name);
      } catch (e) {
        errors.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    throw new Error(
      errors.length === 0
        ? `[init] No mlxjs backend is available here (registered: ${[...registrations.keys()].join(', ') || 'none'}).`
        : `[init] No mlxjs backend could be loaded. ${errors.join('; ')}`,
    );
  }
  const r = registrations.get(opts.backend);
  if (r === undefined) {
    throw new Error(
      `[init] Unknown backend '${opts.backend}'; registered backends: ${[...registrations.keys()].join(', ') || 'none'}.`,
    );
  }
  const reason = unavailableReason(r);
  if (reason !== null) throw new Error(`[init] Backend '${r.name}' is not available here: ${reason}.`);
  return use(r.name);
}

const switchHooks: { before: () => void; after: () => void }[] = [];

/**
 * @internal Library state bound to a backend (mx.random.state) moves on a switch: `before`
 * lets go of it on the old backend, `after` makes it on the new one.
 */
export function onBackendSwitch(before: () => void, after: () => void): void {
  switchHooks.push({ before, after });
}

async function use(name: string): Promise<string> {
  if (current?.name === name) return name;
  if (current !== null && liveArrayCount() === 0) for (const h of switchHooks) h.before();
  if (current !== null && liveArrayCount() > 0) {
    throw new Error(
      `[init] Cannot switch backend from '${current.name}' to '${name}' while ${liveArrayCount()} arrays are alive; dispose them first.`,
    );
  }
  let pending = loaded.get(name);
  if (pending === undefined) {
    pending = registrations.get(name)!.loader();
    loaded.set(name, pending);
    // A failed load may succeed later (e.g. the module file appears): do not cache failure.
    pending.catch(() => loaded.delete(name));
  }
  const backend = await pending;
  backend.activate?.();
  current = backend;
  for (const h of switchHooks) h.after();
  return name;
}

/** The name of the backend in use, or null before init(). */
export function backendName(): string | null {
  return current?.name ?? null;
}

/** The backend in use; throws before init(). */
export function currentBackend(): Backend {
  if (current === null) {
    throw new Error('mlxjs is not initialised: call `await mx.init()` before using any op.');
  }
  return current;
}
