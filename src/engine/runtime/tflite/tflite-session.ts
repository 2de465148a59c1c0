import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { EngineContext } from '../../context';
import { engineErrorCode, LitheError, throwIfCancelled, type ErrorInfo } from '../../errors';
import { workerSource } from '../../jobs/worker-source';
import type { SessionToWorker, WorkerToSession } from './protocol';
import type { TfliteProfileEntry, TfliteSessionOptions, TfliteTensorInfo, TfliteTypedArray } from './tflite-tensor-info';
import { entryUrl } from '../../entry-url';

/** Outputs of one run, in output order, and the time the interpreter took. */
export interface TfliteRunResult {
  outputs: TfliteTypedArray[];
  ms: number;
}

/** A loaded TFLite model running in its own worker thread. */
export interface TfliteSession {
  /** The inputs of the model loaded now (they change with {@link TfliteSession.reload}). */
  readonly inputs: TfliteTensorInfo[];
  readonly outputs: TfliteTensorInfo[];
  /** True once the worker has stopped: disposed, cancelled or crashed. */
  readonly closed: boolean;
  /**
   * Replaces the model with another one in the same worker: a fresh interpreter (no state carried over) without
   * the cost of a new thread and runtime. When the new bytes are refused, the error names `file` and the session
   * keeps running the model it had.
   */
  reload(bytes: Uint8Array, options?: { file?: string }): Promise<void>;
  /** Runs once. Feeds are given in input order or by input name; each must match the input's dtype and size. */
  run(feeds: TfliteTypedArray[] | Record<string, TfliteTypedArray>): Promise<TfliteRunResult>;
  /** Per-operator times of the last run (needs `profile: true`). */
  profile(): Promise<TfliteProfileEntry[]>;
  /** Stops the worker and frees the model. */
  dispose(): Promise<void>;
}

/** The runtime's display name in the UI and CLI. */
export const TFLITE_RUNTIME_NAME = 'TFLite (XNNPACK, wasm)';

const WORKER_ENTRY = entryUrl(import.meta.url, './tflite-worker.ts');

function toError(info: ErrorInfo, file?: string): LitheError {
  const named = info.file ?? file;
  const message = named && info.message.startsWith(`${named}: `) ? info.message.slice(named.length + 2) : info.message;
  return new LitheError(engineErrorCode(info.code), message, { file: named });
}

/**
 * Loads a .tflite model (bytes or a path) into the TFLite WebAssembly runtime inside a worker
 * thread, so a crash or abort in the runtime fails this session, never the caller. Cancelling
 * `ctx.signal` stops the worker.
 */
export async function createTfliteSession(
  model: Uint8Array | string,
  options: TfliteSessionOptions = {},
  ctx: EngineContext = {},
): Promise<TfliteSession> {
  throwIfCancelled(ctx.signal);
  const file = options.file ?? (typeof model === 'string' ? model : undefined);
  let bytes: Uint8Array;
  if (typeof model === 'string') {
    try {
      bytes = await readFile(model);
    } catch (error) {
      throw new LitheError('not-found', 'cannot read the model file', { file, cause: error });
    }
  } else {
    bytes = model;
  }
  const source = workerSource(WORKER_ENTRY);
  const worker = new Worker(source.source, { eval: source.eval });
  const pending = new Map<number, { resolve: (m: WorkerToSession) => void; reject: (e: LitheError) => void }>();
  let created: { resolve: (m: WorkerToSession) => void; reject: (e: LitheError) => void } | null = null;
  let failure: LitheError | null = null;
  let nextId = 1;

  const failAll = (error: LitheError): void => {
    failure ??= error;
    created?.reject(error);
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.on('message', (message: WorkerToSession) => {
    if (message.type === 'created') created?.resolve(message);
    else if (message.type === 'error' && message.id === undefined) created?.reject(toError(message.error, file));
    else {
      const entry = pending.get(message.id!);
      pending.delete(message.id!);
      if (message.type === 'error') entry?.reject(toError(message.error, file));
      else entry?.resolve(message);
    }
  });
  worker.on('error', (error) =>
    failAll(new LitheError('runtime-failed', `the TFLite runtime crashed: ${error.message}`, { file, cause: error })),
  );
  worker.on('exit', (code) => failAll(new LitheError('runtime-failed', `the TFLite runtime stopped (exit code ${code})`, { file })));
  const onAbort = (): void => {
    failAll(new LitheError('cancelled', 'The job was cancelled.'));
    void worker.terminate();
  };
  ctx.signal?.addEventListener('abort', onAbort, { once: true });

  const request = (message: SessionToWorker): Promise<WorkerToSession> => {
    if (failure) return Promise.reject(failure);
    return new Promise((resolve, reject) => {
      if ('id' in message) pending.set(message.id, { resolve, reject });
      worker.postMessage(message);
    });
  };

  ctx.onProgress?.({ stage: 'loading TFLite model' });
  const first = await new Promise<WorkerToSession>((resolve, reject) => {
    created = { resolve, reject };
    worker.postMessage({ type: 'create', bytes, options: { ...options, file } } satisfies SessionToWorker);
  }).catch(async (error: unknown) => {
    ctx.signal?.removeEventListener('abort', onAbort);
    await worker.terminate();
    throw error;
  });
  created = null;
  if (first.type !== 'created') throw new LitheError('internal', 'unexpected reply from the TFLite worker');
  let loaded: { inputs: TfliteTensorInfo[]; outputs: TfliteTensorInfo[] } = first;

  return {
    get inputs() {
      return loaded.inputs;
    },
    get outputs() {
      return loaded.outputs;
    },
    get closed() {
      return failure !== null;
    },
    async reload(next, reloadOptions = {}) {
      throwIfCancelled(ctx.signal);
      const reply = await request({ type: 'load', id: nextId++, bytes: next, options: { ...options, file: reloadOptions.file ?? file } });
      if (reply.type !== 'loaded') throw new LitheError('internal', 'unexpected reply from the TFLite worker');
      loaded = reply;
    },
    async run(feeds) {
      const reply = await request({ type: 'run', id: nextId++, feeds });
      if (reply.type !== 'result') throw new LitheError('internal', 'unexpected reply from the TFLite worker');
      return { outputs: reply.outputs, ms: reply.ms };
    },
    async profile() {
      const reply = await request({ type: 'profile', id: nextId++ });
      if (reply.type !== 'profile') throw new LitheError('internal', 'unexpected reply from the TFLite worker');
      return reply.entries;
    },
    async dispose() {
      ctx.signal?.removeEventListener('abort', onAbort);
      failure ??= new LitheError('invalid-argument', 'the TFLite session has been disposed');
      worker.postMessage({ type: 'dispose' } satisfies SessionToWorker);
      await worker.terminate();
    },
  };
}
