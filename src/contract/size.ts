import { z } from 'zod';

/** One tensor of a model as the size report sees it (Deep Compression's per-layer table). */
export const TensorSize = z.object({
  name: z.string(),
  dtype: z.string(),
  dims: z.array(z.number().int()),
  elements: z.number().int(),
  bytes: z.number().int(),
  /** Elements whose bytes are all zero (pruned weights). */
  zeros: z.number().int(),
  /** Distinct values (absent when there are too many to count). */
  distinct: z.number().int().optional(),
  /** Order-0 entropy of the values plus the bytes of the distinct values, capped at `bytes`. */
  entropyBytes: z.number(),
  /** Bytes the tensor takes in the `.lithe` package. */
  packageBytes: z.number().int(),
  /** How the package stores it (`raw`: as it is, because coding would not make it smaller). */
  coding: z.enum(['codebook', 'sparse', 'planes', 'sparse-planes', 'raw']),
});
export type TensorSize = z.infer<typeof TensorSize>;

/** How small a model file is, measured several ways, and the memory it needs at run time. */
export const SizeReport = z.object({
  fileBytes: z.number().int(),
  gzipBytes: z.number().int(),
  brotliBytes: z.number().int(),
  zstdBytes: z.number().int(),
  /** The `.lithe` package (absent when the model cannot be packed, see `litheUnavailable`). */
  litheBytes: z.number().int().optional(),
  litheUnavailable: z.string().optional(),
  /** The settings used, e.g. `gzip -9 (node:zlib)`. */
  compressors: z.object({ gzip: z.string(), brotli: z.string(), zstd: z.string() }),
  /** Tensor data in the file, and the rest (graph, names, metadata). */
  weights: z.object({ bytes: z.number().int(), elements: z.number().int(), zeros: z.number().int(), entropyBytes: z.number() }),
  otherBytes: z.number().int(),
  /** Memory at run time (estimated from the graph): weights as the runtime holds them, largest activations. */
  ram: z.object({
    weightBytes: z.number().int(),
    peakActivationBytes: z.number().int(),
    sparseTensors: z.number().int(),
    note: z.string(),
  }),
  tensors: z.array(TensorSize),
});
export type SizeReport = z.infer<typeof SizeReport>;
