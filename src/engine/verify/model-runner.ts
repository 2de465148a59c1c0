/** Numeric data a runner exchanges; quantized values are exchanged as real numbers (Float32Array). */
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

/** A tensor passed to or returned from a runner. */
export interface RunnerTensor {
  dims: readonly number[];
  data: NumericArray;
}

/** An input or output of a loaded model. */
export interface RunnerIo {
  name: string;
  dtype: string;
}

/**
 * A model loaded in some runtime, seen the same way whatever the runtime: feeds and results in
 * input/output order, quantized tensors as real values, so a float model and its quantized or
 * converted version can be compared on the same inputs.
 */
export interface ModelRunner {
  readonly runtime: string;
  readonly inputs: readonly RunnerIo[];
  readonly outputs: readonly RunnerIo[];
  /** Deterministic sample inputs for this model (same seed, same data). */
  sampleFeeds(seed: number): RunnerTensor[];
  run(feeds: readonly RunnerTensor[]): Promise<RunnerTensor[]>;
  dispose(): Promise<void>;
}
