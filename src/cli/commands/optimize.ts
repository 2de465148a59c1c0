import type { Command } from 'commander';
import type { OptimizeReport } from '../../contract';
import { LitheError } from '../../engine/errors';
import { JobRunner } from '../../engine/jobs/job-runner';
import { engineTask } from '../../engine/jobs/task-ref';
import { formatBytes, printJson } from '../output';
import { progressBar } from '../progress-bar';

/** `lithe optimize <model> -o <dir>`: one model through a recipe, into a run folder with reports. */
export function registerOptimize(program: Command): void {
  program
    .command('optimize')
    .description(
      'Optimize a model with a recipe; write the result, report.json and report.html into a new run folder. Every step is checked by running the original and the result on the same inputs.',
    )
    .argument('<model>', 'the .onnx or .tflite model')
    .requiredOption('-o, --out <dir>', 'run folder to create (must not exist or be empty)')
    .option('-r, --recipe <name|file>', 'built-in recipe name or recipe JSON file', 'graph')
    .option('-f, --format <format>', 'output format: onnx or tflite (default: same as the input)')
    .option(
      '-d, --data <path>',
      'data for calibration and the accuracy check: image folder (class subfolders = labels), IDX, .npy/.npz or raw float32',
    )
    .option('-l, --labels <path>', 'labels (IDX, .npy or text, one class per line) when the data does not carry them')
    .option('-n, --normalize <preset>', 'pixel normalization: 0-1 (default), -1-1, imagenet, raw, or mean=…;std=…')
    .option('--json', 'print the report as JSON')
    .action(
      async (
        model: string,
        options: { out: string; recipe: string; format?: string; data?: string; labels?: string; normalize?: string; json?: boolean },
      ) => {
        if (options.format !== undefined && options.format !== 'onnx' && options.format !== 'tflite') {
          throw new LitheError('invalid-argument', `--format must be onnx or tflite, not "${options.format}".`);
        }
        const bar = progressBar('optimize');
        const runner = new JobRunner({ concurrency: 1 });
        const controller = new AbortController();
        process.once('SIGINT', () => controller.abort());
        let report: OptimizeReport;
        try {
          report = await runner.run<OptimizeReport>(
            engineTask('optimize'),
            {
              model,
              outDir: options.out,
              recipe: options.recipe,
              format: options.format,
              data: options.data,
              labels: options.labels,
              normalize: options.normalize,
            },
            { onProgress: bar.update, signal: controller.signal },
          );
        } finally {
          bar.done();
          await runner.close();
        }
        if (options.json) return printJson(report);
        printSummary(report);
      },
    );
}

function printSummary(report: OptimizeReport): void {
  const v = report.verification;
  const ratio = ((report.output.sizeBytes / report.input.sizeBytes) * 100).toFixed(1);
  console.log(`${report.input.path}\n  recipe      ${report.recipe.name}`);
  console.log(`  size        ${formatBytes(report.input.sizeBytes)} → ${formatBytes(report.output.sizeBytes)} (${ratio} %)`);
  console.log(`  nodes       ${report.input.nodeCount} → ${report.output.nodeCount}`);
  for (const step of report.steps) {
    const stats = Object.entries(step.stats)
      .map(([key, value]) => `${key} ${value}`)
      .join(', ');
    console.log(`    ${step.changed ? '✓' : '·'} ${step.title}${stats ? ` (${stats})` : ''}`);
  }
  if (v.status === 'passed')
    console.log(
      `  results     unchanged: max relative error ${v.relative?.toExponential(2)}, cosine ${v.cosine?.toFixed(6)} (${v.samples} sample inputs)`,
    );
  else console.log(`  results     ${v.status}: ${v.reason ?? ''}`);
  const e = report.evaluation;
  if (e?.accuracyBefore && e.accuracyAfter)
    console.log(
      `  accuracy    ${(e.accuracyBefore.top1 * 100).toFixed(2)} % → ${(e.accuracyAfter.top1 * 100).toFixed(2)} % top-1 (${e.data.samples} samples)`,
    );
  if (e?.fidelity)
    console.log(
      `  fidelity    top-1 agreement ${(e.fidelity.top1Agreement * 100).toFixed(2)} %, cosine ${e.fidelity.cosine.toFixed(5)}, SQNR ${e.fidelity.sqnrDb.toFixed(1)} dB`,
    );
  for (const layer of e?.layers?.slice(0, 5) ?? [])
    console.log(`    layer     ${layer.sqnrDb.toFixed(1)} dB  ${layer.opType} ${layer.node}${layer.quantized ? '' : ' (float)'}`);
  for (const warning of report.warnings) console.log(`  note        ${warning}`);
  console.log(`  written to  ${report.runDir}`);
}
