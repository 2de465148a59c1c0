import type { ModelFormat } from '../formats/model-io';
import type { ModelRunner } from './model-runner';
import { createOrtRunner } from './ort-runner';
import { createTfliteRunner, createTfliteRunnerLoader } from './tflite-runner';

/** How a model is opened in its runtime. */
export interface RunnerOpenOptions {
  /** Sizes for dynamic dimensions, by dimension name or `input:axis` (see planInputs). */
  dims?: Record<string, number>;
  /** File name for error messages. */
  file?: string;
}

/** Loads model bytes in the runtime for its format: onnxruntime for ONNX, the TFLite runtime for TFLite. */
export function openRunner(bytes: Uint8Array, format: ModelFormat, role: string, options: RunnerOpenOptions = {}): Promise<ModelRunner> {
  return format === 'onnx'
    ? createOrtRunner(bytes, { file: options.file, role, dims: options.dims })
    : createTfliteRunner(bytes, { file: options.file, role });
}

/**
 * Opens model after model of one format. For TFLite, runners opened one after another (each disposed before the next
 * `open`) share one worker, reloaded with each model's bytes; ONNX models each get their own session.
 */
export interface RunnerLoader {
  open(bytes: Uint8Array): Promise<ModelRunner>;
  dispose(): Promise<void>;
}

/** A {@link RunnerLoader} for `format`; `role` and `options.file` name the models in errors. */
export function createRunnerLoader(format: ModelFormat, role: string, options: RunnerOpenOptions = {}): RunnerLoader {
  if (format === 'tflite') return createTfliteRunnerLoader({ file: options.file, role });
  return { open: (bytes) => openRunner(bytes, format, role, options), dispose: async () => {} };
}
