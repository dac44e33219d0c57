// A worker of the wasm thread pool (threads.ts starts it: a module Worker in browsers, a
// worker_threads Worker in Node). It instantiates the threads build of the core on the
// main thread's shared memory, moves its stack pointer to the stack the main thread
// allocated for it, and enters mlxc_worker_main, which waits for chunks of kernels and never
// returns. Plain JavaScript with no imports, so it runs as is from src/ and from dist/.
// The module's other imports are never called by a worker: they get stubs that throw.

const nodeThreads = globalThis.process?.getBuiltinModule?.('node:worker_threads');
const port = nodeThreads ? nodeThreads.parentPort : globalThis;

function start({ module, memory, id, stackTop }) {
  const imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    const ns = (imports[imp.module] ??= {});
    if (imp.kind === 'memory') ns[imp.name] = memory;
    else if (imp.kind === 'function') {
      ns[imp.name] = () => {
        throw new Error(`[mlxjs-wasm] Worker ${id} called the import ${imp.module}.${imp.name}.`);
      };
    } else if (imp.kind === 'tag') ns[imp.name] = new WebAssembly.Tag({ parameters: ['i32'] });
  }
  // Instantiation runs the module's start function, which sees memory already initialised
  // and leaves it alone; static constructors are not run (that is the main thread's job).
  const x = new WebAssembly.Instance(module, imports).exports;
  x.stackRestore(stackTop);
  port.postMessage({ started: id });
  x.mlxc_worker_main(id);
}

const onMessage = (data) => {
  try {
    start(data);
  } catch (e) {
    port.postMessage({ failed: data?.id, message: e instanceof Error ? e.message : String(e) });
  }
};
if (nodeThreads) port.once('message', onMessage);
else globalThis.onmessage = (e) => onMessage(e.data);
