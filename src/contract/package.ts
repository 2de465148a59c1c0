import { z } from 'zod';
import { FilePath, ModelFormat } from './schemas';
import { TensorSize } from './size';

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
  /** How each tensor was stored (coding `raw`: left as it is, because coding would not make it smaller). */
  tensors: z.array(TensorSize),
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
