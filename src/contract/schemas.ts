import { z } from 'zod';

/** Model file formats Lithe recognises by content. */
export const ModelFormat = z.enum(['onnx', 'tflite']);
export type ModelFormat = z.infer<typeof ModelFormat>;

/** An absolute or relative file-system path, as typed or picked by the user. */
export const FilePath = z.string().min(1, 'A path is required.').max(4096, 'The path is too long.');

/** Facts about a file, learned from its content (not its name). */
export const FileFacts = z.object({
  path: z.string(),
  name: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  format: ModelFormat.nullable(),
  /** Why the file is not a model, when `format` is null. */
  reason: z.string().optional(),
});
export type FileFacts = z.infer<typeof FileFacts>;

/** Versions and capabilities of the running Lithe. */
export const AppInfo = z.object({
  version: z.string(),
  /** Which host the engine serves: the desktop app, the web host (`lithe serve`) or the command line. */
  host: z.enum(['electron', 'web', 'cli']),
  node: z.string(),
  platform: z.string(),
  arch: z.string(),
  cpus: z.number().int(),
  runtimes: z.array(z.object({ id: z.string(), name: z.string(), available: z.boolean() })),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** Progress of a running command. `fraction` is in [0, 1] when known. */
export const Progress = z.object({
  stage: z.string(),
  fraction: z.number().min(0).max(1).optional(),
  message: z.string().optional(),
  /** Structured detail of the step just finished (e.g. one model of a batch), shape depends on the command. */
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type Progress = z.infer<typeof Progress>;
