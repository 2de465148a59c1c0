import type { BenchRunResult } from '../../../contract';

const COLUMNS = ['model', 'runtime', 'executionProvider', 'threads', 'optLevel', 'executionMode', 'runs', 'initMs', 'firstMs'] as const;
const LATENCY = ['min', 'mean', 'p50', 'p90', 'p95', 'p99', 'max', 'std'] as const;

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV row per model × configuration, latencies in milliseconds. */
export function benchToCsv(result: BenchRunResult): string {
  const header = [...COLUMNS, ...LATENCY.map((key) => `${key}Ms`), 'throughput', 'peakRssBytes'];
  const rows = result.results.map((entry) => [
    ...COLUMNS.map((key) => entry[key]),
    ...LATENCY.map((key) => entry.latencyMs[key]),
    entry.throughput,
    entry.peakRssBytes,
  ]);
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

/** Saves text as a file through the browser's download. */
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
