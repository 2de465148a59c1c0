import { z } from 'zod';
import { FilePath, ModelFormat } from './schemas';

/** How one tensor was stored in a `.lithe` package. */
export const PackedTensor = z.object({
  name: z.string(),
  dtype: z.string(),
  dims: z.array(z.number().int()),
  bytes: z.number().int().nonnegative(),
  /** Elements as the coder read them (bytes / element width). */
  elements: z.number().int().nonnegative(),
  /** `raw`: left in the skeleton, because coding would not make it smaller. */
  coding: z.enum(['codebook', 'sparse', 'planes', 'raw']),
  /** Bytes its TENS section and table entry take (`bytes` when raw). */
  packedBytes: z.number().int().nonnegative(),
  distinct: z.number().int().nonnegative().optional(),
  zeros: z.number().int().nonnegative(),
});
export type PackedTensor = z.infer<typeof PackedTensor>;

/** Arguments of `model.pack` and `model.unpack`: read `input`, write `output` (never over the input). */
export const PackArgs = z
  .object({
    input: FilePath,
    output: FilePath,
    /** Replace `output` when it exists. */
    replace: z.boolean().default(false),
  })
  .strict();
export type PackArgs = z.infer<typeof PackArgs>;

/** What `model.pack` wrote. */
export const PackReport = z.object({
  input: z.string(),
  output: z.string(),
  format: ModelFormat,
  originalBytes: z.number().int().nonnegative(),
  packageBytes: z.number().int().nonnegative(),
  /** SHA-256 of the original file, which the package decodes back to. */
  sha256: z.string(),
  skeletonBytes: z.number().int().nonnegative(),
  tensors: z.array(PackedTensor),
  durationMs: z.number(),
});
export type PackReport = z.infer<typeof PackReport>;

/** What `model.unpack` wrote. */
export const UnpackReport = z.object({
  input: z.string(),
  output: z.string(),
  format: ModelFormat,
  packageBytes: z.number().int().nonnegative(),
  modelBytes: z.number().int().nonnegative(),
  sha256: z.string(),
  durationMs: z.number(),
});
export type UnpackReport = z.infer<typeof UnpackReport>;
