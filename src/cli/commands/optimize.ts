import { Option, type Command } from 'commander';
import { GoalId, ModelFormat, type OptimizeReport, type RecipeChoice, type VerificationSummary } from '../../contract';
import { defaultRunFolder } from '../default-run-folder';
import { runCommand } from '../engine';
import { formatBytes, printJson, usageError } from '../output';

interface OptimizeFlags {
  out?: string;
  recipe?: string;
  goal?: GoalId;
  device?: string;
  keepFloat?: string;
  format?: ModelFormat;
  data?: string;
  labels?: string;
  normalize?: string;
  strict?: boolean;
  keepBeyondTolerance?: boolean;
  json?: boolean;
}

/** `lithe optimize <model> -o <dir>`: one model through a recipe, into a run folder with reports. */
export function registerOptimize(program: Command): void {
  program
    .command('optimize')
    .description(
      'Optimize a model with a recipe; write the result, report.json and report.html into a new run folder. ' +
        'Every step is checked by running the original and the result on the same inputs.',
    )
    .argument('<model>', 'the .onnx or .tflite model')
    .option('-o, --out <dir>', 'run folder to create (must not exist or be empty; default: a new folder among the runs the app lists)')
    .option('-r, --recipe <name|file>', 'built-in recipe name or recipe JSON file (default: graph)')
    .addOption(
      new Option('-g, --goal <goal>', 'let Lithe pick the recipe for what matters most, as the app’s wizard does').choices(GoalId.options),
    )
    .option('--device <id>', 'with --goal: the target device profile (see `lithe devices`)')
    .option('--keep-float <layers>', 'comma-separated layers (node names, output names or operator types) to keep in float')
    .addOption(new Option('-f, --format <format>', 'output format (default: same as the input)').choices(ModelFormat.options))
    .option(
      '-d, --data <path>',
      'data for calibration and the accuracy check: image folder (class subfolders = labels), IDX, .npy/.npz or raw float32',
    )
    .option('-l, --labels <path>', 'labels (IDX, .npy or text, one class per line) when the data does not carry them')
    .option('-n, --normalize <preset>', 'pixel normalization: 0-1 (default), -1-1, imagenet, raw, or mean=…;std=…')
    .option('--strict', 'stop at the first step that fails or changes the results beyond its tolerance (default: undo that step and go on)')
    .option(
      '--keep-beyond-tolerance',
      'keep a step that changes the results beyond its tolerance (the report says "changed", exit 3) instead of undoing it',
    )
    .option('--json', 'print the report as JSON')
    .action(async (model: string, flags: OptimizeFlags) => {
      if (flags.strict && flags.keepBeyondTolerance)
        throw usageError('--strict stops at a step beyond its tolerance, --keep-beyond-tolerance keeps it: give one of them.');
      const choice = await chosenRecipe(model, flags);
      const recipe = choice?.recipe.name ?? flags.recipe ?? 'graph';
      const report = await runCommand(
        'optimize.run',
        {
          model,
          outDir: flags.out ?? defaultRunFolder(model, recipe),
          recipe,
          format: flags.format,
          data: flags.data,
          labels: flags.labels,
          normalize: flags.normalize,
          strict: flags.strict,
          keepBeyondTolerance: flags.keepBeyondTolerance,
          keepInFloat: flags.keepFloat
            ?.split(',')
            .map((layer) => layer.trim())
            .filter(Boolean),
        },
        { bar: 'optimize' },
      );
      if (flags.json) printJson(report);
      else printSummary(report, choice);
      // 3: the run finished but did less than the recipe promises (nothing changed, weights left, a step undone), or
      // kept a step beyond its tolerance.
      if (!report.changed || report.shortfall || report.steps.some((step) => step.undone || step.beyondTolerance)) process.exitCode = 3;
    });
}

/** With `--goal`: the recipe the engine's goal policy picks, as the wizard would. */
async function chosenRecipe(model: string, flags: OptimizeFlags): Promise<RecipeChoice | undefined> {
  if (!flags.goal) {
    if (flags.device) throw usageError('--device goes with --goal (it tells which device the recipe is chosen for).');
    return undefined;
  }
  if (flags.recipe) throw usageError('Give --goal (Lithe picks the recipe) or --recipe (you pick it), not both.');
  const args = { goal: flags.goal, hasData: flags.data !== undefined, model, ...(flags.device ? { deviceId: flags.device } : {}) };
  return runCommand('recipes.choose', args);
}

/** The `results` line of the summary: the verdict, and what it was measured on when anything ran. */
export function resultsLine(v: VerificationSummary): string {
  if (v.status === 'unavailable') return `  results     not compared: ${v.reason ?? ''}`;
  const on = v.samples === undefined ? '' : ` (${v.samples} ${v.inputs === 'data' ? 'samples of the data' : 'generated inputs'})`;
  return `  results     ${v.words ?? v.status}${on}`;
}

function printSummary(report: OptimizeReport, choice: RecipeChoice | undefined): void {
  const v = report.verification;
  const ratio = ((report.output.sizeBytes / report.input.sizeBytes) * 100).toFixed(1);
  console.log(
    `${report.headline}\n${report.input.path}\n  recipe      ${report.recipe.name}${choice ? ` (for the goal "${choice.goal}")` : ''}`,
  );
  if (choice) console.log(`  why         ${choice.note}`);
  if (report.keptInFloat?.length) console.log(`  in float    ${report.keptInFloat.join(', ')}`);
  console.log(`  size        ${formatBytes(report.input.sizeBytes)} → ${formatBytes(report.output.sizeBytes)} (${ratio} %)`);
  console.log(`  nodes       ${report.input.nodeCount} → ${report.output.nodeCount}`);
  for (const step of report.steps) {
    const stats = Object.entries(step.stats)
      .map(([key, value]) => `${key} ${value}`)
      .join(', ');
    const mark = step.undone ? '✗' : step.beyondTolerance ? '!' : step.changed ? '✓' : '·';
    const words = step.undone
      ? ` — undone: ${step.undone.reason}`
      : step.beyondTolerance
        ? ` — beyond tolerance: ${step.beyondTolerance.reason}`
        : step.words
          ? ` — ${step.words}`
          : '';
    console.log(`    ${mark} ${step.title}${stats ? ` (${stats})` : ''}${words}`);
  }
  console.log(resultsLine(v));
  for (const output of v.outputs ?? [])
    if (output.verdict !== 'identical' && (v.outputs?.length ?? 0) > 1)
      console.log(`    ${output.name}  ${output.kind ?? ''} (${output.kindReason ?? ''}): ${output.words ?? ''}`);
  if (report.shortfall) console.log(`  short of    ${report.shortfall}`);
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
  const size = report.size?.output;
  if (size) {
    const lithe = size.litheBytes === undefined ? '' : `, .lithe ${formatBytes(size.litheBytes)}`;
    console.log(
      `  compressed  gzip ${formatBytes(size.gzipBytes)}, brotli ${formatBytes(size.brotliBytes)}, zstd ${formatBytes(size.zstdBytes)}${lithe}`,
    );
    console.log(
      `  memory      weights ${formatBytes(size.ram.weightBytes)} and activations up to ${formatBytes(size.ram.peakActivationBytes)} at run time. ${size.ram.note}`,
    );
  }
  if (report.size?.package) console.log(`  package     ${report.size.package}`);
  for (const warning of report.warnings) console.log(`  note        ${warning}`);
  console.log(`  written to  ${report.runDir}`);
}
