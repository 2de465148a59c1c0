import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { LitheError } from '../../errors';

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
const BUILD = 'tflite_web_api_cc_simd';

let loading: Promise<{ module: TfliteWasmModule; log: string[] }> | undefined;

/**
 * Loads the TFLite WebAssembly runtime (TFLite + XNNPACK, SIMD build) shipped in the
 * `@tensorflow/tfjs-tflite` npm package, straight from node_modules: no network, no browser globals.
 * The module is loaded once per thread. Messages the runtime prints are collected in `log`.
 */
export function loadTfliteWasm(): Promise<{ module: TfliteWasmModule; log: string[] }> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    let dir: string;
    try {
      dir = join(dirname(require.resolve(`${TFLITE_WASM_PACKAGE}/package.json`)), 'wasm');
    } catch (error) {
      throw new LitheError('runtime-failed', `the TFLite runtime needs the npm package ${TFLITE_WASM_PACKAGE}, which is not installed`, {
        cause: error,
      });
    }
    const factory = require(join(dir, `${BUILD}.js`)) as ModuleFactory;
    const log: string[] = [];
    const module = await factory({
      wasmBinary: readFileSync(join(dir, `${BUILD}.wasm`)),
      locateFile: (file: string) => join(dir, file),
      print: (text: string) => log.push(text),
      printErr: (text: string) => log.push(text),
    });
    return { module, log };
  })();
  return loading;
}
