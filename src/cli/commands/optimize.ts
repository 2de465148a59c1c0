import { Option, type Command } from 'commander';
import { ModelFormat, type OptimizeReport } from '../../contract';
import { runCommand } from '../engine';
import { formatBytes, printJson } from '../output';

interface OptimizeFlags {
  out: string;
  recipe: string;
  format?: ModelFormat;
  data?: string;
  labels?: string;
  normalize?: string;
  json?: boolean;
}

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
    .addOption(new Option('-f, --format <format>', 'output format (default: same as the input)').choices(ModelFormat.options))
    .option(
      '-d, --data <path>',
      'data for calibration and the accuracy check: image folder (class subfolders = labels), IDX, .npy/.npz or raw float32',
    )
    .option('-l, --labels <path>', 'labels (IDX, .npy or text, one class per line) when the data does not carry them')
    .option('-n, --normalize <preset>', 'pixel normalization: 0-1 (default), -1-1, imagenet, raw, or mean=…;std=…')
    .option('--json', 'print the report as JSON')
    .action(async (model: string, flags: OptimizeFlags) => {
      const report = await runCommand(
        'optimize.run',
        {
          model,
          outDir: flags.out,
          recipe: flags.recipe,
          format: flags.format,
          data: flags.data,
          labels: flags.labels,
          normalize: flags.normalize,
        },
        { bar: 'optimize' },
      );
      if (flags.json) return printJson(report);
      printSummary(report);
    });
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
