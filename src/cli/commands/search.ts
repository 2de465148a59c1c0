import { Option, type Command } from 'commander';
import { SearchGoal, type SearchCandidate, type SearchReport } from '../../contract';
import { defaultRunFolder } from '../default-run-folder';
import { runCommand } from '../engine';
import { positive } from '../flag-parsers';
import { formatBytes, printJson } from '../output';

/** Exit status when the original is returned because no candidate served the goal better. */
const NO_BETTER_CANDIDATE = 3;

interface SearchFlags {
  out?: string;
  goal: SearchGoal;
  device?: string;
  data?: string;
  labels?: string;
  normalize?: string;
  budgetMin?: number;
  threads?: number;
  minCosine?: number;
  pairs?: number;
  json?: boolean;
}

/** `lithe search <model> -o <dir>`: measured candidates, the best one for the goal. */
export function registerSearch(program: Command): void {
  program
    .command('search')
    .description(
      'Try the recipes on a model, verify every candidate against the original, race them A/B against it on this machine and ' +
        'keep the one that serves the goal — or the original, labelled "no faster candidate", when none does.',
    )
    .argument('<model>', 'the .onnx or .tflite model')
    .option('-o, --out <dir>', 'search folder to create (must not exist or be empty; default: a new folder among the runs the app lists)')
    .addOption(new Option('-g, --goal <goal>', 'what matters most').choices(SearchGoal.options).default('fastest'))
    .option('--device <id>', 'target device profile: its fit rules candidates out, its estimates are reported (see `lithe devices`)')
    .option('-d, --data <path>', 'data for calibration and the fidelity check (as for `lithe optimize`)')
    .option('-l, --labels <path>', 'labels, to measure accuracy as well')
    .option('-n, --normalize <preset>', 'pixel normalization: 0-1 (default), -1-1, imagenet, raw, or mean=…;std=…')
    .option('--budget-min <n>', 'time budget of the whole search in minutes (default 10)', positive('--budget-min', false))
    .option('--threads <n>', 'intra-op threads for every measurement (default 1)', positive('--threads', true))
    .option(
      '--min-cosine <x>',
      'smallest output cosine to the original a candidate must keep (default by goal)',
      positive('--min-cosine', false),
    )
    .option('--pairs <n>', 'interleaved pairs of the final A/B round (default 200)', positive('--pairs', true))
    .option('--json', 'print the summary as JSON (chosen.model is the chosen model file)')
    .action(async (model: string, flags: SearchFlags) => {
      const report = await runCommand(
        'search.run',
        {
          model,
          outDir: flags.out ?? defaultRunFolder(model, `search-${flags.goal}`),
          goal: flags.goal,
          deviceId: flags.device,
          data: flags.data,
          labels: flags.labels,
          normalize: flags.normalize,
          budgetMinutes: flags.budgetMin,
          threads: flags.threads,
          minCosine: flags.minCosine,
          pairs: flags.pairs,
        },
        { bar: 'search' },
      );
      if (flags.json) printJson(report);
      else printSearch(report);
      if (report.chosen.isOriginal) process.exitCode = NO_BETTER_CANDIDATE;
    });
}

function speedCell(candidate: SearchCandidate): string {
  const speed = candidate.speed;
  if (!speed) return '';
  return `${speed.ratio.toFixed(3)}× [${speed.low.toFixed(2)}–${speed.high.toFixed(2)}] ${speed.verdict === 'no-significant-difference' ? 'same' : speed.verdict}`;
}

function printSearch(report: SearchReport): void {
  const original = report.candidates.find((candidate) => candidate.status === 'baseline');
  const head = report.chosen.isOriginal ? `${report.chosen.label.toUpperCase()}: the original is returned` : `chosen: ${report.chosen.id}`;
  console.log(
    `${report.model}\n  goal        ${report.goal}${report.deviceId ? ` on ${report.deviceId}` : ''}, ${report.threads} thread(s)`,
  );
  console.log(`  ${head}\n  why         ${report.chosen.reason}\n  model       ${report.chosen.model}`);
  const rows = report.candidates.map((c) => [
    c.id === report.chosen.id ? `* ${c.id}` : `  ${c.id}`,
    c.status,
    formatBytes(c.sizeBytes),
    c.fidelity ? c.fidelity.cosine.toFixed(5) : '',
    c.accuracy ? `${(c.accuracy.top1 * 100).toFixed(2)} %` : '',
    speedCell(c),
    c.device ? `${c.device.latencyMs.low.toFixed(1)}–${c.device.latencyMs.high.toFixed(1)} ms` : '',
  ]);
  const header = [
    '  candidate',
    'status',
    'size',
    'cosine',
    'top-1',
    'time vs original [95 % CI]',
    report.deviceId ? 'on device (est.)' : '',
  ];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  for (const row of [header, ...rows])
    console.log(
      `  ${row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd()}`,
    );
  for (const c of report.candidates.filter((candidate) => candidate.status !== 'measured' && candidate.status !== 'baseline'))
    console.log(`  ${c.id}: ${c.note}`);
  for (const warning of report.warnings) console.log(`  note        ${warning}`);
  console.log(
    `  searched    ${report.counts.built} built, ${report.counts.measured} measured to the end, ${report.counts.pruned} pruned, ` +
      `${report.counts.rejected} rejected in ${report.wallSeconds.toFixed(0)} s (original ${original ? formatBytes(original.sizeBytes) : '?'})`,
  );
  console.log(`  written to  ${report.runDir} (candidates.json, candidates.csv)`);
}
