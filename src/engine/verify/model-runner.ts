/** Numeric data a runner exchanges. */
export type NumericArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** Affine quantization of integer data: real = scale × (q − zeroPoint). */
export interface Quantization {
  scale: number;
  zeroPoint: number;
}

/** A tensor passed to or returned from a runner; quantized integers carry their `quant`. */
export interface RunnerTensor {
  dims: readonly number[];
  data: NumericArray;
  quant?: Quantization;
}

/** The real values of a tensor: integers with quantization are dequantized (with `fallback` when they carry none). */
export function realValues(tensor: RunnerTensor, fallback?: Quantization): ArrayLike<number> {
  const data = tensor.data;
  const ints = data instanceof BigInt64Array || data instanceof BigUint64Array ? Array.from(data, Number) : data;
  const quant = tensor.quant ?? (isIntegerArray(data) ? fallback : undefined);
  if (!quant) return ints;
  return Float32Array.from(ints, (value) => quant.scale * (value - quant.zeroPoint));
}

/** Integer data (to feed an input of integer type) from a tensor: quantized with `quant` when it holds real values. */
export function integerValues(tensor: RunnerTensor, quant: Quantization | undefined, range: readonly [number, number]): number[] {
  if (tensor.quant && quant && tensor.quant.scale === quant.scale && tensor.quant.zeroPoint === quant.zeroPoint)
    return Array.from(tensor.data as ArrayLike<number>);
  const real = realValues(tensor);
  if (!quant) return Array.from(real, Math.round);
  return Array.from(real, (value) => Math.min(range[1], Math.max(range[0], Math.round(value / quant.scale) + quant.zeroPoint)));
}

function isIntegerArray(data: NumericArray): boolean {
  return !(data instanceof Float32Array || data instanceof Float64Array);
}

/** An input or output of a loaded model. */
export interface RunnerIo {
  name: string;
  dtype: string;
}

/**
 * A model loaded in some runtime, seen the same way whatever the runtime: feeds and results in
 * input/output order, quantized tensors with their scale and zero point, so a float model and its
 * quantized or converted version can be compared on the same inputs in real values.
 */
export interface ModelRunner {
  readonly runtime: string;
  readonly inputs: readonly RunnerIo[];
  readonly outputs: readonly RunnerIo[];
  /** Whether a run can change the next one (TFLite variable tensors): such a model is loaded fresh for each sample. */
  readonly stateful: boolean;
  /**
   * Rows of the first input every run takes, when the runtime cannot change them: the TFLite runtime runs at the
   * file's stored shape, even where its shape signature leaves the batch open.
   */
  readonly fixedBatch?: number;
  /** Deterministic sample inputs for this model (same seed, same data). */
  sampleFeeds(seed: number): RunnerTensor[];
  run(feeds: readonly RunnerTensor[]): Promise<RunnerTensor[]>;
  dispose(): Promise<void>;
}
