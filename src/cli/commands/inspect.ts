import type { Command } from 'commander';
import { runCommand } from '../engine';
import { formatBytes, printJson } from '../output';

/** `lithe inspect <model>`: what is inside a model. */
export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('Show what is inside a model: inputs/outputs, operators, parameters, weights by type, estimated MACs.')
    .argument('<model>', 'the .onnx or .tflite model')
    .option('--json', 'print JSON (keys: format, inputs, outputs, nodeCount, opCounts, paramCount, sizeBytes, macs, …)')
    .option('--nodes', 'with --json: include the node list')
    .action(async (model: string, options: { json?: boolean; nodes?: boolean }) => {
      const summary = await runCommand('model.inspect', { path: model }, { bar: 'inspect' });
      if (options.json) {
        const { nodes, ...rest } = summary;
        return printJson(options.nodes ? summary : { ...rest, nodeList: `${nodes.length} nodes (add --nodes to list them)` });
      }
      const shape = (dims: (number | string)[] | null): string => (dims ? `[${dims.join(', ')}]` : '[unknown rank]');
      const lines = [
        summary.path,
        `  format       ${summary.format}${summary.producer ? ` (made by ${summary.producer})` : ''}`,
        `  ir version   ${summary.irVersion ?? '—'}   opsets ${
          Object.entries(summary.opsets)
            .map(([domain, version]) => `${domain || 'ai.onnx'} ${version}`)
            .join(', ') || '—'
        }`,
        `  size         ${formatBytes(summary.sizeBytes)}${summary.externalDataBytes ? ` + ${formatBytes(summary.externalDataBytes)} external data` : ''}`,
        `  parameters   ${summary.paramCount.toLocaleString('en-US')} (${
          Object.entries(summary.weightBytesByDtype)
            .map(([dtype, bytes]) => `${dtype} ${formatBytes(bytes)}`)
            .join(', ') || 'none'
        })`,
        `  MACs         ${summary.macs.toLocaleString('en-US')} per inference (estimated)${summary.macsNotes.length ? `; ${summary.macsNotes.join('; ')}` : ''}`,
        '  inputs',
        ...summary.inputs.map((io) => `    ${io.name}  ${io.dtype}${shape(io.shape)}`),
        '  outputs',
        ...summary.outputs.map((io) => `    ${io.name}  ${io.dtype}${shape(io.shape)}`),
        `  operators    ${summary.nodeCount} nodes`,
        ...Object.entries(summary.opCounts)
          .sort((a, b) => b[1] - a[1])
          .map(([op, count]) => `    ${String(count).padStart(5)}  ${op}`),
      ];
      console.log(lines.join('\n'));
    });
}
