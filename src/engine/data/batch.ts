/** One batch of samples laid out for a model input: `count` samples of `sampleDims` each. */
export interface DataBatch {
  /** Sample values, `count × product(sampleDims)`, already normalized. */
  data: Float32Array;
  count: number;
  /** Class index per sample, when the data has labels. */
  labels?: Int32Array;
}

/** A data set streamed in batches, so large sets never sit in memory at once. */
export interface DataSource {
  /** Short description for reports, e.g. `IDX t10k-images-idx3-ubyte.gz (10000 samples)`. */
  description: string;
  /** Number of samples, when known. */
  count?: number;
  /** True when the samples are generated, not real data (reports must warn loudly). */
  random: boolean;
  /** True when labels come with the samples. */
  labeled: boolean;
  /** Shape of one sample (without the batch dimension). */
  sampleDims: number[];
  /** Yields batches of up to `size` samples; stops after `limit` samples when given. */
  batches(size: number, limit?: number): AsyncGenerator<DataBatch>;
}
