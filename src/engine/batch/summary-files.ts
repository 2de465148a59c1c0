import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { LitheError } from '../errors';
import { writeProblem } from '../files/write-failure';
import { join } from 'node:path';
import { escapeHtml } from '../optimize/html-escape';
import type { BatchItem, BatchSummary } from '../../contract';

/** Base name of a summary's files: `batch-summary` or `batch-summary.shard-I-of-N`. */
export function summaryBaseName(summary: Pick<BatchSummary, 'shard'>): string {
  return summary.shard ? `batch-summary.shard-${summary.shard.index}-of-${summary.shard.count}` : 'batch-summary';
}

/** Writes the summary as JSON, CSV and an HTML leaderboard into the batch's output folder (each atomically). */
export async function writeSummaryFiles(summary: BatchSummary): Promise<void> {
  const base = join(summary.outDir, summaryBaseName(summary));
  // A batch with no models (or none that got a run folder) has not made its output folder yet.
  await mkdir(summary.outDir, { recursive: true }).catch((error: unknown) => {
    throw new LitheError('write-failed', `the batch's output folder could not be made: ${writeProblem(error)}`, { file: summary.outDir });
  });
  await writeAtomically(`${base}.json`, `${JSON.stringify(summary, null, 2)}\n`);
  await writeAtomically(`${base}.csv`, summaryCsv(summary.items));
  await writeAtomically(`${base}.html`, summaryHtml(summary));
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new LitheError('write-failed', `the batch summary could not be written: ${writeProblem(error)}`, { file: path, cause: error });
  }
}

const COLUMNS: Array<keyof BatchItem> = [
  'model',
  'status',
  'inputBytes',
  'outputBytes',
  'nodesBefore',
  'nodesAfter',
  'verification',
  'relativeError',
  'cosine',
  'words',
  'changed',
  'shortfall',
  'undoneSteps',
  'durationMs',
  'reason',
  'runDir',
];

/** One CSV row per model, with a header. */
export function summaryCsv(items: readonly BatchItem[]): string {
  const cell = (value: unknown): string => {
    const text = value === undefined ? '' : String(value);
    return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return `${[COLUMNS.join(','), ...items.map((item) => COLUMNS.map((column) => cell(item[column])).join(','))].join('\n')}\n`;
}

/** The columns of the HTML table, one per cell of a row below. */
const HTML_COLUMNS = ['Model', 'Status', 'Before', 'After', 'Smaller by', 'Nodes', 'Results', 'Problem'];

/** A self-contained HTML leaderboard: models ranked by size reduction, failures listed with reasons. */
export function summaryHtml(summary: BatchSummary): string {
  const ranked = [...summary.items].sort((a, b) => reduction(b) - reduction(a));
  const kb = (bytes: number | undefined): string => (bytes === undefined ? '—' : `${(bytes / 1000).toFixed(1)} KB`);
  const rows = ranked
    .map(
      (
        item,
      ) => `<tr class="${item.status}"><td>${escapeHtml(item.model)}</td><td>${item.status}</td><td>${kb(item.inputBytes)}</td><td>${kb(item.outputBytes)}</td>
<td>${item.inputBytes && item.outputBytes ? `${((1 - item.outputBytes / item.inputBytes) * 100).toFixed(1)} %` : '—'}</td>
<td>${item.nodesBefore ?? '—'} → ${item.nodesAfter ?? '—'}</td><td>${escapeHtml(item.words ?? item.verification ?? '—')}</td>
<td>${escapeHtml(problemOf(item))}</td></tr>`,
    )
    .join('\n');
  const facts = [
    `${escapeHtml(summary.inputDir)} → ${escapeHtml(summary.outDir)}`,
    `recipe ${escapeHtml(summary.recipe)}`,
    ...(summary.shard ? [`shard ${summary.shard.index}/${summary.shard.count}`] : []),
    `${summary.counts.done} done, ${summary.counts.skipped} already done, ${summary.counts.failed} failed`,
  ].join(' · ');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lithe batch — ${escapeHtml(summary.recipe)}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:24px;color:#1c2330}table{border-collapse:collapse;width:100%}td,th{padding:6px 8px;border-bottom:1px solid #e5e7eb;text-align:left}
tr.failed td{background:#fef2f2}tr.skipped td{color:#555}.muted{color:#667}</style></head><body>
<h1>Batch results</h1>
<p class="muted">${facts}</p>
<table><thead><tr>${HTML_COLUMNS.map((column) => `<th>${column}</th>`).join('')}</tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
}

/** What went wrong or fell short for one model, in words. */
function problemOf(item: BatchItem): string {
  const undone = item.undoneSteps?.length ? ` (undone: ${item.undoneSteps.join(', ')})` : '';
  return `${item.reason ?? item.shortfall ?? (item.changed === false ? 'nothing changed' : '')}${undone}`;
}

function reduction(item: BatchItem): number {
  return item.inputBytes && item.outputBytes ? 1 - item.outputBytes / item.inputBytes : -Infinity;
}
