import { createTfliteSession, randomInput, seededRandom } from '../runtime/tflite';
import type { TfliteTensorInfo, TfliteTypedArray } from '../runtime/tflite/tflite-tensor-info';
import type { ModelRunner, RunnerTensor } from './model-runner';

/** Loads .tflite bytes in the TFLite runtime; quantized inputs and outputs are exchanged as real values. */
export async function createTfliteRunner(bytes: Uint8Array, options: { file?: string; role: string }): Promise<ModelRunner> {
  const session = await createTfliteSession(bytes, { file: options.file });
  return {
    runtime: 'tflite',
    inputs: session.inputs.map((info) => ({ name: info.name, dtype: info.quantization ? 'float32' : info.dtype })),
    outputs: session.outputs.map((info) => ({ name: info.name, dtype: info.quantization ? 'float32' : info.dtype })),
    sampleFeeds(seed) {
      const random = seededRandom(seed);
      return session.inputs.map((info) => ({ dims: info.shape, data: dequantize(info, randomInput(info, random)) }));
    },
    async run(feeds) {
      const raw = session.inputs.map((info, index) => quantize(info, feeds[index]!));
      const result = await session.run(raw);
      return result.outputs.map((data, index) => {
        const info = session.outputs[index]!;
        return { dims: info.shape, data: dequantize(info, data) };
      });
    },
    dispose: () => session.dispose(),
  };
}

function dequantize(info: TfliteTensorInfo, data: TfliteTypedArray): RunnerTensor['data'] {
  const q = info.quantization;
  if (!q || q.scale.length === 0) return data;
  const scale = q.scale[0]!;
  const zero = q.zeroPoint[0] ?? 0;
  return Float32Array.from(data as ArrayLike<number>, (value) => scale * (value - zero));
}

function quantize(info: TfliteTensorInfo, feed: RunnerTensor): TfliteTypedArray {
  const q = info.quantization;
  const values = feed.data as ArrayLike<number>;
  if (!q || q.scale.length === 0) return typed(info, values);
  const scale = q.scale[0]!;
  const zero = q.zeroPoint[0] ?? 0;
  const [lo, hi] = info.dtype === 'int8' ? [-128, 127] : info.dtype === 'uint8' ? [0, 255] : [-32768, 32767];
  return typed(info, Array.from(values, (value) => Math.min(hi, Math.max(lo, Math.round(value / scale) + zero))));
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
