import { readTflite, type TfliteModel } from '../formats/tflite';
import { BuiltinOperator } from '../formats/tflite/generated/tflite/builtin-operator';
import { LitheError } from '../errors';
import { createTfliteSession, randomInput, seededRandom, type TfliteSession } from '../runtime/tflite';
import type { TfliteTensorInfo, TfliteTypedArray } from '../runtime/tflite/tflite-tensor-info';
import { integerValues, realValues, type ModelRunner, type Quantization, type RunnerTensor } from './model-runner';

/** Loads .tflite bytes in the TFLite runtime; quantized inputs and outputs carry their quantization. */
export async function createTfliteRunner(bytes: Uint8Array, options: { file?: string; role: string }): Promise<ModelRunner> {
  const session = await createTfliteSession(bytes, { file: options.file });
  return runnerOver(session, bytes, options.file, () => session.dispose());
}

/**
 * Opens one .tflite model after another in one TFLite worker: the first `open` starts the worker, each later one
 * reloads it with the new bytes (a fresh interpreter, so no state carries over), which saves the seconds a new
 * worker thread and runtime cost. The shared worker serves one runner at a time (dispose it before the next `open`;
 * a runner opened while another is still open gets its own worker). A worker that crashed is replaced on the next `open`.
 */
export interface TfliteRunnerLoader {
  open(bytes: Uint8Array): Promise<ModelRunner>;
  dispose(): Promise<void>;
}

/** A {@link TfliteRunnerLoader}; `file` names the models in errors. */
export function createTfliteRunnerLoader(options: { file?: string; role: string }): TfliteRunnerLoader {
  let session: TfliteSession | undefined;
  let lent = false;
  const release = async (): Promise<void> => {
    lent = false;
  };
  return {
    async open(bytes) {
      // A second model open at the same time gets a worker of its own.
      if (lent) return createTfliteRunner(bytes, options);
      if (session?.closed) {
        const dead = session;
        session = undefined;
        await dead.dispose();
      }
      if (session) await session.reload(bytes, { file: options.file });
      else session = await createTfliteSession(bytes, { file: options.file });
      lent = true;
      return runnerOver(session, bytes, options.file, release);
    },
    async dispose() {
      const last = session;
      session = undefined;
      await last?.dispose();
    },
  };
}

/** A runner over the model `session` holds now (loaded from `bytes`). */
function runnerOver(session: TfliteSession, bytes: Uint8Array, file: string | undefined, dispose: () => Promise<void>): ModelRunner {
  const inputs = session.inputs;
  const outputs = session.outputs;
  const batch = inputs[0]?.shape[0];
  let live = true;
  return {
    runtime: 'tflite',
    stateful: hasState(readTflite(bytes, { file })),
    ...(batch !== undefined && batch > 0 ? { fixedBatch: batch } : {}),
    inputs: inputs.map((info) => ({ name: info.name, dtype: info.dtype })),
    outputs: outputs.map((info) => ({ name: info.name, dtype: info.dtype })),
    sampleFeeds(seed) {
      const random = seededRandom(seed);
      return inputs.map((info) => withQuant(info, { dims: info.shape, data: randomInput(info, random) }));
    },
    async run(feeds) {
      if (!live) throw new LitheError('invalid-argument', 'this TFLite runner has been disposed');
      const raw = inputs.map((info, index) => toInput(info, feeds[index]!));
      const result = await session.run(raw);
      return result.outputs.map((data, index) => {
        const info = outputs[index]!;
        return withQuant(info, { dims: info.shape, data });
      });
    },
    dispose() {
      live = false;
      return dispose();
    },
  };
}

const VARIABLE_OPS = new Set<number>([BuiltinOperator.VAR_HANDLE, BuiltinOperator.READ_VARIABLE, BuiltinOperator.ASSIGN_VARIABLE]);

/** Whether the model keeps values between runs: variable tensors, or resource variables. */
function hasState(model: TfliteModel): boolean {
  if (model.operatorCodes.some((code) => VARIABLE_OPS.has(code.code))) return true;
  return model.subgraphs.some((subgraph) => subgraph.tensors.some((tensor) => tensor.isVariable));
}

function quantOf(info: TfliteTensorInfo): Quantization | undefined {
  const q = info.quantization;
  return q && q.scale.length > 0 ? { scale: q.scale[0]!, zeroPoint: q.zeroPoint[0] ?? 0 } : undefined;
}

function withQuant(info: TfliteTensorInfo, tensor: RunnerTensor): RunnerTensor {
  const quant = quantOf(info);
  return quant ? { ...tensor, quant } : tensor;
}

const RANGES: Partial<Record<TfliteTensorInfo['dtype'], readonly [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  bool: [0, 1],
};

function toInput(info: TfliteTensorInfo, feed: RunnerTensor): TfliteTypedArray {
  const range = RANGES[info.dtype];
  const values = range ? integerValues(feed, quantOf(info), range) : realValues(feed);
  return typed(info, values);
}

function typed(info: TfliteTensorInfo, values: ArrayLike<number>): TfliteTypedArray {
  switch (info.dtype) {
    case 'float32':
      return Float32Array.from(values);
    case 'float64':
      return Float64Array.from(values);
    case 'int8':
      return Int8Array.from(values);
    case 'uint8':
    case 'bool':
      return Uint8Array.from(values);
    case 'int16':
      return Int16Array.from(values);
    case 'int32':
      return Int32Array.from(values);
    case 'uint32':
      return Uint32Array.from(values);
  }
}
