import type { TfliteModel, TfliteTensor } from '../../formats/tflite';
import { quantizeWeights } from '../quant-math';
import { LSTM_WEIGHT_INPUTS, TFLITE_OP, TFLITE_TYPE } from './tflite-codes';

/** Which inputs of an operator are weights that dynamic-range (hybrid) quantization stores as int8. */
function weightInputs(code: number): number[] {
  if (code === TFLITE_OP.fullyConnected || code === TFLITE_OP.conv2d || code === TFLITE_OP.depthwiseConv2d) return [1];
  if (code === TFLITE_OP.unidirectionalSequenceLstm) return LSTM_WEIGHT_INPUTS;
  return [];
}

/**
 * Stores a float32 constant tensor as int8, symmetric (zero point 0), per output channel along
 * `axis` or per tensor. Replaces its buffer's bytes in place.
 */
export function quantizeTfliteWeight(model: TfliteModel, tensor: TfliteTensor, axis: number | undefined): boolean {
  const buffer = model.buffers[tensor.buffer];
  if (tensor.type !== TFLITE_TYPE.float32 || !buffer?.data || buffer.data.length === 0 || !tensor.shape) return false;
  const bytes = buffer.data.slice();
  const q = quantizeWeights(new Float32Array(bytes.buffer, 0, bytes.length / 4), tensor.shape, axis);
  buffer.data = new Uint8Array(q.values.buffer);
  tensor.type = TFLITE_TYPE.int8;
  tensor.quantization = {
    min: null,
    max: null,
    scale: Array.from(q.scales),
    zeroPoint: Array.from(q.scales, () => 0n),
    quantizedDimension: axis ?? 0,
    custom: null,
  };
  return true;
}

/**
 * Dynamic-range ("hybrid") quantization of a TFLite model: weights of FULLY_CONNECTED, CONV_2D,
 * DEPTHWISE_CONV_2D and UNIDIRECTIONAL_SEQUENCE_LSTM become int8; activations stay float and the
 * runtime's hybrid kernels quantize them on the fly. Returns the number of weights quantized.
 */
export function hybridQuantizeTflite(model: TfliteModel): number {
  let count = 0;
  const owners = new Map<number, number>();
  for (const g of model.subgraphs) for (const t of g.tensors) owners.set(t.buffer, (owners.get(t.buffer) ?? 0) + 1);
  for (const g of model.subgraphs) {
    for (const op of g.operators) {
      const code = model.operatorCodes[op.opcodeIndex]!.code;
      for (const index of weightInputs(code)) {
        const tensor = g.tensors[op.inputs[index] ?? -1];
        if (!tensor || (owners.get(tensor.buffer) ?? 0) > 1) continue;
        const axis = code === TFLITE_OP.conv2d ? 0 : code === TFLITE_OP.depthwiseConv2d ? 3 : undefined;
        if (quantizeTfliteWeight(model, tensor, axis)) count++;
      }
    }
  }
  return count;
}
