import { decodeOnnx, encodeOnnx } from '../formats/onnx';
import type { Model } from '../ir/model';

/** Operators whose outputs are compared layer by layer (the ones quantization changes). */
export const LAYER_OPS = new Set(['Conv', 'ConvTranspose', 'MatMul', 'Gemm', 'LSTM', 'GRU', 'RNN']);

/** Float outputs of the reference's layers that the candidate also computes under the same name. */
export function sharedLayerOutputs(
  reference: Model,
  candidate: Model,
): Array<{ name: string; node: string; opType: string; quantized: boolean }> {
  const produced = new Map<string, { opType: string; quantized: boolean }>();
  for (const node of candidate.graph.nodes) {
    const quantized =
      node.inputs.some((input) => input && ['DequantizeLinear', 'Cast'].includes(candidate.graph.producerOf(input)?.opType ?? '')) ||
      /Integer|QLinear|NBits/.test(node.opType);
    for (const output of node.outputs) if (output) produced.set(output.name, { opType: node.opType, quantized });
  }
  const found: Array<{ name: string; node: string; opType: string; quantized: boolean }> = [];
  for (const node of reference.graph.nodes) {
    if (!LAYER_OPS.has(node.opType)) continue;
    const output = node.outputs[0];
    const match = output && produced.get(output.name);
    if (output && match)
      found.push({
        name: output.name,
        node: node.name || output.name,
        opType: node.opType,
        quantized: match.quantized || match.opType !== node.opType,
      });
  }
  return found;
}

/** ONNX bytes of `bytes`' model with the values `names` added as graph outputs (a copy; the input is untouched). */
export function exposeValues(bytes: Uint8Array, names: readonly string[]): Uint8Array {
  const model = decodeOnnx(bytes);
  const outputs = new Set(model.graph.outputs.map((v) => v.name));
  for (const name of names) {
    const value = model.graph.value(name);
    if (!value || outputs.has(name)) continue;
    // Declare the element type only: a shape written here could contradict what the runtime computes for other input sizes.
    const dtype = value.type?.kind === 'tensor' ? value.type.dtype : 'float32';
    value.type = { kind: 'tensor', dtype };
    model.graph.outputs.push(value);
  }
  return encodeOnnx(model);
}
