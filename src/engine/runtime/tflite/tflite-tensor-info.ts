/** Element types the TFLite runtime exchanges with callers. */
export type TfliteDType = 'float32' | 'float64' | 'int8' | 'uint8' | 'int16' | 'int32' | 'uint32' | 'bool';

/** Typed arrays used for TFLite tensor data. */
export type TfliteTypedArray = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Int32Array | Uint32Array;

/** Affine quantization of a runtime input or output: real = scale × (q − zeroPoint). */
export interface TfliteQuantParams {
  scale: number[];
  zeroPoint: number[];
  quantizedDimension: number;
}

/** An input or output of a loaded TFLite model. */
export interface TfliteTensorInfo {
  /** Tensor index in the main subgraph. */
  index: number;
  name: string;
  dtype: TfliteDType;
  shape: number[];
  /** Present for quantized (int8/uint8/int16) tensors. */
  quantization?: TfliteQuantParams;
}

/** Time spent in one operator during the last run, when profiling is on. */
export interface TfliteProfileEntry {
  op: string;
  node: string;
  ms: number;
}

/** Options for creating a TFLite session. */
export interface TfliteSessionOptions {
  /**
   * Threads the interpreter (XNNPACK) runs on; default 1, the single-threaded build. More than 1 loads the
   * runtime's pthread build, whose threads are worker threads of the session's worker. 0: one per core.
   */
  threads?: number;
  /** Record per-operator times (see `profile`). */
  profile?: boolean;
  /** File name for error messages. */
  file?: string;
}
