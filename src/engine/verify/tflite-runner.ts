import { readTflite, type TfliteModel } from '../formats/tflite';
import { BuiltinOperator } from '../formats/tflite/generated/tflite/builtin-operator';
import { createTfliteSession, randomInput, seededRandom } from '../runtime/tflite';
import type { TfliteTensorInfo, TfliteTypedArray } from '../runtime/tflite/tflite-tensor-info';
import { integerValues, realValues, type ModelRunner, type Quantization, type RunnerTensor } from './model-runner';

/** Loads .tflite bytes in the TFLite runtime; quantized inputs and outputs carry their quantization. */
export async function createTfliteRunner(bytes: Uint8Array, options: { file?: string; role: string }): Promise<ModelRunner> {
  const session = await createTfliteSession(bytes, { file: options.file });
  const batch = session.inputs[0]?.shape[0];
  return {
    runtime: 'tflite',
    stateful: hasState(readTflite(bytes, { file: options.file })),
    ...(batch !== undefined && batch > 0 ? { fixedBatch: batch } : {}),
    inputs: session.inputs.map((info) => ({ name: info.name, dtype: info.dtype })),
    outputs: session.outputs.map((info) => ({ name: info.name, dtype: info.dtype })),
    sampleFeeds(seed) {
      const random = seededRandom(seed);
      return session.inputs.map((info) => withQuant(info, { dims: info.shape, data: randomInput(info, random) }));
    },
    async run(feeds) {
      const raw = session.inputs.map((info, index) => toInput(info, feeds[index]!));
      const result = await session.run(raw);
      return result.outputs.map((data, index) => {
        const info = session.outputs[index]!;
        return withQuant(info, { dims: info.shape, data });
      });
    },
    dispose: () => session.dispose(),
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
