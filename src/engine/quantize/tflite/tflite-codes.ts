/** TFLite tensor type codes Lithe's quantization writes (schema `TensorType`). */
export const TFLITE_TYPE = { float32: 0, int32: 2, int16: 7, int8: 9 } as const;

/** TFLite builtin operator codes the quantization passes handle (schema `BuiltinOperator`). */
export const TFLITE_OP = {
  conv2d: 3,
  depthwiseConv2d: 4,
  fullyConnected: 9,
  reshape: 22,
  softmax: 25,
  unidirectionalSequenceLstm: 44,
} as const;

/** Inputs of UNIDIRECTIONAL_SEQUENCE_LSTM that hold rank-2 weight matrices (input, recurrent, projection). */
export const LSTM_WEIGHT_INPUTS = [1, 2, 3, 4, 5, 6, 7, 8, 16];
