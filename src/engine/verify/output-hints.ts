import type { Model } from '../ir/model';
import type { Node } from '../ir/node';
import type { Value } from '../ir/value';
import type { OutputHint } from './output-kind';

/** Operators that only move, reshape, retype or (de)quantize values: the output's meaning comes from before them. */
const PASS_THROUGH = new Set([
  'Identity',
  'Reshape',
  'Flatten',
  'Squeeze',
  'Unsqueeze',
  'Transpose',
  'Cast',
  'QuantizeLinear',
  'DequantizeLinear',
  'RESHAPE',
  'SQUEEZE',
  'TRANSPOSE',
  'QUANTIZE',
  'DEQUANTIZE',
  'CAST',
]);

/** For each graph output, the operator that computes it (looking through reshapes, casts and quantization). */
export function outputHints(model: Model): Record<string, OutputHint> {
  const producers = new Map<Value, Node>();
  for (const node of model.graph.nodes) for (const output of node.outputs) if (output) producers.set(output, node);
  const hints: Record<string, OutputHint> = {};
  for (const output of model.graph.outputs) {
    let node = producers.get(output);
    for (let hops = 0; node && PASS_THROUGH.has(node.opType) && hops < 8; hops++) {
      const input = node.inputs[0];
      node = input ? producers.get(input) : undefined;
    }
    if (node) hints[output.name] = { producer: node.opType };
  }
  return hints;
}
