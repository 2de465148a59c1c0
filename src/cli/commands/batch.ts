import { Option, type Command } from 'commander';
import { BatchItem, ModelFormat, type BatchSummary } from '../../contract';
import { runCommand } from '../engine';
import { parseShard, positive } from '../flag-parsers';
import { printJson, usageError } from '../output';

interface BatchFlags {
  out: string;
  recipe: string;
  format?: ModelFormat;
  jobs: number;
  shard?: string;
  merge?: boolean;
  json?: boolean;
}

/** `lithe batch <dir> -o <outdir>`: every model in a folder, resumable and shardable. */
export function registerBatch(program: Command): void {
  program
    .command('batch')
    .description(
      'Optimize every .onnx/.tflite under a folder (recursively) into a mirrored output tree, with a summary (JSON, CSV, HTML). ' +
        'Re-running skips models already done; --shard splits the work across machines.',
    )
    .argument('[dir]', 'folder of models (not needed with --merge)')
    .requiredOption('-o, --out <dir>', 'output folder')
    .option('-r, --recipe <name|file>', 'built-in recipe name or recipe JSON file', 'graph')
    .addOption(new Option('-f, --format <format>', 'output format (default: same as each input)').choices(ModelFormat.options))
    .option('-j, --jobs <n>', 'models optimized at once (at most the engine’s job limit: cores − 1)', positive('--jobs', true), 1)
    .option('--shard <I/N>', 'process only shard I of N (deterministic split by path)')
    .option('--merge', 'combine the shard summaries in the output folder into one summary')
    .option('--json', 'print the summary as JSON')
    .action(async (dir: string | undefined, flags: BatchFlags) => {
      const summary = flags.merge ? await runCommand('batch.merge', { outDir: flags.out }) : await runBatch(dir, flags);
      if (flags.json) printJson(summary);
      else printSummary(summary);
      if (summary.counts.failed > 0) process.exitCode = 1;
      else if (summary.items.some(fellShort)) process.exitCode = 3;
    });
}

function runBatch(dir: string | undefined, flags: BatchFlags): Promise<BatchSummary> {
  if (!dir) throw usageError('Give the folder of models to process (or --merge).');
  const args = {
    inputDir: dir,
    outDir: flags.out,
    recipe: flags.recipe,
    format: flags.format,
    jobs: flags.jobs,
    shard: flags.shard ? parseShard(flags.shard) : undefined,
  };
  return runCommand('batch.run', args, {
    bar: 'batch',
    onProgress: (progress, bar) => {
      // Each finished model comes as the progress detail: say at once which ones failed.
      const item = BatchItem.safeParse(progress.detail);
      if (!item.success || item.data.status !== 'failed' || flags.json) return;
      bar.clear();
      console.error(`  ✗ ${item.data.model}: ${item.data.reason}`);
    },
  });
}

function printSummary(summary: BatchSummary): void {
  for (const item of summary.items) {
    const mark = item.status === 'failed' ? '✗' : fellShort(item) ? '!' : item.status === 'skipped' ? '=' : '✓';
    const short = [
      item.changed === false ? 'nothing changed' : '',
      item.shortfall ?? '',
      item.undoneSteps?.length ? `undone: ${item.undoneSteps.join(', ')}` : '',
    ].filter(Boolean);
    const detail =
      item.status === 'failed'
        ? item.reason
        : `${item.inputBytes} → ${item.outputBytes} bytes, nodes ${item.nodesBefore} → ${item.nodesAfter}, results ${item.words ?? item.verification}${short.map((text) => `; ${text}`).join('')}`;
    console.log(`${mark} ${item.model}: ${detail}`);
  }
  console.log(
    `${summary.counts.done} done, ${summary.counts.skipped} already done, ${summary.counts.failed} failed — summary in ${summary.outDir}`,
  );
}

/** A model the recipe left unchanged, short of its promise, or with undone steps. */
function fellShort(item: BatchItem): boolean {
  return item.status !== 'failed' && (item.changed === false || item.shortfall !== undefined || (item.undoneSteps?.length ?? 0) > 0);
}
