/**
 * The async-eval thread of the threads build: a worker.js thread on the shared memory that
 * runs the whole evaluation of an asyncEval session (mlxc_eval_run), so the JS thread's
 * event loop keeps running even during one long kernel. The core is not re-entrant, so
 * while a session runs there the backend keeps the JS thread out of the core (a core call
 * made meanwhile first waits for the session to end: wasm-backend.ts).
 *
 * The thread reports through two words of a small SharedArrayBuffer, [state, status]: the
 * JS thread polls them between event-loop turns, or blocks on them when it must wait
 * (Atomics.wait where the thread may block, a spin on a browser's main thread, where it may
 * not). Host closures the evaluation releases come back as messages.
 */
import { startWorker, type HostWorker } from './threads.js';

const STATE = 0;
const STATUS = 1;
const IDLE = 0;
const RUNNING = 1;
const DONE = 2;

/** The status worker.js reports when the evaluation trapped (1 is an ordinary core error). */
export const EVAL_TRAPPED = 2;

export class EvalThread {
  private blockingAllowed = true;

  private constructor(
    private readonly worker: HostWorker,
    private readonly words: Int32Array,
  ) {}

  /**
   * Starts the thread: `stackTop` from mlxc_eval_thread_prepare; `onReleased` receives the
   * ids of host closures the core released on that thread. Null (with `onFailure` called)
   * when the worker could not start.
   */
  static async start(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    stackTop: number,
    onReleased: (ids: number[]) => void,
    onFailure: (message: string) => void,
  ): Promise<EvalThread | null> {
    const words = new Int32Array(new SharedArrayBuffer(8));
    const worker = await startWorker({ evalThread: true, module, memory, stackTop, control: words.buffer }, onFailure, (m) => {
      const ids = (m as { released?: number[] }).released;
      if (ids !== undefined) onReleased(ids);
    });
    return worker === null ? null : new EvalThread(worker, words);
  }

  /** Hands `session` (from mlxc_eval_begin) to the thread. */
  run(session: number): void {
    Atomics.store(this.words, STATE, RUNNING);
    this.worker.postMessage({ run: session });
  }

  /** True once the session handed over has finished (never blocks). */
  finished(): boolean {
    return Atomics.load(this.words, STATE) === DONE;
  }

  /** Waits until the session handed over has finished, then returns its status and goes idle. */
  settle(): number {
    while (Atomics.load(this.words, STATE) === RUNNING) {
      if (this.blockingAllowed) {
        try {
          Atomics.wait(this.words, STATE, RUNNING);
        } catch {
          this.blockingAllowed = false; // a browser's main thread: spin instead
        }
      }
    }
    const status = Atomics.load(this.words, STATUS);
    Atomics.store(this.words, STATE, IDLE);
    return status;
  }
}
