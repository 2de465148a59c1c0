import type { Command } from 'commander';
import { LitheError } from '../../engine/errors';
import { evaluateModel, type EvaluateReport } from '../../engine/evaluate';
import { formatBytes, printJson } from '../output';
import { progressBar } from '../progress-bar';

interface EvalOptions {
  data?: string;
  labels?: string;
  normalize?: string;
  reference?: string;
  limit?: string;
  batch?: string;
  layers: boolean;
  json?: boolean;
}

/** `lithe eval <model> --data <path>`: accuracy on labelled data, fidelity and per-layer error against a reference. */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description(
      'Measure a model on data: top-1/top-5 accuracy when the data has labels; with --reference, how closely it follows that ' +
        'model (top-1 agreement, cosine, SQNR, max error) and the error of each layer.',
    )
    .argument('<model>', 'the .onnx or .tflite model')
    .option('-d, --data <path>', 'a folder of images (class subfolders = labels), MNIST-style IDX file, .npy/.npz, or raw float32 .bin')
    .option('-l, --labels <path>', 'labels: IDX labels file, .npy, or text with one class number per line')
    .option('-n, --normalize <preset>', 'pixel normalization: 0-1 (default), -1-1, imagenet, raw, or mean=…;std=…')
    .option('--reference <model>', 'the model to compare with (e.g. the float original)')
    .option('--limit <n>', 'use at most n samples')
    .option('--batch <n>', 'samples per run (default 100)')
    .option('--no-layers', 'skip the per-layer error')
    .option('--json', 'print the report as JSON')
    .action(async (model: string, options: EvalOptions) => {
      const bar = progressBar('eval');
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      let report: EvaluateReport;
      try {
        report = await evaluateModel(
          {
            model,
            data: options.data,
            labels: options.labels,
            normalize: options.normalize,
            reference: options.reference,
            limit: positive(options.limit, '--limit'),
            batchSize: positive(options.batch, '--batch'),
            perLayer: options.layers,
          },
          { onProgress: bar.update, signal: controller.signal },
        );
      } finally {
        bar.done();
      }
      if (options.json) return printJson(report);
      printEval(report);
    });
}

function positive(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new LitheError('invalid-argument', `${flag} must be a positive whole number, not "${text}".`);
  return value;
}

function percent(value: number): string {
  return `${(value * 100).toFixed(2)} %`;
}

function printEval(report: EvaluateReport): void {
  console.log(`${report.model.path} (${formatBytes(report.model.sizeBytes)})`);
  console.log(`  data        ${report.data.description}, ${report.data.samples} used`);
  if (report.accuracy)
    console.log(
      `  accuracy    top-1 ${percent(report.accuracy.top1)}, top-5 ${percent(report.accuracy.top5)} (${report.accuracy.correct}/${report.accuracy.total})`,
    );
  if (report.reference?.accuracy) console.log(`  reference   top-1 ${percent(report.reference.accuracy.top1)} (${report.reference.path})`);
  const f = report.fidelity;
  if (f)
    console.log(
      `  fidelity    top-1 agreement ${percent(f.top1Agreement)}, cosine ${f.cosine.toFixed(5)} (min ${f.cosineMin.toFixed(5)}), SQNR ${f.sqnrDb.toFixed(1)} dB, max error ${f.maxAbs.toPrecision(3)}`,
    );
  if (report.layers?.length) {
    console.log('  layers      (worst first)');
    for (const layer of report.layers.slice(0, 20))
      console.log(
        `    ${layer.sqnrDb.toFixed(1).padStart(6)} dB  cos ${layer.cosine.toFixed(5)}  ${layer.opType.padEnd(8)} ${layer.node}${layer.quantized ? '' : '  (float)'}`,
      );
    if (report.layers.length > 20) console.log(`    … ${report.layers.length - 20} more (--json lists all)`);
  }
  for (const warning of report.warnings) console.log(`  note        ${warning}`);
}
