import type { Command } from 'commander';
import { runCommand } from '../engine';
import { formatBytes } from '../output';

/** `lithe convert <in> <out>`: read a model and write it in the format the output's extension names. */
export function registerConvert(program: Command): void {
  program
    .command('convert')
    .description('Read a model and write it to <out> in the format its extension names (.onnx or .tflite). Never writes over the input.')
    .argument('<in>', 'the model to read')
    .argument('<out>', 'the file to write')
    .action(async (input: string, output: string) => {
      const result = await runCommand('model.convert', { input, output }, { bar: 'convert' });
      console.log(`${result.inPath} (${result.fromFormat}) → ${result.outPath} (${result.toFormat}, ${formatBytes(result.sizeBytes)})`);
    });
}
