import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LitheError } from '../errors';
import { BatchSummary, type BatchItem } from '../../contract';
import { countItems } from './optimize-folder';
import { writeSummaryFiles } from './summary-files';

/** Combines the shard summaries found in `outDir` into one `batch-summary.*`; refuses mixed recipes or missing shards. */
export async function mergeSummaries(outDir: string): Promise<BatchSummary> {
  const dir = resolve(outDir);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => /^batch-summary\.shard-\d+-of-\d+\.json$/.test(name));
  if (names.length === 0)
    throw new LitheError('not-found', 'There are no shard summaries (batch-summary.shard-I-of-N.json) to merge here.', { file: dir });
  const shards: BatchSummary[] = [];
  for (const name of names) shards.push(await readSummary(join(dir, name)));
  const [first] = shards;
  if (!first) throw new LitheError('internal', 'No shard summary was read.', { file: dir });
  const count = first.shard?.count ?? 0;
  if (shards.some((shard) => shard.recipe !== first.recipe || shard.shard?.count !== count)) {
    throw new LitheError('invalid-argument', 'These shard summaries come from different batches (recipe or shard count differ).', {
      file: dir,
    });
  }
  const present = new Set(shards.map((shard) => shard.shard?.index));
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !present.has(index));
  if (missing.length)
    throw new LitheError(
      'invalid-argument',
      `Shards ${missing.map((i) => `${i}/${count}`).join(', ')} have not finished yet (no summary).`,
      { file: dir },
    );
  const items: BatchItem[] = shards.flatMap((shard) => shard.items).sort((a, b) => a.model.localeCompare(b.model));
  const merged: BatchSummary = {
    schema: 'lithe.batch/1',
    inputDir: first.inputDir,
    outDir: dir,
    recipe: first.recipe,
    ...(first.format ? { format: first.format } : {}),
    startedAt: shards.map((shard) => shard.startedAt).sort()[0] ?? first.startedAt,
    finishedAt:
      shards
        .map((shard) => shard.finishedAt)
        .sort()
        .at(-1) ?? first.finishedAt,
    counts: countItems(items),
    items,
  };
  await writeSummaryFiles(merged);
  return merged;
}

/** One shard's summary, checked against the contract's schema. */
async function readSummary(file: string): Promise<BatchSummary> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new LitheError('unreadable', `Cannot read this shard summary (${error instanceof Error ? error.message : String(error)}).`, {
      file,
      cause: error,
    });
  }
  const parsed = BatchSummary.safeParse(json);
  if (!parsed.success) throw new LitheError('invalid-argument', 'This is not a Lithe batch summary.', { file });
  return parsed.data;
}
