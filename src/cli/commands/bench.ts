import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { BenchOutcome, type BenchConfig, type CompareSide, type ExecutionMode, type OptLevel } from '../../contract';
import { runCommand } from '../engine';
import { collectDim, collectValue, EXECUTION_MODES, OPT_LEVELS, parseList, parseThreads, positive, wholeNumber } from '../flag-parsers';
import { printJson, usageError } from '../output';
import { describeComparison, describeFailure, describeResult, toCsv } from './bench-format';

interface BenchFlags {
  runs?: number;
  warmup?: number;
  warmupSeconds?: number;
  duration?: number;
  threads: string;
  optLevel: string;
  executionMode: string;
  ep: string;
  dim: Record<string, number>;
  value: Record<string, number>;
  data?: string;
  seed: number;
  profile?: boolean;
  compare?: boolean;
  optimized?: boolean;
  pairs?: number;
  minEffect: number;
  json?: boolean;
  csv?: string;
}

/** The two sides of `--compare`: two models in one configuration, or one model in two configurations. */
function compareSides(models: string[], flags: BenchFlags): { a: CompareSide; b: CompareSide } {
  const threads = parseThreads(flags.threads);
  const optLevels = parseList<OptLevel>(flags.optLevel, OPT_LEVELS, '--opt-level');
  const modes = parseList<ExecutionMode>(flags.executionMode, EXECUTION_MODES, '--execution-mode');
  const eps = flags.ep.split(',').map((ep) => ep.trim());
  const config = (i: number): BenchConfig => ({
    runtime: 'onnxruntime',
    executionProvider: nthOrLast(eps, i),
    threads: nthOrLast(threads, i),
    interOpThreads: 1,
    optLevel: nthOrLast(optLevels, i),
    executionMode: nthOrLast(modes, i),
  });
  const varied = [threads, optLevels, modes, eps].filter((list) => list.length > 1);
  const [first, second, ...more] = models;
  if (first !== undefined && second !== undefined && more.length === 0 && varied.length === 0)
    return { a: { model: first, config: config(0) }, b: { model: second, config: config(0) } };
  if (first !== undefined && second === undefined && varied.length === 1 && varied[0]?.length === 2)
    return { a: { model: first, config: config(0) }, b: { model: first, config: config(1) } };
  throw usageError(
    '--compare needs two models (A, the baseline, then B) in one configuration, or one model and exactly two values of one setting (e.g. --threads 1,2)',
  );
}

/** The i-th value of a list the flag parsers filled, or its last when the list is shorter. */
function nthOrLast<T>(list: readonly T[], i: number): T {
  const value = list[Math.min(i, list.length - 1)];
  if (value === undefined) throw new Error('a bench flag parsed to an empty list');
  return value;
}

async function compare(models: string[], flags: BenchFlags): Promise<void> {
  const sides = compareSides(models, flags);
  const args = {
    ...sides,
    pairs: flags.pairs ?? flags.runs ?? 300,
    warmupRuns: flags.warmup ?? 20,
    minEffect: flags.minEffect,
    bIsOptimized: flags.optimized ?? false,
    inputs: { dims: flags.dim, values: flags.value, seed: flags.seed, dataFolder: flags.data },
  };
  const result = await runCommand('bench.compare', args, { bar: 'compare' });
  if (flags.json) printJson(result);
  else console.log(describeComparison(result));
}

async function bench(models: string[], flags: BenchFlags): Promise<void> {
  if (flags.compare) return compare(models, flags);
  const args = {
    models,
    sweep: {
      executionProviders: flags.ep.split(',').map((ep) => ep.trim()),
      threads: parseThreads(flags.threads),
      optLevels: parseList<OptLevel>(flags.optLevel, OPT_LEVELS, '--opt-level'),
      executionModes: parseList<ExecutionMode>(flags.executionMode, EXECUTION_MODES, '--execution-mode'),
    },
    plan: {
      runs: flags.runs ?? 100,
      warmupRuns: flags.warmup ?? 10,
      warmupSeconds: flags.warmupSeconds,
      durationSeconds: flags.duration,
      profile: flags.profile ?? false,
    },
    inputs: { dims: flags.dim, values: flags.value, seed: flags.seed, dataFolder: flags.data },
  };
  const outcome = await runCommand('bench.run', args, {
    bar: 'bench',
    onProgress: (progress, bar) => {
      // Each measured configuration comes as the progress detail: print it at once.
      const done = BenchOutcome.safeParse(progress.detail);
      if (!done.success || flags.json) return;
      bar.clear();
      console.log('result' in done.data ? describeResult(done.data.result) : describeFailure(done.data.failure));
    },
  });
  if (flags.csv) writeFileSync(flags.csv, toCsv(outcome.results, outcome.failures));
  if (flags.json) printJson(outcome);
  if (outcome.failures.length > 0) process.exitCode = 1;
}

/** `lithe bench <model…>`: latency, throughput and memory on this machine; sweeps; A/B comparison. */
export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('Measure models on this machine: latency percentiles, throughput, memory; sweep threads and settings; compare two models.')
    .argument('<models...>', 'ONNX model files')
    .option('--runs <n>', 'measured runs per configuration (100)', positive('--runs', true))
    .option('--warmup <n>', 'warm-up runs before measuring (10)', wholeNumber('--warmup'))
    .option('--warmup-seconds <s>', 'warm up for this long instead of a count', positive('--warmup-seconds', false))
    .option('--duration <s>', 'measure for this long instead of a count of runs', positive('--duration', false))
    .option('--threads <list>', 'intra-op threads to sweep: 1,2,4 or 1-4 or max', '1')
    .option('--opt-level <list>', `graph optimization levels to sweep: ${OPT_LEVELS.join(',')}`, 'all')
    .option('--execution-mode <list>', `execution modes to sweep: ${EXECUTION_MODES.join(',')}`, 'sequential')
    .option('--ep <list>', 'ONNX Runtime execution providers to sweep (cpu, webgpu, …)', 'cpu')
    .option('--dim <name=value>', 'size of a dynamic dimension, by name (N=1) or input:axis (x:2=48); repeatable', collectDim, {})
    .option('--value <input=number>', 'fill an input with a constant instead of random values (sr=16000); repeatable', collectValue, {})
    .option('--data <folder>', 'feed real inputs from a folder of ONNX test data (input_0.pb, …) instead of generated ones')
    .option('--seed <n>', 'seed of the generated inputs', wholeNumber('--seed'), 1)
    .option('--profile', 'add a per-operator profile (time by operator type and by node)')
    .option(
      '--compare',
      'A/B with interleaved runs: the second model (B) against the first (A), or one model in two settings (e.g. --threads 1,2)',
    )
    .option('--optimized', 'with --compare: B is an optimized version of A (warn if it is slower)')
    .option('--pairs <n>', 'with --compare: interleaved pairs of runs (300)', positive('--pairs', true))
    .option('--min-effect <fraction>', 'with --compare: smallest difference called significant', positive('--min-effect', false), 0.05)
    .option('--json', 'print JSON')
    .option('--csv <file>', 'also write the results as CSV')
    .action(bench);
}
