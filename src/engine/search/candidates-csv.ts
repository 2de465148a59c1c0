import type { SearchCandidate } from '../../contract/search';

// candidates.csv: one row per candidate, the numbers of candidates.json flattened for a spreadsheet.

const COLUMNS = [
  'id',
  'title',
  'recipe',
  'status',
  'size_bytes',
  'size_ratio',
  'cosine',
  'top1_accuracy',
  'original_top1_accuracy',
  'speed_ratio',
  'ratio_low',
  'ratio_high',
  'verdict',
  'original_median_ms',
  'candidate_median_ms',
  'pairs',
  'threads',
  'device_latency_ms',
  'device_fits',
  'model',
  'note',
] as const;

function cell(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The CSV text of `candidates`; sizes relative to `originalBytes`. */
export function candidatesCsv(candidates: readonly SearchCandidate[], originalBytes: number): string {
  const rows = candidates.map((c) =>
    [
      c.id,
      c.title,
      c.recipe,
      c.status,
      c.sizeBytes,
      originalBytes > 0 ? (c.sizeBytes / originalBytes).toFixed(4) : undefined,
      c.fidelity?.cosine,
      c.accuracy?.top1,
      c.accuracy?.originalTop1,
      c.speed?.ratio.toFixed(4),
      c.speed?.low.toFixed(4),
      c.speed?.high.toFixed(4),
      c.speed?.verdict,
      c.speed?.originalMedianMs.toFixed(4),
      c.speed?.candidateMedianMs.toFixed(4),
      c.speed?.pairs,
      c.threads,
      c.device?.latencyMs.expected.toFixed(3),
      c.device ? c.device.fitsRam && c.device.fitsStorage : undefined,
      c.model,
      c.note,
    ]
      .map(cell)
      .join(','),
  );
  return `${[COLUMNS.join(','), ...rows].join('\n')}\n`;
}
