import type { Command } from 'commander';
import type { EvaluateReport } from '../../contract';
import { runCommand } from '../engine';
import { positive } from '../flag-parsers';
import { formatBytes, printJson } from '../output';

interface EvalFlags {
  data?: string;
  labels?: string;
  normalize?: string;
  reference?: string;
  limit?: number;
  batch?: number;
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
    .option('--limit <n>', 'use at most n samples', positive('--limit', true))
    .option('--batch <n>', 'samples per run (default 100)', positive('--batch', true))
    .option('--no-layers', 'skip the per-layer error')
    .option('--json', 'print the report as JSON')
    .action(async (model: string, flags: EvalFlags) => {
      const args = {
        model,
        data: flags.data,
        labels: flags.labels,
        normalize: flags.normalize,
        reference: flags.reference,
        limit: flags.limit,
        batchSize: flags.batch,
        perLayer: flags.layers,
      };
      // The measurement runs as a job in a worker, like every engine command.
      const report = await runCommand('eval.run', args, { bar: 'eval' });
      if (flags.json) return printJson(report);
      printEval(report);
    });
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
