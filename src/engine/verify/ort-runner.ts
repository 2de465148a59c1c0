import ort from 'onnxruntime-node';
import { LitheError } from '../errors';
import { halfToFloat } from '../util/half-float';
import { declaredInputs, makeFeeds, planInputs, type PlannedInput } from '../runtime/onnx';
import { hintsForBytes } from '../runtime/onnx/read-input-hints';
import { integerValues, realValues, type ModelRunner, type NumericArray, type RunnerTensor } from './model-runner';

/** Options for {@link createOrtRunner}. */
export interface OrtRunnerOptions {
  file?: string;
  /** Which model this is, for error messages ("the original model"). */
  role: string;
  /** Sizes for dynamic dimensions (see planInputs). */
  dims?: Record<string, number>;
}

/** Loads ONNX bytes in onnxruntime (CPU, graph optimizations off so the graph runs as written). */
export async function createOrtRunner(bytes: Uint8Array, options: OrtRunnerOptions): Promise<ModelRunner> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled', intraOpNumThreads: 1, logSeverityLevel: 4 });
  } catch (error) {
    throw new LitheError('runtime-failed', `onnxruntime cannot load ${options.role}: ${firstLine(error)}`, {
      file: options.file,
      cause: error,
    });
  }
  // Planned only when inputs must be made (generated samples, zeros for exposed state): a candidate fed the
  // reference's samples never decodes its graph for input hints.
  let plan: PlannedInput[] | undefined;
  const planned = (): PlannedInput[] => (plan ??= planInputs(declaredInputs(session), options.dims, options.file, hintsForBytes(bytes)));
  const inputs = session.inputMetadata.map((meta) => ({ name: meta.name, dtype: meta.isTensor ? String(meta.type) : 'non-tensor' }));
  const outputs = session.outputMetadata.map((meta) => ({ name: meta.name, dtype: meta.isTensor ? String(meta.type) : 'non-tensor' }));
  return {
    runtime: 'onnxruntime',
    // Recurrent state in ONNX is explicit inputs and outputs: a session keeps nothing between runs.
    stateful: false,
    inputs,
    outputs,
    sampleFeeds(seed) {
      const feeds = makeFeeds(planned(), seed, options.file);
      return session.inputNames.map((name) => fromOrt(feeds[name]!));
    },
    async run(feeds) {
      const named: Record<string, ort.Tensor> = {};
      session.inputNames.forEach((name, index) => {
        const feed = feeds[index];
        // Inputs beyond the reference's (recurrent state a conversion exposed) start from zeros, as a fresh runtime does.
        named[name] = feed ? toOrt(feed, inputs[index]!.dtype, name) : zerosFor(planned()[index]!);
      });
      let result: ort.InferenceSession.ReturnType;
      try {
        result = await session.run(named);
      } catch (error) {
        throw new LitheError('runtime-failed', `onnxruntime cannot run ${options.role} on the sample inputs: ${firstLine(error)}`, {
          file: options.file,
          cause: error,
        });
      }
      return session.outputNames.map((name) => fromOrt(result[name]!));
    },
    dispose: () => session.release(),
  };
}

const ZERO_ARRAYS: Record<string, (count: number) => NumericArray> = {
  float32: (n) => new Float32Array(n),
  float64: (n) => new Float64Array(n),
  float16: (n) => new Uint16Array(n),
  int8: (n) => new Int8Array(n),
  uint8: (n) => new Uint8Array(n),
  bool: (n) => new Uint8Array(n),
  int16: (n) => new Int16Array(n),
  uint16: (n) => new Uint16Array(n),
  int32: (n) => new Int32Array(n),
  uint32: (n) => new Uint32Array(n),
  int64: (n) => new BigInt64Array(n),
  uint64: (n) => new BigUint64Array(n),
};

function zerosFor(input: PlannedInput): ort.Tensor {
  const make = ZERO_ARRAYS[input.dtype];
  if (!make) throw new LitheError('unsupported', `cannot start input "${input.name}" (${input.dtype}) from zeros`);
  return new ort.Tensor(input.dtype as 'float32', make(input.shape.reduce((a, b) => a * b, 1)) as Float32Array, input.shape);
}

