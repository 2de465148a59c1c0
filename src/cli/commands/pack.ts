import type { Command } from 'commander';
import type { PackReport } from '../../contract';
import { runCommand } from '../engine';
import { formatBytes, printJson } from '../output';

function printPack(report: PackReport, tensors: boolean): void {
  const ratio = report.originalBytes / report.packageBytes;
  const coded = report.tensors.filter((t) => t.coding !== 'raw');
  const byCoding = Object.entries(coded.reduce<Record<string, number>>((acc, t) => ({ ...acc, [t.coding]: (acc[t.coding] ?? 0) + 1 }), {}))
    .map(([coding, n]) => `${n} ${coding}`)
    .join(', ');
  console.log(`${report.input} (${report.format}, ${formatBytes(report.originalBytes)})`);
  const percent = ((100 * report.packageBytes) / report.originalBytes).toFixed(1);
  console.log(
    `  package   ${report.output}: ${formatBytes(report.packageBytes)} (${report.packageBytes} bytes), ${percent} % of the file, ${ratio.toFixed(2)}× smaller`,
  );
  const kept = report.tensors.length - coded.length;
  console.log(
    `  tensors   ${report.tensors.length}: ${coded.length} coded${byCoding ? ` (${byCoding})` : ''}, ${kept} kept as they are (coding would not make them smaller)`,
  );
  console.log(`  checked   decodes to the identical file (sha256 ${report.sha256}) · ${report.durationMs.toFixed(0)} ms`);
  if (!tensors) return;
  for (const t of report.tensors) {
    const zeros = t.zeros ? ` · ${((100 * t.zeros) / t.elements).toFixed(1)} % zeros` : '';
    const sizes = `${formatBytes(t.bytes).padStart(9)} → ${formatBytes(t.packageBytes).padStart(9)}`;
    console.log(`    ${t.coding.padEnd(8)} ${sizes}  ${t.dtype}[${t.dims.join(',')}] ${t.name}${zeros}`);
  }
}

/** `lithe pack <model> <out.lithe>` and `lithe unpack <in.lithe> <model>`. */
export function registerPack(program: Command): void {
  program
    .command('pack')
    .description(
      'Store a model as a .lithe package: its weights entropy-coded (zero runs, shared values, byte planes), everything else as it is. ' +
        '`lithe unpack` gives back the identical file. Pruned and clustered models shrink the most.',
    )
    .argument('<model>', 'the .onnx or .tflite model')
    .argument('<out>', 'the package to write (.lithe)')
    .option('--replace', 'replace <out> if it exists (never the input)')
    .option('--tensors', 'list how each tensor was stored')
    .option('--json', 'print the report as JSON')
    .action(async (model: string, out: string, options: { replace?: boolean; tensors?: boolean; json?: boolean }) => {
      const report = await runCommand('model.pack', { input: model, output: out, replace: options.replace }, { bar: 'pack' });
      if (options.json) return printJson(report);
      printPack(report, Boolean(options.tensors));
    });
  program
    .command('unpack')
    .description('Turn a .lithe package back into the model file it was made from, byte for byte (checked by SHA-256).')
    .argument('<package>', 'the .lithe package')
    .argument('<model>', 'the model file to write')
    .option('--replace', 'replace <model> if it exists (never the input)')
    .option('--json', 'print the report as JSON')
    .action(async (input: string, model: string, options: { replace?: boolean; json?: boolean }) => {
      const report = await runCommand('model.unpack', { input, output: model, replace: options.replace }, { bar: 'unpack' });
      if (options.json) return printJson(report);
      const written = `${report.output} (${report.format}, ${formatBytes(report.modelBytes)})`;
      console.log(
        `${report.input} (${formatBytes(report.packageBytes)}) → ${written}, identical to the packed original (sha256 ${report.sha256}) · ${report.durationMs.toFixed(0)} ms`,
      );
    });
}
