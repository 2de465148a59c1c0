import type ort from 'onnxruntime-node';
import type { BenchConfig } from '../../../contract/bench';

/** The session settings Lithe exposes (a subset of ONNX Runtime's). */
export type OrtConfig = Pick<BenchConfig, 'executionProvider' | 'threads' | 'interOpThreads' | 'optLevel' | 'executionMode'>;

/** Lithe's defaults: one thread, full graph optimization, sequential execution on the CPU. */
export const DEFAULT_ORT_CONFIG: OrtConfig = {
  executionProvider: 'cpu',
  threads: 1,
  interOpThreads: 1,
  optLevel: 'all',
  executionMode: 'sequential',
};

/** Builds ONNX Runtime session options from a Lithe configuration. */
export function toSessionOptions(config: OrtConfig, extra: { profilePrefix?: string } = {}): ort.InferenceSession.SessionOptions {
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: [config.executionProvider],
    graphOptimizationLevel: config.optLevel,
    executionMode: config.executionMode,
    // 3 = errors only: ORT's warnings (e.g. about old opsets) would otherwise go straight to stderr.
    logSeverityLevel: 3,
  };
  if (config.threads > 0) options.intraOpNumThreads = config.threads;
  if (config.interOpThreads > 0) options.interOpNumThreads = config.interOpThreads;
  if (extra.profilePrefix) {
    options.enableProfiling = true;
    options.profileFilePrefix = extra.profilePrefix;
  }
  return options;
}
