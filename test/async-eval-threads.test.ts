// asyncEval must leave the event loop running while the kernels compute. Where the backend
// has a thread for it (`native`; `wasm` with its threads build: Node, isolated pages) the
// whole evaluation runs there, so even one large kernel does not block; otherwise (the
// single-thread wasm module) the core steps the graph and yields between kernels. Counts,
// never times.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';

// A chain of matmuls (several kernels, each large enough to take a while).
function chain(n: number, links: number): mx.Array {
  return mx.tidy(() => {
    const a = mx.divide(mx.ones([n, n]), n);
    let y = mx.ones([n, n]);
    for (let i = 0; i < links; i++) y = mx.matmul(y, a);
    return y;
  });
}

// A macrotask that exists in Node and in browsers (the suite also runs in Chromium).
const nextTask = (f: () => void): ReturnType<typeof setTimeout> => setTimeout(f, 0);

describeEachBackend('asyncEval keeps the event loop running', (backend) => {
  it('ticks advance while a matmul chain evaluates, and the values are right', async () => {
    // 12 matmuls: more kernels than one asyncEval step runs on wasm, so it yields too.
    const y = chain(256, 12);
    let ticks = 0;
    let running = true;
    const tick = (): void => {
      ticks++;
      if (running) nextTask(tick);
    };
    nextTask(tick);
    let ticksWhenDone = 0;
    await mx.asyncEval(y).then(() => {
      ticksWhenDone = ticks;
    });
    running = false;
    expect(ticksWhenDone).toBeGreaterThan(0);
    // ones @ (ones/n) keeps every element 1.
    expect(mx.tidy(() => mx.sum(y).item())).toBeCloseTo(256 * 256, 0);
    mx.dispose([y]);
  });

  it('one large kernel does not block the event loop where asyncEval has a thread', async () => {
    const onThread = mx.threadingInfo().asyncEval === 'thread';
    if (backend === 'native' || typeof SharedArrayBuffer === 'function') expect(onThread, mx.threadingInfo().asyncEvalReason).toBe(true);
    const y = chain(512, 1);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const soon = nextTask(() => ticks++);
    let ticksWhenDone = 0;
    await mx.asyncEval(y).then(() => {
      ticksWhenDone = ticks;
    });
    clearInterval(timer);
    clearTimeout(soon);
    // Stepping on the calling thread computes a single kernel at once: no tick is promised.
    if (onThread) expect(ticksWhenDone).toBeGreaterThan(0);
    expect(mx.tidy(() => mx.max(mx.abs(mx.subtract(y, 1))).item())).toBeLessThan(1e-5);
    mx.dispose([y]);
  });

  it('core calls made meanwhile wait for the evaluation and see consistent values', async () => {
    const y = chain(256, 4);
    const pending = mx.asyncEval(y);
    // This runs on the JS thread while the worker may hold the core: it must wait, not race.
    expect(mx.tidy(() => mx.add(mx.array([1, 2]), 1).tolist())).toEqual([2, 3]);
    expect(mx.tidy(() => mx.sum(y).item())).toBeCloseTo(256 * 256, 0);
    await pending;
    mx.dispose([y]);
  });

  it('never calls JS functions: graphs of customFunction, compile, checkpoint and grad', async () => {
    // Each JS function runs while the graph is built (tracing, on this thread); evaluating
    // the graph (on the worker thread on native) must not call any of them again.
    let calls = 0;
    const soft = mx.customFunction((x: mx.Array) => {
      calls++;
      return mx.log(mx.add(mx.exp(x), 1));
    }).vjp((x, cot) => mx.multiply(cot as mx.Array, mx.sigmoid(x as mx.Array)));
    const fused = mx.compile((x: mx.Array) => {
      calls++;
      return mx.tanh(mx.add(mx.multiply(x, 2), 1));
    });
    const block = mx.checkpoint((x: mx.Array) => {
      calls++;
      return mx.square(mx.sin(x));
    });
    const x = mx.keep(mx.array([0.5, -1, 2]));
    const outs: mx.Array[] = mx.tidy(() => [
      soft(x) as mx.Array,
      fused(x) as mx.Array,
      block(x) as mx.Array,
      mx.grad((v: mx.Array) => mx.sum(mx.add(soft(v) as mx.Array, block(v) as mx.Array)))(x) as mx.Array,
    ]);
    const traced = calls;
    expect(traced).toBeGreaterThan(0);
    await mx.asyncEval(outs);
    expect(calls).toBe(traced);
    const v = [0.5, -1, 2];
    const close = (a: number[], b: number[]): void => a.forEach((e, i) => expect(e).toBeCloseTo(b[i]!, 5));
    close(outs[0]!.tolist() as number[], v.map((t) => Math.log(Math.exp(t) + 1)));
    close(outs[1]!.tolist() as number[], v.map((t) => Math.tanh(2 * t + 1)));
    close(outs[2]!.tolist() as number[], v.map((t) => Math.sin(t) ** 2));
    close(outs[3]!.tolist() as number[], v.map((t) => 1 / (1 + Math.exp(-t)) + 2 * Math.sin(t) * Math.cos(t)));
    mx.dispose([x, ...outs]);
    fused.dispose(); // its traced graph
  });

  it('overlapping asyncEvals each resolve with their own values', async () => {
    // The second begins while the first may still run on the thread: its begin waits for
    // the first, which then reports its own outcome.
    const a = chain(192, 3);
    const b = mx.tidy(() => mx.multiply(chain(128, 2), 3));
    const c = mx.tidy(() => mx.add(mx.zeros([4]), 1));
    try {
      await Promise.all([mx.asyncEval(a), mx.asyncEval(b), mx.asyncEval(c)]);
      const sums = mx.tidy(() => [mx.sum(a).item(), mx.sum(b).item(), mx.sum(c).item()] as number[]);
      // 1/192 is inexact in float32: each element is 1 up to rounding.
      [192 * 192, 3 * 128 * 128, 4].forEach((want, i) => expect(sums[i]).toBeCloseTo(want, 1));
    } finally {
      mx.dispose([a, b, c]);
    }
  });

  it('memory the evaluation grows (on its thread) is read correctly afterwards', async () => {
    // 256 MB of results: far beyond the memory the module starts with, so the evaluating
    // thread grows the memory and this thread must see the new size.
    const n = 64 * 1024 * 1024;
    const y = mx.tidy(() => mx.add(mx.multiply(mx.arange(n, 'float32'), 0), 0.5));
    await mx.asyncEval(y);
    expect(mx.tidy(() => [mx.sum(y).item(), mx.slice(y, [n - 1], [n]).item()])).toEqual([n / 2, 0.5]);
    mx.dispose([y]);
  });

  it('an evaluation error rejects with the same [op] message as eval', async () => {
    const previous = mx.setMemoryLimit(1024 * 1024);
    try {
      let syncMessage = '';
      mx.tidy(() => {
        try {
          mx.eval(mx.add(mx.zeros([1024, 1024]), 1)); // 4 MB
        } catch (e) {
          syncMessage = (e as Error).message;
        }
      });
      expect(syncMessage).toMatch(/^\[\w+\] .*limit/);
      const big = mx.tidy(() => mx.add(mx.zeros([1024, 1024]), 1));
      const err = await mx.asyncEval(big).then(
        () => null,
        (e: unknown) => e,
      );
      mx.dispose([big]);
      expect(err).toBeInstanceOf(Error);
      // The same message, up to the bytes in use at that moment.
      const inUse = / \(\d+ bytes in use\)/;
      expect((err as Error).message.replace(inUse, '')).toBe(syncMessage.replace(inUse, ''));
    } finally {
      mx.setMemoryLimit(previous);
    }
  });
});
