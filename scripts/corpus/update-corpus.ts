// `--update` and `--accept`: write measured figures (and expectations for cells that had none) back into the file.
import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import type { CorpusEntry, CorpusFile, Expectation, Measured, Operation } from './corpus-schema';
import type { CellResult } from './run-corpus';

/**
 * Returns the corpus with each run cell's `measured` replaced. Cells without an expectation get one from what was
 * measured; with `accept`, so do cells whose outcome was unexpected (never failures, timeouts or broken rules).
 */
export function updatedCorpus(corpus: CorpusFile, cells: readonly CellResult[], accept: boolean): CorpusFile {
  const entries = new Map<string, CorpusEntry>(corpus.models.map((entry) => [entry.model, structuredClone(entry)]));
  for (const cell of cells) {
    let entry = entries.get(cell.model);
    if (!entry) {
      entry = { model: cell.model, ops: {} };
      entries.set(cell.model, entry);
    }
    const previous = entry.ops[cell.operation];
    const acceptable = cell.measured.outcome !== 'failed' && cell.measured.outcome !== 'timeout';
    const replace = acceptable && (!previous || (accept && cell.judgement.status === 'unexpected'));
    const base: Expectation = replace ? expectationFrom(cell.operation, cell.measured, previous) : (previous ?? { expect: 'ok' });
    if (!previous && !replace) continue;
    entry.ops[cell.operation] = { ...base, measured: cell.measured };
  }
  return { ...corpus, models: [...entries.values()] };
}

/** Writes the corpus file formatted as the repository formats JSON. */
export async function writeCorpus(path: string, corpus: CorpusFile): Promise<void> {
  const options = (await resolveConfig(path)) ?? {};
  writeFileSync(path, await format(JSON.stringify(corpus, null, 2), { ...options, parser: 'json' }));
}

/** An expectation that holds what was measured, with some room for noise (the file is then edited by people). */
function expectationFrom(operation: Operation, m: Measured, previous: Expectation | undefined): Expectation {
  const e: Expectation = { expect: m.outcome === 'failed' || m.outcome === 'timeout' ? 'ok' : m.outcome };
  if (previous?.note) e.note = previous.note;
  if (m.outcome !== 'ok' && m.reason !== undefined) e.reason = m.reason;
  if (m.outcome === 'ok' || m.outcome === 'partial' || m.outcome === 'unchanged') {
    if (m.fidelity === 'identical' || m.fidelity === 'rounding') e.exact = true;
    else if (m.fidelity !== 'not-run') {
      if (m.cosine !== undefined) e.cosine = Math.floor((1 - (1 - m.cosine) * 2) * 1e4) / 1e4;
      if (m.error !== undefined) e.error = Number((m.error * 2).toPrecision(2));
    }
    if (m.size !== undefined && operation !== 'inspect') e.size = operation === 'graph' ? 1 : Math.ceil((m.size + 0.01) * 100) / 100;
    if (m.skipped?.length) e.skipped = m.skipped.map((step) => step.split(':')[0] ?? step);
  }
  return e;
}
