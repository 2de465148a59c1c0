import type { Command } from 'commander';
import { runCommand } from '../engine';
import { collectDim } from '../flag-parsers';
import { formatBytes } from '../output';

/** `lithe convert <in> <out>`: read a model, write it in the format the output's extension names, and check it. */
export function registerConvert(program: Command): void {
  program
    .command('convert')
    .description(
      'Read a model and write it to <out> in the format its extension names (.onnx or .tflite). A converted model is run ' +
        'against the original on the same inputs first, and the result is printed; one that does not match exits with status 1. ' +
        'Never writes over the input.',
    )
    .argument('<in>', 'the model to read')
    .argument('<out>', 'the file to write')
    .option(
      '--dim <name=value>',
      'ONNX → TFLite: size of an open dimension, by name (N=1) or input:axis (x:2=48); repeatable',
      collectDim,
      {},
    )
    .option(
      '--expose-state',
      'TFLite → ONNX: make recurrent state (LSTM) extra inputs and outputs instead of starting at zero on every run',
    )
    .action(async (input: string, output: string, flags: { dim: Record<string, number>; exposeState?: boolean }) => {
      const args = {
        input,
        output,
        ...(Object.keys(flags.dim).length ? { dims: flags.dim } : {}),
        ...(flags.exposeState ? { exposeState: true } : {}),
      };
      const result = await runCommand('model.convert', args, { bar: 'convert' });
      console.log(`${result.inPath} (${result.fromFormat}) → ${result.outPath} (${result.toFormat}, ${formatBytes(result.sizeBytes)})`);
      for (const note of result.notes) console.log(`  note: ${note}`);
      if (result.check) console.log(`  check: ${result.check.words}`);
      if (result.check?.status === 'differs') process.exitCode = 1;
    });
}
