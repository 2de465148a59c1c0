import { setTfliteIntermediates } from '../../formats/tflite/ir-records';
import type { Graph } from '../../ir/graph';
import type { Node } from '../../ir/node';
import { Value } from '../../ir/value';
import { nodeLabel } from '../../passes/util/skips';
import type { QuantParams } from '../quant-math';
import { integerBias, int8Weight } from './int8-tensors';
import { floatConstant } from './tflite-constants';

/** The TFLite recurrent operator full-integer quantization handles (in its 8x8_16 form). */
export const LSTM_OP = 'UNIDIRECTIONAL_SEQUENCE_LSTM';

/** Inputs of UNIDIRECTIONAL_SEQUENCE_LSTM that hold rank-2 weight matrices (input, recurrent, projection). */
export const LSTM_WEIGHT_INPUTS = [1, 2, 3, 4, 5, 6, 7, 8, 16];

// Peephole weights (9–11), projection (16, 17) and layer normalization (20–23) inputs.
const UNHANDLED_INPUTS = [9, 10, 11, 16, 20, 21, 22, 23];

/** Cell-state scale of integer LSTMs: a power of two (the kernel requires it), range ±16. */
const CELL_SCALE = 2 ** -11;

/** Why an LSTM cannot be quantized to integer here, or `undefined` when it can. */
export function lstmProblem(node: Node): string | undefined {
  if (UNHANDLED_INPUTS.some((i) => node.inputs[i] !== undefined))
    return 'integer LSTMs with peepholes, projection or layer normalization are not handled yet';
  if (!node.inputs[18] || !node.inputs[19]) return 'its state tensors are missing';
  return undefined;
}

/**
 * Quantizes one UNIDIRECTIONAL_SEQUENCE_LSTM to TFLite's 8x8_16 integer form: int8 weights (per
 * tensor), int32 gate biases (input scale × weight scale), an int8 output state sharing the
 * output's scale, an int16 cell state of scale 2^-11 and the five intermediate tensors the kernel
 * reads (the last carries the hidden scale).
 */
export function quantizeLstm(graph: Graph, node: Node, params: ReadonlyMap<Value, QuantParams>, replaced: Map<Value, Value>): void {
  const input = node.inputs[0];
  const output = node.outputs[0];
  const inP = input ? params.get(input) : undefined;
  const hidden = output ? params.get(output) : undefined;
  if (!inP || !hidden) return;
  const base = nodeLabel(node);
  const scales = new Map<number, number[]>();
  const replace = (i: number, q: Value): void => {
    const before = node.inputs[i];
    if (before) replaced.set(before, q);
    node.setInput(i, q);
  };
  for (const i of LSTM_WEIGHT_INPUTS) {
    const w = floatConstant(graph, node.inputs[i]);
    if (!w) continue;
    const q = int8Weight(graph, `${base}_w${i}`, w, undefined);
    scales.set(i, q.quantization?.scale ?? [1]);
    replace(i, q);
  }
  // Gate biases 12–15 pair with the input-to-gate weights 1–4.
  for (let gate = 0; gate < 4; gate++) {
    const bias = floatConstant(graph, node.inputs[12 + gate]);
    const ws = scales.get(1 + gate);
    const q = bias && ws ? integerBias(graph, `${base}_b${12 + gate}`, bias, inP.scale, ws) : undefined;
    if (q) replace(12 + gate, q);
  }
  const state = (v: Value | undefined, dtype: 'int8' | 'int16', p: QuantParams): void => {
    if (!v || v.type?.kind !== 'tensor') return;
    v.type = { ...v.type, dtype };
    v.quantization = { scale: [p.scale], zeroPoint: [p.zeroPoint], axis: 0 };
  };
  state(node.inputs[18], 'int8', hidden);
  state(node.inputs[19], 'int16', { scale: CELL_SCALE, zeroPoint: 0 });
  const intermediates = ['input_to_input', 'input_to_forget', 'input_to_cell', 'input_to_output', 'effective_hidden_scale'].map((name) => {
    const v = graph.define(new Value(graph.freshName(`${name}_intermediate`), { kind: 'tensor', dtype: 'float32', shape: [0] }));
    if (name === 'effective_hidden_scale') {
      v.type = { kind: 'tensor', dtype: 'int8', shape: [0] };
      v.quantization = { scale: [hidden.scale], zeroPoint: [hidden.zeroPoint], axis: 0 };
    }
    return v;
  });
  setTfliteIntermediates(node, intermediates);
}
