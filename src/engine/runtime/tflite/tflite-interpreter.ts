import { LitheError } from '../../errors';
import { readTflite, type TfliteModel } from '../../formats/tflite';
import { describeTfliteLoadFailure } from './load-failure';
import type { TfliteDType, TfliteProfileEntry, TfliteSessionOptions, TfliteTensorInfo, TfliteTypedArray } from './tflite-tensor-info';
import { ensureFreePthreads, tfliteThreads } from './tflite-pthreads';
import { loadTfliteWasm, type TfliteWasmModule, type WasmModelRunner, type WasmTensorInfo, type WasmVector } from './tflite-wasm';

const ARRAY_FOR: Record<TfliteDType, string> = {
  float32: 'Float32Array',
  float64: 'Float64Array',
  int8: 'Int8Array',
  uint8: 'Uint8Array',
  int16: 'Int16Array',
  int32: 'Int32Array',
  uint32: 'Uint32Array',
  bool: 'Uint8Array',
};

function toArray<T>(vector: WasmVector<T>): T[] {
  const out: T[] = [];
  for (let i = 0; i < vector.size(); i++) out.push(vector.get(i));
  vector.delete();
  return out;
}

function describe(info: WasmTensorInfo, model: TfliteModel | null): TfliteTensorInfo {
  const shape = info.shape === '' ? [] : info.shape.split(',').map(Number);
  const out: TfliteTensorInfo = { index: info.id, name: info.name, dtype: info.dataType as TfliteDType, shape };
  const q = model?.subgraphs[0]?.tensors[info.id]?.quantization;
  if (q?.scale?.length && q.zeroPoint?.length && out.dtype !== 'float32') {
    out.quantization = { scale: q.scale, zeroPoint: q.zeroPoint.map(Number), quantizedDimension: q.quantizedDimension };
  }
  return out;
}

/**
 * A TFLite interpreter (TFLite WebAssembly + XNNPACK) in the current thread. Lithe runs it inside a
 * worker through {@link createTfliteSession}; use this class directly only inside a worker.
 */
export class TfliteInterpreter {
  readonly inputs: TfliteTensorInfo[];
  readonly outputs: TfliteTensorInfo[];
  /** Each input's description beside the runtime's handle to its buffer. */
  private readonly inputPorts: { info: TfliteTensorInfo; handle: WasmTensorInfo }[];
  private runner: WasmModelRunner | null;

  private constructor(
    private readonly wasm: TfliteWasmModule,
    runner: WasmModelRunner,
    private readonly pointer: number,
    private readonly inputHandles: WasmTensorInfo[],
    private readonly outputHandles: WasmTensorInfo[],
    model: TfliteModel | null,
  ) {
    this.runner = runner;
    this.inputPorts = inputHandles.map((handle) => ({ info: describe(handle, model), handle }));
    this.inputs = this.inputPorts.map((port) => port.info);
    this.outputs = outputHandles.map((h) => describe(h, model));
  }

  /** Loads a model from .tflite bytes. */
  static async create(bytes: Uint8Array, options: TfliteSessionOptions = {}): Promise<TfliteInterpreter> {
    // Lithe's own reader first: clear messages for corrupt files, and quantization for inputs/outputs.
    const model = readTflite(bytes, { file: options.file });
    const threads = tfliteThreads(options.threads);
    const { module: wasm, log, pthreads } = await loadTfliteWasm(threads > 1 ? 'threaded' : 'single');
    // XNNPACK's pool and TFLite's own (for operators XNNPACK does not take) can each start threads − 1.
    if (pthreads) await ensureFreePthreads(pthreads, 2 * (threads - 1));
    const logStart = log.length;
    const pointer = wasm._malloc(bytes.length);
    new Uint8Array(wasm.wasmMemory?.buffer ?? wasm.HEAPU8.buffer).set(bytes, pointer);
    const status = wasm.TFLiteWebModelRunner.CreateFromBufferAndOptions(pointer, bytes.length, {
      numThreads: threads,
      enableProfiling: options.profile ?? false,
      maxProfilingBufferEntries: 4096,
    });
    if (!status.ok()) {
      const runtimeMessage = [status.errorMessage(), ...log.slice(logStart)].join('\n');
      status.delete();
      wasm._free(pointer);
      throw new LitheError('runtime-failed', describeTfliteLoadFailure(model, runtimeMessage), { file: options.file });
    }
    const runner = status.value();
    return new TfliteInterpreter(wasm, runner, pointer, toArray(runner.GetInputs()), toArray(runner.GetOutputs()), model);
  }

  /** Runs the model on inputs given in input order or by name; returns copies of the outputs. */
  run(feeds: TfliteTypedArray[] | Record<string, TfliteTypedArray>): TfliteTypedArray[] {
    const runner = this.live();
    this.inputPorts.forEach(({ info, handle }, i) => {
      const feed = Array.isArray(feeds) ? feeds[i] : feeds[info.name];
      if (!feed) throw new LitheError('invalid-argument', `no data for input ${i} (${info.name})`);
      const target = handle.data();
      if (feed.constructor.name !== ARRAY_FOR[info.dtype]) {
        throw new LitheError(
          'invalid-argument',
          `input ${info.name} is ${info.dtype}; expected a ${ARRAY_FOR[info.dtype]}, got a ${feed.constructor.name}`,
        );
      }
      if (feed.length !== target.length) {
        throw new LitheError(
          'invalid-argument',
          `input ${info.name} needs ${target.length} values (shape [${info.shape.join(', ')}]), got ${feed.length}`,
        );
      }
      target.set(feed as never);
    });
    if (!runner.Infer()) throw new LitheError('runtime-failed', 'the TFLite runtime failed to run the model');
    return this.outputHandles.map((h) => h.data().slice());
  }

  /** Per-operator times of the last run (empty unless created with `profile: true`). */
  profile(): TfliteProfileEntry[] {
    return toArray(this.live().GetProfilingResults()).map((p) => ({ op: p.nodeType, node: p.nodeName, ms: p.nodeExecMs }));
  }

  /** Frees the interpreter and its memory. Safe to call twice. */
  dispose(): void {
    if (!this.runner) return;
    for (const h of [...this.inputHandles, ...this.outputHandles]) (h as Partial<{ delete(): void }>).delete?.();
    this.runner.delete();
    this.runner = null;
    this.wasm._free(this.pointer);
  }

  private live(): WasmModelRunner {
    if (!this.runner) throw new LitheError('invalid-argument', 'the TFLite session has been disposed');
    return this.runner;
  }
}