function fromOrt(tensor: ort.Tensor): RunnerTensor {
  if (tensor.type === 'float16') return { dims: tensor.dims, data: Float32Array.from(tensor.data as Uint16Array, halfToFloat) };
  if (tensor.type === 'string') throw new LitheError('unsupported', 'string tensors cannot be compared numerically');
  return { dims: tensor.dims, data: tensor.data as NumericArray };
}

const INT_RANGES: Record<string, readonly [number, number]> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
};

function toOrt(feed: RunnerTensor, dtype: string, name: string): ort.Tensor {
  const dims = [...feed.dims];
  switch (dtype) {
    case 'float16':
      return new ort.Tensor('float16', Uint16Array.from(realValues(feed), floatToHalf), dims);
    case 'float32':
      return new ort.Tensor(
        'float32',
        feed.data instanceof Float32Array && !feed.quant ? feed.data : Float32Array.from(realValues(feed)),
        dims,
      );
    case 'float64':
      return new ort.Tensor('float64', Float64Array.from(realValues(feed)), dims);
    case 'int8':
      return new ort.Tensor('int8', Int8Array.from(integerValues(feed, feed.quant, INT_RANGES['int8']!)), dims);
    case 'uint8':
      return new ort.Tensor('uint8', Uint8Array.from(integerValues(feed, feed.quant, INT_RANGES['uint8']!)), dims);
    default:
      return new ort.Tensor(dtype as 'int32', wholeNumbers(feed, dtype, name), dims);
  }
}

const WHOLE_ARRAYS: Record<string, { range: readonly [bigint, bigint]; make: (values: bigint[]) => NumericArray }> = {
  bool: { range: [0n, 1n], make: (v) => Uint8Array.from(v, Number) },
  int16: { range: [-(2n ** 15n), 2n ** 15n - 1n], make: (v) => Int16Array.from(v, Number) },
  uint16: { range: [0n, 2n ** 16n - 1n], make: (v) => Uint16Array.from(v, Number) },
  int32: { range: [-(2n ** 31n), 2n ** 31n - 1n], make: (v) => Int32Array.from(v, Number) },
  uint32: { range: [0n, 2n ** 32n - 1n], make: (v) => Uint32Array.from(v, Number) },
  int64: { range: [-(2n ** 63n), 2n ** 63n - 1n], make: (v) => BigInt64Array.from(v) },
  uint64: { range: [0n, 2n ** 64n - 1n], make: (v) => BigUint64Array.from(v) },
};

/**
 * The feed's values as the integer type the input declares. A converted model may declare another
 * width than the original (int64 narrowed to int32): the values carry over when they fit, and a
 * value that does not fit is an error rather than a silently wrapped number.
 */
function wholeNumbers(feed: RunnerTensor, dtype: string, name: string): NumericArray {
  const target = WHOLE_ARRAYS[dtype];
  if (!target) throw new LitheError('unsupported', `cannot feed input "${name}": its type ${dtype} is not supported here`);
  const data = feed.data;
  const values =
    data instanceof BigInt64Array || data instanceof BigUint64Array
      ? Array.from(data)
      : Array.from(realValues(feed), (value) => {
          if (!Number.isFinite(value))
            throw new LitheError('unsupported', `cannot feed input "${name}" (${dtype}) with the value ${value}`);
          return BigInt(Math.round(value));
        });
  const [low, high] = target.range;
  const outside = values.find((value) => value < low || value > high);
  if (outside !== undefined)
    throw new LitheError('unsupported', `cannot feed input "${name}" (${dtype}): the sample value ${outside} does not fit that type`);
  return target.make(values);
}

export { halfToFloat };

function floatToHalf(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  if (exponent <= 0) return sign;
  if (exponent >= 31) return sign | 0x7c00;
  return sign | (exponent << 10) | ((bits >>> 13) & 0x3ff);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
