import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { compileFunction } from 'node:vm';
import { LitheError } from '../../errors';
import { browserWorkerClass, type PthreadPool } from './tflite-pthreads';

/** A C++ std::vector exposed through embind. */
export interface WasmVector<T> {
  size(): number;
  get(index: number): T;
  delete(): void;
}

/** Tensor info returned by the TFLite web API. `data()` is a live view into wasm memory. */
export interface WasmTensorInfo {
  id: number;
  name: string;
  dataType: string;
  shape: string;
  data(): Int8Array | Uint8Array | Int16Array | Int32Array | Uint32Array | Float32Array | Float64Array;
}

/** One profiled node. */
export interface WasmProfileItem {
  nodeType: string;
  nodeName: string;
  nodeExecMs: number;
}

/** The interpreter wrapper the TFLite web API exposes. */
export interface WasmModelRunner {
  GetInputs(): WasmVector<WasmTensorInfo>;
  GetOutputs(): WasmVector<WasmTensorInfo>;
  Infer(): boolean;
  GetProfilingResults(): WasmVector<WasmProfileItem>;
  GetProfilingSummary(): string;
  delete(): void;
}

interface WasmStatusOr<T> {
  ok(): boolean;
  errorMessage(): string;
  value(): T;
  delete(): void;
}

/** The part of the emscripten module Lithe uses. */
export interface TfliteWasmModule {
  HEAPU8: Uint8Array;
  /** The threaded build's shared memory (its HEAPU8 can be a stale view after another thread grew it). */
  wasmMemory?: { buffer: ArrayBufferLike };
  _malloc(size: number): number;
  _free(pointer: number): void;
  TFLiteWebModelRunner: {
    CreateFromBufferAndOptions(
      pointer: number,
      length: number,
      options: { numThreads: number; enableProfiling: boolean; maxProfilingBufferEntries: number },
    ): WasmStatusOr<WasmModelRunner>;
  };
}

type ModuleFactory = (overrides: Record<string, unknown>) => Promise<TfliteWasmModule>;

/** Which build of the TFLite WebAssembly runtime is used, and where it came from. */
export const TFLITE_WASM_PACKAGE = '@tensorflow/tfjs-tflite';
/** The single-threaded SIMD build, and the SIMD build with pthreads (shared memory, one worker thread per thread). */
const BUILDS = { single: 'tflite_web_api_cc_simd', threaded: 'tflite_web_api_cc_simd_threaded' } as const;
/** Which build runs a session: the threaded one only when more than one thread is asked for. */
export type TfliteBuild = keyof typeof BUILDS;

/** A loaded runtime; `pthreads` is the threaded build's thread pool. */
export interface LoadedTfliteWasm {
  module: TfliteWasmModule;
  log: string[];
  build: TfliteBuild;
  pthreads?: PthreadPool;
}

const loading = new Map<TfliteBuild, Promise<LoadedTfliteWasm>>();

function packageDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve(`${TFLITE_WASM_PACKAGE}/package.json`)), 'wasm');
  } catch (error) {
    throw new LitheError('runtime-failed', `the TFLite runtime needs the npm package ${TFLITE_WASM_PACKAGE}, which is not installed`, {
      cause: error,
    });
  }
}

/** The threaded loader is browser-only: it is compiled here with a browser-shaped `Worker` in its scope. */
function threadedFactory(script: string): ModuleFactory {
  const holder = { exports: {} as unknown };
  const wrapped = compileFunction(readFileSync(script, 'utf8'), ['module', 'exports', 'Worker'], { filename: script });
  wrapped(holder, holder.exports, browserWorkerClass(script));
  return holder.exports as ModuleFactory;
}

/**
 * Loads the TFLite WebAssembly runtime (TFLite + XNNPACK, SIMD build) shipped in the
 * `@tensorflow/tfjs-tflite` npm package, straight from node_modules: no network, no browser globals.
 * `threaded` loads the pthread build instead (its threads are worker threads sharing the wasm memory).
 * Each build is loaded once per thread. Messages the runtime prints are collected in `log`.
 */
export function loadTfliteWasm(build: TfliteBuild = 'single'): Promise<LoadedTfliteWasm> {
  let pending = loading.get(build);
  if (!pending) {
    pending = (async () => {
      const dir = packageDir();
      const script = join(dir, `${BUILDS[build]}.js`);
      const factory = build === 'threaded' ? threadedFactory(script) : (createRequire(import.meta.url)(script) as ModuleFactory);
      const log: string[] = [];
      const module = await factory({
        wasmBinary: readFileSync(join(dir, `${BUILDS[build]}.wasm`)),
        locateFile: (file: string) => join(dir, file),
        mainScriptUrlOrBlob: script,
        print: (text: string) => log.push(text),
        printErr: (text: string) => log.push(text),
      });
      const pthreads = (module as TfliteWasmModule & { PThread?: PthreadPool }).PThread;
      return { module, log, build, ...(build === 'threaded' && pthreads ? { pthreads } : {}) };
    })();
    loading.set(build, pending);
  }
  return pending;
}
