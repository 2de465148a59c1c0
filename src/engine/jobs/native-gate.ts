// A job's worker thread must never be terminated while it is inside a call of ONNX Runtime's native
// addon: the addon, built with C++ exceptions, then fails to hand back its result to a JavaScript
// that is being torn down and throws a `Napi::Error` nobody can catch, and the C++ runtime aborts
// the whole process ("terminate called after throwing an instance of 'Napi::Error'"): the host, not
// only the job. The gate is two counters in memory shared by the worker and its parent:
//
//   [INSIDE]   calls of ONNX Runtime under way in the worker (creating, running, releasing a session)
//   [STOPPING] set by the parent once it wants to terminate the worker
//
// A call increments INSIDE and then reads STOPPING; the parent sets STOPPING and then reads INSIDE
// (both sequentially consistent), so either the call sees it must not start, or the parent sees the
// call and waits for it to end. A call that may not start never settles: the worker is about to go.

const INSIDE = 0;
const STOPPING = 1;
const POLL_MS = 5;

/** The memory a job's worker and its parent share for the gate. */
export function createNativeGate(): SharedArrayBuffer {
  return new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
}

/** Runs `call` (one that enters the native addon) inside the gate; it never starts once the parent is stopping the worker. */
export async function throughGate<T>(gate: SharedArrayBuffer, call: () => Promise<T>): Promise<T> {
  const counters = new Int32Array(gate);
  Atomics.add(counters, INSIDE, 1);
  if (Atomics.load(counters, STOPPING) !== 0) {
    Atomics.sub(counters, INSIDE, 1);
    return new Promise<T>(() => undefined);
  }
  try {
    return await call();
  } finally {
    Atomics.sub(counters, INSIDE, 1);
  }
}

/** {@link throughGate} for a synchronous call; one that may not start throws instead. */
export function throughGateSync<T>(gate: SharedArrayBuffer, call: () => T): T {
  const counters = new Int32Array(gate);
  Atomics.add(counters, INSIDE, 1);
  try {
    if (Atomics.load(counters, STOPPING) !== 0) throw new Error('The job is being stopped.');
    return call();
  } finally {
    Atomics.sub(counters, INSIDE, 1);
  }
}

/**
 * Closes the gate and resolves once no native call is under way in the worker (then it can be
 * terminated), or after `waitAtMostMs` whatever happens.
 */
export function closeGate(gate: SharedArrayBuffer, waitAtMostMs = Infinity): Promise<void> {
  const counters = new Int32Array(gate);
  Atomics.store(counters, STOPPING, 1);
  const deadline = Date.now() + waitAtMostMs;
  return new Promise((resolve) => {
    const check = (): void => {
      if (Atomics.load(counters, INSIDE) === 0 || Date.now() >= deadline) resolve();
      else setTimeout(check, POLL_MS);
    };
    check();
  });
}
