import type { BenchConfig, BenchSweep } from '../../contract/bench';

/** Every combination of a sweep, in a stable order (provider, optimization, mode, threads). */
export function expandSweep(sweep: BenchSweep): BenchConfig[] {
  const configs: BenchConfig[] = [];
  for (const executionProvider of sweep.executionProviders)
    for (const optLevel of sweep.optLevels)
      for (const executionMode of sweep.executionModes)
        for (const threads of sweep.threads)
          configs.push({ runtime: 'onnxruntime', executionProvider, threads, interOpThreads: 1, optLevel, executionMode });
  return configs;
}
