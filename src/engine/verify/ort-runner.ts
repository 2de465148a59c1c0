import ort from 'onnxruntime-node';
import { LitheError } from '../errors';
import { declaredInputs, makeFeeds, planInputs, type PlannedInput } from '../runtime/onnx';
import type { ModelRunner, NumericArray, RunnerTensor } from './model-runner';

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
    throw new LitheError('runtime-failed', `onnxruntime cannot load ${options.role}: ${firstLine(error)}`, { file: options.file, cause: error });
  }
  let plan: PlannedInput[] | undefined;
  const inputs = session.inputMetadata.map((meta) => ({ name: meta.name, dtype: meta.isTensor ? String(meta.type) : 'non-tensor' }));
  const outputs = session.outputMetadata.map((meta) => ({ name: meta.name, dtype: meta.isTensor ? String(meta.type) : 'non-tensor' }));
  return {
    runtime: 'onnxruntime',
    inputs,
    outputs,
    sampleFeeds(seed) {
      plan ??= planInputs(declaredInputs(session), options.dims, options.file);
      const feeds = makeFeeds(plan, seed, options.file);
      return session.inputNames.map((name) => fromOrt(feeds[name]!));
    },
    async run(feeds) {
      const named: Record<string, ort.Tensor> = {};
      session.inputNames.forEach((name, index) => {
        const feed = feeds[index];
        if (!feed) throw new LitheError('invalid-argument', `no data for input "${name}" of ${options.role}`, { file: options.file });
        named[name] = toOrt(feed, inputs[index]!.dtype);
      });
      let result: ort.InferenceSession.ReturnType;
      try {
        result = await session.run(named);
      } catch (error) {
        throw new LitheError('runtime-failed', `onnxruntime cannot run ${options.role} on the sample inputs: ${firstLine(error)}`, { file: options.file, cause: error });
      }
      return session.outputNames.map((name) => fromOrt(result[name]!));
    },
    dispose: () => session.release(),
  };
}

function fromOrt(tensor: ort.Tensor): RunnerTensor {
  if (tensor.type === 'float16') return { dims: tensor.dims, data: Float32Array.from(tensor.data as Uint16Array, halfToFloat) };
  if (tensor.type === 'string') throw new LitheError('unsupported', 'string tensors cannot be compared numerically');
  return { dims: tensor.dims, data: tensor.data as NumericArray };
}

function toOrt(feed: RunnerTensor, dtype: string): ort.Tensor {
  const dims = [...feed.dims];
  if (dtype === 'float16') return new ort.Tensor('float16', Uint16Array.from(feed.data as Float32Array, floatToHalf), dims);
  if (dtype === 'float32' && !(feed.data instanceof Float32Array)) return new ort.Tensor('float32', Float32Array.from(feed.data as ArrayLike<number>), dims);
  return new ort.Tensor(dtype as 'float32', feed.data as Float32Array, dims);
}

/** IEEE half bits → number. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

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
