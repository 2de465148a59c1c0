import type { BenchCompareResult, BenchFailure, BenchResult } from '../../contract';
import { formatBytes } from '../output';

const ms = (value: number): string =>
  value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value >= 1 ? value.toFixed(2) : value.toFixed(3);

/** A human summary of one benchmark result. */
export function describeResult(result: BenchResult): string {
  const l = result.latencyMs;
  const lines = [
    `${result.modelName}  ${result.runtime}/${result.executionProvider}  threads ${result.threads}${result.runtime === 'onnxruntime' ? `  opt ${result.optLevel}  ${result.executionMode}` : ''}`,
    `  latency ms  p50 ${ms(l.p50)}  p90 ${ms(l.p90)}  p95 ${ms(l.p95)}  p99 ${ms(l.p99)}  min ${ms(l.min)}  max ${ms(l.max)}  mean ${ms(l.mean)} ± ${ms(l.std)}`,
    `  throughput ${result.throughput.toFixed(1)}/s over ${result.runs} runs (warm-up ${result.warmupRuns})  init ${ms(result.initMs)} ms  first ${ms(result.firstMs)} ms`,
    `  memory  peak RSS ${formatBytes(result.peakRssBytes)}${result.isolation === 'process' ? ' (own process)' : ' (shared process)'}` +
      `  model load +${formatBytes(Math.max(0, result.modelLoadRssBytes))}  runtime baseline ${formatBytes(result.baselineRssBytes)}`,
  ];
  for (const input of result.inputs)
    if (input.assumed.length > 0)
      lines.push(`  input ${input.name} ${input.dtype}[${input.shape.join(',')}]  assumed: ${input.assumed.join('; ')}`);
  if (result.profile) {
    lines.push(`  per-operator profile (${result.profile.runs} runs, ${ms(result.profile.totalMs)} ms of operator time per run):`);
    for (const op of result.profile.byOpType.slice(0, 8))
      lines.push(`    ${op.opType.padEnd(24)} ${ms(op.meanMs).padStart(8)} ms  ${(op.share * 100).toFixed(1).padStart(5)} %  ×${op.count}`);
    lines.push('  slowest nodes:');
    for (const node of result.profile.byNode.slice(0, 5))
      lines.push(`    ${node.name.slice(0, 40).padEnd(40)} ${node.opType.padEnd(16)} ${ms(node.meanMs).padStart(8)} ms`);
  }
  return lines.join('\n');
}

/** A human line for a failure. */
export function describeFailure(failure: BenchFailure): string {
  const config = failure.config?.runtime === 'onnxruntime' ? ` (threads ${failure.config.threads}, opt ${failure.config.optLevel})` : '';
  return `FAILED${config}: ${failure.message.includes(failure.model) ? failure.message : `${failure.model}: ${failure.message}`}`;
}

/** A human summary of an A/B comparison. */
export function describeComparison(result: BenchCompareResult): string {
  const lines = [
    `A  ${result.a.modelName}  p50 ${ms(result.a.latencyMs.p50)} ms  (threads ${result.a.config.threads}, opt ${result.a.config.optLevel})`,
    `B  ${result.b.modelName}  p50 ${ms(result.b.latencyMs.p50)} ms  (threads ${result.b.config.threads}, opt ${result.b.config.optLevel})`,
    `${result.pairs} interleaved pairs.  Verdict: ${result.verdict.replaceAll('-', ' ').toUpperCase()}`,
    result.summary,
  ];
  if (result.warning) {
    lines.push('', `WARNING: ${result.warning.message}`, 'Likely causes:');
    for (const cause of result.warning.likelyCauses) lines.push(`  - ${cause}`);
  }
  return lines.join('\n');
}

const CSV_COLUMNS = [
  'model',
  'runtime',
  'executionProvider',
  'threads',
  'optLevel',
  'executionMode',
  'runs',
  'initMs',
  'firstMs',
  'min',
  'mean',
  'p50',
  'p90',
  'p95',
  'p99',
  'max',
  'std',
  'throughput',
  'peakRssBytes',
  'modelLoadRssBytes',
  'error',
] as const;

const csvCell = (value: string | number): string => {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** Results and failures as CSV, one row per model × configuration. */
export function toCsv(results: readonly BenchResult[], failures: readonly BenchFailure[]): string {
  const rows = results.map((r) => [
    r.model,
    r.runtime,
    r.executionProvider,
    r.threads,
    r.optLevel,
    r.executionMode,
    r.runs,
    r.initMs,
    r.firstMs,
    r.latencyMs.min,
    r.latencyMs.mean,
    r.latencyMs.p50,
    r.latencyMs.p90,
    r.latencyMs.p95,
    r.latencyMs.p99,
    r.latencyMs.max,
    r.latencyMs.std,
    r.throughput,
    r.peakRssBytes,
    r.modelLoadRssBytes,
    '',
  ]);
  for (const f of failures)
    rows.push([
      f.model,
      f.config?.runtime ?? '',
      f.config?.executionProvider ?? '',
      f.config?.threads ?? '',
      f.config?.optLevel ?? '',
      f.config?.executionMode ?? '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      f.message,
    ]);
  return [CSV_COLUMNS.join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\n') + '\n';
}
