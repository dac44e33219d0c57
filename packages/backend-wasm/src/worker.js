// A thread of the wasm threads build (threads.ts starts it: a module Worker in browsers, a
// worker_threads Worker in Node). It instantiates the threads build of the core on the main
// thread's shared memory and moves its stack pointer to the stack the main thread allocated
// for it. Then, by its first message:
// - a pool worker (`id`) enters mlxc_worker_main, which waits for chunks of kernels and
//   never returns; it never calls an import (each gets a stub that throws);
// - the async-eval thread (`evalThread`) returns to its event loop and runs the whole
//   evaluation of each session it is sent (mlxc_eval_run), reporting through the shared
//   `control` words [state, status] (eval-thread.ts). It allocates, so it provides the
//   imports an evaluation can reach: heap growth, large copies, clocks and printing.
// Plain JavaScript with no imports, so it runs as is from src/ and from dist/.

const nodeThreads = globalThis.process?.getBuiltinModule?.('node:worker_threads');
const port = nodeThreads ? nodeThreads.parentPort : globalThis;
const post = (m) => port.postMessage(m);

// eval-thread.ts's control words.
const STATE = 0;
const STATUS = 1;
const DONE = 2;
// The status of an evaluation that trapped (1 is an ordinary core error).
const TRAPPED = 2;

const PAGE = 65536;

function instantiate(module, memory, name, provided) {
  const imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    const ns = (imports[imp.module] ??= {});
    if (imp.kind === 'memory') ns[imp.name] = memory;
    else if (imp.kind === 'function') {
      ns[imp.name] = provided[imp.name] ?? (() => {
        throw new Error(`[mlxjs-wasm] ${name} called the import ${imp.module}.${imp.name}.`);
      });
    } else if (imp.kind === 'tag') ns[imp.name] = new WebAssembly.Tag({ parameters: ['i32'] });
  }
  // Instantiation runs the module's start function, which sees memory already initialised
  // and leaves it alone; static constructors are not run (that is the main thread's job).
  return new WebAssembly.Instance(module, imports).exports;
}

// The imports an evaluation can call on this thread. Growth asks for exactly the bytes
// sbrk needs (rounded to pages): the main thread's growth policy adds headroom, this one
// runs rarely. Released host closures are handed to the main thread, which owns them.
function evalImports(memory, released) {
  const text = { 1: '', 2: '' };
  return {
    emscripten_resize_heap: (requested) => {
      const want = requested >>> 0;
      const old = memory.buffer.byteLength;
      if (want <= old) return 1;
      try {
        // Beyond the memory's maximum, grow throws: the allocation then fails as out of memory.
        memory.grow(Math.ceil((want - old) / PAGE));
        return 1;
      } catch {
        return 0;
      }
    },
    emscripten_notify_memory_growth: () => {},
    emscripten_memcpy_big: (dest, src, n) => {
      new Uint8Array(memory.buffer).copyWithin(dest >>> 0, src >>> 0, (src >>> 0) + (n >>> 0));
    },
    emscripten_get_now: () => performance.now(),
    emscripten_check_blocking_allowed: () => {},
    clock_time_get: (clockId, _precision, out) => {
      const ms = clockId === 0 ? Date.now() : performance.now();
      new DataView(memory.buffer).setBigUint64(out, BigInt(Math.round(ms * 1e6)), true);
      return 0;
    },
    fd_write: (fd, iov, iovcnt, pnum) => {
      const dv = new DataView(memory.buffer);
      let written = 0;
      for (let i = 0; i < iovcnt; i++) {
        const ptr = dv.getUint32(iov + i * 8, true);
        const len = dv.getUint32(iov + i * 8 + 4, true);
        text[fd] = (text[fd] ?? '') + new TextDecoder().decode(new Uint8Array(memory.buffer, ptr, len).slice());
        written += len;
      }
      const lines = text[fd].split('\n');
      text[fd] = lines.pop();
      for (const line of lines) (fd === 1 ? console.log : console.error)(line);
      dv.setUint32(pnum, written, true);
      return 0;
    },
    // A host function cannot run here (it lives on the main thread): a failing status,
    // which the core reports as a [closure] error. Evaluation never calls one today.
    mlxc_host_call: () => 1,
    mlxc_host_release: (id) => {
      released.push(id >>> 0);
    },
  };
}

function startPoolWorker({ module, memory, id, stackTop }) {
  const x = instantiate(module, memory, `Worker ${id}`, {});
  x.stackRestore(stackTop);
  post({ started: id });
  x.mlxc_worker_main(id);
}

function startEvalThread({ module, memory, stackTop, control }) {
  const released = [];
  const x = instantiate(module, memory, 'The async-eval thread', evalImports(memory, released));
  x.stackRestore(stackTop);
  x.mlxc_eval_thread_enter();
  const words = new Int32Array(control);
  const run = (session) => {
    let status;
    try {
      status = x.mlxc_eval_run(session);
    } catch (e) {
      console.error(`[mlxjs-wasm] The async-eval thread trapped: ${e instanceof Error ? e.message : String(e)}`);
      status = TRAPPED;
    }
    Atomics.store(words, STATUS, status);
    Atomics.store(words, STATE, DONE);
    Atomics.notify(words, STATE);
    if (released.length > 0) post({ released: released.splice(0) });
  };
  const onRun = (m) => {
    if (m && typeof m.run === 'number') run(m.run);
  };
  if (nodeThreads) port.on('message', onRun);
  else globalThis.onmessage = (e) => onRun(e.data);
  post({ started: 'eval' });
}

const onFirstMessage = (data) => {
  try {
    if (data?.evalThread) startEvalThread(data);
    else startPoolWorker(data);
  } catch (e) {
    post({ failed: data?.id ?? 'eval', message: e instanceof Error ? e.message : String(e) });
  }
};
if (nodeThreads) port.once('message', onFirstMessage);
else globalThis.onmessage = (e) => onFirstMessage(e.data);
