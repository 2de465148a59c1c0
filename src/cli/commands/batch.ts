import type { Command } from 'commander';
import { runBatch } from '../../engine/batch/run-batch';
import { mergeSummaries } from '../../engine/batch/merge-summaries';
import { parseShard } from '../../engine/batch/shard';
import type { BatchSummary } from '../../engine/batch/batch-types';
import { LitheError } from '../../engine/errors';
import { printJson } from '../output';
import { progressBar } from '../progress-bar';

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
    .option('-f, --format <format>', 'output format: onnx or tflite (default: same as each input)')
    .option('-j, --jobs <n>', 'models optimized at once', '1')
    .option('--shard <I/N>', 'process only shard I of N (deterministic split by path)')
    .option('--merge', 'combine the shard summaries in the output folder into one summary')
    .option('--json', 'print the summary as JSON')
    .action(
      async (
        dir: string | undefined,
        options: { out: string; recipe: string; format?: string; jobs: string; shard?: string; merge?: boolean; json?: boolean },
      ) => {
        let summary: BatchSummary;
        if (options.merge) summary = await mergeSummaries(options.out);
        else {
          if (!dir) throw new LitheError('invalid-argument', 'Give the folder of models to process (or --merge).');
          const jobs = Number(options.jobs);
          if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64)
            throw new LitheError('invalid-argument', `--jobs must be a whole number from 1 to 64, not "${options.jobs}".`);
          if (options.format !== undefined && options.format !== 'onnx' && options.format !== 'tflite') {
            throw new LitheError('invalid-argument', `--format must be onnx or tflite, not "${options.format}".`);
          }
          const bar = progressBar('batch');
          const controller = new AbortController();
          process.once('SIGINT', () => controller.abort());
          try {
            summary = await runBatch(
              {
                inputDir: dir,
                outDir: options.out,
                recipe: options.recipe,
                format: options.format,
                jobs,
                shard: options.shard ? parseShard(options.shard) : undefined,
              },
              {
                signal: controller.signal,
                onProgress: bar.update,
                onItem: ({ last }) => {
                  if (last?.status === 'failed' && !options.json) {
                    bar.done();
                    console.error(`  ✗ ${last.model}: ${last.reason}`);
                  }
                },
              },
            );
          } finally {
            bar.done();
          }
        }
        if (options.json) printJson(summary);
        else {
          for (const item of summary.items) {
            const mark = item.status === 'failed' ? '✗' : item.status === 'skipped' ? '=' : '✓';
            const detail =
              item.status === 'failed'
                ? item.reason
                : `${item.inputBytes} → ${item.outputBytes} bytes, nodes ${item.nodesBefore} → ${item.nodesAfter}, results ${item.verification}`;
            console.log(`${mark} ${item.model}: ${detail}`);
          }
          console.log(
            `${summary.counts.done} done, ${summary.counts.skipped} already done, ${summary.counts.failed} failed — summary in ${summary.outDir}`,
          );
        }
        if (summary.counts.failed > 0) process.exitCode = 1;
      },
    );
}
