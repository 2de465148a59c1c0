import { availableParallelism } from 'node:os';
import { Worker, type TransferListItem } from 'node:worker_threads';

// The threaded build of the TFLite WebAssembly runtime (emscripten pthreads) is built for browsers only:
// its loader starts each pthread with `new Worker(url)` and talks to it through `onmessage`/`postMessage`,
// and the pthread script (`*.worker.js`) expects `self`, `importScripts` and a global `postMessage`.
// Node has worker_threads and shared WebAssembly memory, so both sides are bridged here: a browser-shaped
// Worker class for the loader, and a small bootstrap that gives the pthread script its browser globals.

/** Runs inside each pthread's worker thread: browser globals over worker_threads, then the pthread script. */
const PTHREAD_BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const vm = require('node:vm');
globalThis.self = globalThis;
self.location = { href: workerData.mainScript };
globalThis.postMessage = (message, transfer) => parentPort.postMessage(message, transfer);
globalThis.importScripts = (file) => vm.runInThisContext(readFileSync(file, 'utf8'), { filename: file });
parentPort.on('message', (data) => self.onmessage({ data }));
vm.runInThisContext(readFileSync(workerData.pthreadScript, 'utf8'), { filename: workerData.pthreadScript });
`;

/** The part of a browser Worker the emscripten pthread loader uses. */
export interface BrowserLikeWorker {
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((error: Error) => void) | null;
  postMessage(message: unknown, transfer?: readonly TransferListItem[]): void;
  terminate(): Promise<number>;
}

/**
 * A browser-shaped Worker class for the loader of `mainScript` (the runtime's .js file): each instance is a
 * worker thread running the pthread script it is given. They stop with the thread that loaded the runtime
 * (a TFLite session's worker).
 */
export function browserWorkerClass(mainScript: string): new (pthreadScript: string) => BrowserLikeWorker {
  return class implements BrowserLikeWorker {
    onmessage: ((event: { data: unknown }) => void) | null = null;
    onerror: ((error: Error) => void) | null = null;
    private readonly thread: Worker;

    constructor(pthreadScript: string) {
      this.thread = new Worker(PTHREAD_BOOTSTRAP, { eval: true, workerData: { pthreadScript, mainScript } });
      this.thread.on('message', (data: unknown) => this.onmessage?.({ data }));
      this.thread.on('error', (error: Error) => this.onerror?.(error));
    }

    postMessage(message: unknown, transfer?: readonly TransferListItem[]): void {
      this.thread.postMessage(message, transfer);
    }

    terminate(): Promise<number> {
      return this.thread.terminate();
    }
  };
}

/** The emscripten pthread pool the threaded build exports as `Module.PThread`. */
export interface PthreadPool {
  unusedWorkers: unknown[];
  allocateUnusedWorker(): void;
  loadWasmModuleToWorker(worker: unknown, onFinishedLoading: () => void): void;
}

/**
 * Makes sure `count` loaded pthread workers are free before an interpreter starts its threads. The runtime
 * creates threads from inside a blocking call; a worker that still has to load then could never report
 * "loaded" (the thread that would receive the message is the one blocked), so they are loaded here first.
 */
export async function ensureFreePthreads(pool: PthreadPool, count: number): Promise<void> {
  const missing = count - pool.unusedWorkers.length;
  if (missing <= 0) return;
  const loads: Promise<void>[] = [];
  for (let i = 0; i < missing; i++) {
    pool.allocateUnusedWorker();
    const worker = pool.unusedWorkers[pool.unusedWorkers.length - 1];
    loads.push(new Promise((resolve) => pool.loadWasmModuleToWorker(worker, () => resolve())));
  }
  await Promise.all(loads);
}

/** The thread count a TFLite session runs with: 0 (as onnxruntime's "its choice") is one per core, at least 1. */
export function tfliteThreads(requested: number | undefined): number {
  if (requested === 0) return availableParallelism();
  return Math.max(1, Math.floor(requested ?? 1));
}
