import { z } from 'zod';
import { FilePath } from './schemas';

/** Arguments of `data.check`: example data for a model, checked before any run starts. */
export const DataCheckArgs = z
  .object({
    model: FilePath,
    /** Image folder, a folder with MNIST-style IDX files, an IDX file, .npy/.npz or raw float32. */
    data: FilePath,
    labels: FilePath.optional(),
    normalize: z.string().min(1).max(256).optional(),
  })
  .strict();
export type DataCheckArgs = z.infer<typeof DataCheckArgs>;

/** A few samples as small pictures: grey or RGB values 0–255, row by row. */
export const SamplePreview = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  channels: z.union([z.literal(1), z.literal(3)]),
  pixels: z.array(z.number().int().min(0).max(255)),
  /** The sample's class, when the data has labels. */
  label: z.number().int().optional(),
});
export type SamplePreview = z.infer<typeof SamplePreview>;

/** What `data.check` found: usable or not (with the reason), how many samples, labels, shapes, a preview. */
export const DataCheck = z.object({
  ok: z.boolean(),
  /** The file or folder the data is read from (inside a folder: the file Lithe picked). */
  path: z.string(),
  /** Why the data cannot be used with this model, in words. */
  problem: z.string().optional(),
  description: z.string().optional(),
  samples: z.number().int().nonnegative().optional(),
  /** True when the right answers (labels) come with the samples. */
  labeled: z.boolean(),
  /** One sample's shape as laid out for the model (empty when the data cannot be used), and the model input's (0 = any size). */
  sampleShape: z.array(z.number().int()),
  modelShape: z.array(z.number().int()),
  /** What Lithe chose or assumed ("Using t10k-images-idx3-ubyte.gz and its labels from this folder"). */
  notes: z.array(z.string()),
  preview: z.array(SamplePreview),
});
export type DataCheck = z.infer<typeof DataCheck>;
