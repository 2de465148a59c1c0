// The corpus table for people: model × operation, each cell the outcome with its measured figure, then the details of
// every unexpected cell, the reasons behind refusals, and one summary line.
import { OPERATIONS, type Measured, type Operation } from './corpus-schema';
import type { CellResult } from './run-corpus';

const SHORT: Record<Operation, string> = {
  inspect: 'inspect',
  convert: 'convert',
  graph: 'graph',
  'int8-dynamic': 'int8-dyn',
  'int8-static': 'int8-static',
  fp16: 'fp16',
  'int4-weights': 'int4-w',
  mixed: 'mixed',
};

/** Outcomes with a result, as cells show them. */
const RAN: Record<string, string> = { ok: 'ok', partial: 'part', unchanged: 'same' };

/** The figure a cell shows: `=` identical, `≈` within float rounding, `c0.9991` cosine, `e3.1e-2` error, `?` not compared. */
function figure(m: Measured): string {
  const size = m.size === undefined ? '' : ` ×${m.size.toFixed(2)}`;
  if (m.macs !== undefined) return ` ${compact(m.macs)}`;
  if (m.fidelity === 'identical') return ` =${size}`;
  if (m.fidelity === 'rounding') return ` ≈${size}`;
  if (m.fidelity === 'not-run') return ` ?${size}`;
  if (m.cosine !== undefined) return ` c${m.cosine.toFixed(4)}${size}`;
  if (m.error !== undefined) return ` e${m.error.toExponential(1)}${size}`;
  return size;
}

function cellText(cell: CellResult): string {
  const m = cell.measured;
  const base = m.outcome in RAN ? `${RAN[m.outcome]}${figure(m)}` : m.outcome;
  if (cell.judgement.status === 'unexpected') return `FAILED ${base}`;
  if (cell.judgement.status === 'new') return `new ${base}`;
  return base;
}

/** Counts for the summary line. */
export function summaryCounts(cells: readonly CellResult[]): Record<string, number> {
  const counts: Record<string, number> = { ok: 0, partial: 0, unchanged: 0, refused: 0, FAILED: 0, new: 0 };
  for (const cell of cells) {
    const key = cell.judgement.status === 'unexpected' ? 'FAILED' : cell.judgement.status === 'new' ? 'new' : cell.measured.outcome;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** The whole printout. */
export function renderCorpus(cells: readonly CellResult[]): string {
  const models = [...new Set(cells.map((cell) => cell.model))];
  const ops = OPERATIONS.filter((op) => cells.some((cell) => cell.operation === op));
  const byKey = new Map(cells.map((cell) => [`${cell.model}\u0000${cell.operation}`, cell]));
  const rows = models.map((model) => [
    shortName(model),
    ...ops.map((op) => {
      const cell = byKey.get(`${model}\u0000${op}`);
      return cell ? cellText(cell) : '';
    }),
  ]);
  const header = ['model', ...ops.map((op) => SHORT[op])];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]): string =>
    row
      .map((text, column) => text.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [line(header), widths.map((width) => '─'.repeat(width)).join('  '), ...rows.map(line)];
  out.push('', 'Legend: = identical, ≈ within float rounding, cNNN lowest cosine, eNNN largest error (independent run of both models),');
  out.push(
    '        ? not compared (a model does not run here), ×N output size ÷ input size, part = less than the recipe promises, same = it changed nothing.',
  );

  const unexpected = cells.filter((cell) => cell.judgement.status !== 'expected');
  if (unexpected.length) {
    out.push('', 'Unexpected or new:');
    for (const cell of unexpected)
      out.push(
        `  ${cell.model} · ${cell.operation}: ${cell.judgement.problems.join('; ') || `no expectation yet (${describe(cell.measured)})`}`,
      );
  }
  const reasons = new Map<string, string[]>();
  for (const cell of cells) {
    if (cell.measured.outcome === 'ok' || cell.measured.outcome === 'failed') continue;
    const why = `${cell.measured.outcome}: ${cell.measured.reason ?? '(no reason given)'}`;
    reasons.set(why, [...(reasons.get(why) ?? []), `${shortName(cell.model)} ${cell.operation}`]);
  }
  const skipped = cells.filter((cell) => cell.measured.skipped?.length);
  if (reasons.size || skipped.length) out.push('', 'Reasons:');
  for (const [why, where] of reasons) out.push(`  ${why}\n      (${where.join(', ')})`);
  for (const cell of skipped) out.push(`  ${shortName(cell.model)} ${cell.operation}: rolled back ${cell.measured.skipped?.join('; ')}`);

  const counts = summaryCounts(cells);
  out.push(
    '',
    `corpus: ${models.length} models, ${cells.length} cells: ` +
      `${counts.ok} ok, ${counts.partial} partial, ${counts.unchanged} unchanged, ${counts.refused} refused, ${counts.FAILED} FAILED, ${counts.new} new`,
  );
  return out.join('\n');
}

function describe(m: Measured): string {
  return [m.outcome, m.reason, figure(m).trim()].filter(Boolean).join(' ');
}

function shortName(model: string): string {
  return model.startsWith('npm:') ? `npm:${model.split('/').pop() ?? model}` : model;
}

function compact(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}
