import type { Command } from 'commander';
import type { FileFacts } from '../../contract';
import { runCommand } from '../engine';
import { formatBytes, printJson } from '../output';

const FORMAT_NAMES = { onnx: 'ONNX', tflite: 'TFLite' } as const;

/** `lithe identify <file…>`: what each file is, by content, with size and sha256. */
export function registerIdentify(program: Command): void {
  program
    .command('identify')
    .description('Tell what each file is (ONNX, TFLite or not a model) from its content, with size and sha256.')
    .argument('<files...>', 'files to identify')
    .option('--json', 'print JSON')
    .action(async (files: string[], options: { json?: boolean }) => {
      const results: FileFacts[] = [];
      for (const file of files) results.push(await runCommand('file.identify', { path: file }));
      if (options.json) return printJson(results.length === 1 ? results[0] : results);
      for (const facts of results) {
        const kind = facts.format ? FORMAT_NAMES[facts.format] : `not a model (${facts.reason})`;
        console.log(
          `${facts.path}\n  format  ${kind}\n  size    ${formatBytes(facts.sizeBytes)} (${facts.sizeBytes} bytes)\n  sha256  ${facts.sha256}`,
        );
      }
    });
}
