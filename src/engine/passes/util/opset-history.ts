import {
  axesInput,
  batchNormSpatial,
  castToCode,
  clipBoundsToInputs,
  concatAxis,
  dropAttributes,
  dropConsumedInputs,
  dropIsTest,
  dropoutRatioInput,
  numpyBroadcast,
  padInputs,
  padRename,
  reshapeShapeInput,
  sliceInputs,
  softmaxAxis,
  splitInput,
  splitNumOutputs,
  splitSizesAttribute,
  topKInput,
  type Adapter,
} from './opset-adapters';
import { resizeCoordinates, upsampleScalesAttribute, upsampleScalesInput, upsampleToResize } from './resize-adapters';

/**
 * The versions of a default-domain operator up to opset 21 (from the ONNX operator changelog)
 * and, for versions that changed attributes or semantics, the adapter from the version before.
 * Versions without an adapter only added types or clarified the text.
 */
export interface OpHistory {
  versions: number[];
  adapters?: Partial<Record<number, Adapter>>;
}

const unary: OpHistory = { versions: [1, 6, 13], adapters: { 6: dropConsumedInputs } };
const binary: OpHistory = { versions: [1, 6, 7, 13, 14], adapters: { 6: dropConsumedInputs, 7: numpyBroadcast } };
const logical: OpHistory = { versions: [1, 7], adapters: { 7: numpyBroadcast } };
const compare: OpHistory = { versions: [1, 7, 9, 13], adapters: { 7: numpyBroadcast } };
const variadic: OpHistory = { versions: [1, 6, 8, 13], adapters: { 6: dropConsumedInputs } };
const reduce: OpHistory = { versions: [1, 11, 13, 18], adapters: { 18: axesInput } };
const softmax: OpHistory = { versions: [1, 11, 13], adapters: { 13: softmaxAxis } };
const since = (...versions: number[]): OpHistory => ({ versions });

/** Known operator histories, by op type. Operators missing here are refused by upgrade-opset. */
export const OP_HISTORY: Readonly<Record<string, OpHistory>> = {
  Abs: unary,
  Ceil: unary,
  Floor: unary,
  Exp: unary,
  Log: unary,
  Neg: unary,
  Reciprocal: unary,
  Relu: unary,
  Sigmoid: unary,
  Sqrt: unary,
  Tanh: unary,
  Elu: { versions: [1, 6], adapters: { 6: dropConsumedInputs } },
  HardSigmoid: { versions: [1, 6], adapters: { 6: dropConsumedInputs } },
  Selu: { versions: [1, 6], adapters: { 6: dropConsumedInputs } },
  LeakyRelu: { versions: [1, 6, 16], adapters: { 6: dropConsumedInputs } },
  PRelu: { versions: [1, 6, 7, 9, 16], adapters: { 6: dropConsumedInputs } },
  InstanceNormalization: { versions: [1, 6], adapters: { 6: dropConsumedInputs } },
  Add: binary,
  Sub: binary,
  Mul: binary,
  Div: binary,
  Pow: { versions: [1, 7, 12, 13, 15], adapters: { 7: numpyBroadcast } },
  And: logical,
  Or: logical,
  Xor: logical,
  Equal: { versions: [1, 7, 11, 13, 19], adapters: { 7: numpyBroadcast } },
  Greater: compare,
  Less: compare,
  Sum: variadic,
  Mean: variadic,
  Max: { versions: [1, 6, 8, 12, 13], adapters: { 6: dropConsumedInputs } },
  Min: { versions: [1, 6, 8, 12, 13], adapters: { 6: dropConsumedInputs } },
  Softmax: softmax,
  LogSoftmax: softmax,
  Hardmax: softmax,
  ReduceMean: reduce,
  ReduceMax: { versions: [1, 11, 12, 13, 18, 20], adapters: { 18: axesInput } },
  ReduceMin: { versions: [1, 11, 12, 13, 18, 20], adapters: { 18: axesInput } },
  ReduceProd: reduce,
  ReduceL1: reduce,
  ReduceL2: reduce,
  ReduceLogSum: reduce,
  ReduceLogSumExp: reduce,
  ReduceSumSquare: reduce,
  ReduceSum: { versions: [1, 11, 13], adapters: { 13: axesInput } },
  Squeeze: { versions: [1, 11, 13, 21], adapters: { 13: axesInput } },
  Unsqueeze: { versions: [1, 11, 13, 21], adapters: { 13: axesInput } },
  BatchNormalization: { versions: [1, 6, 7, 9, 14, 15], adapters: { 6: dropConsumedInputs, 7: dropIsTest, 9: batchNormSpatial } },
  Dropout: { versions: [1, 6, 7, 10, 12, 13], adapters: { 6: dropConsumedInputs, 7: dropIsTest, 12: dropoutRatioInput } },
  Cast: { versions: [1, 6, 9, 13, 19, 21], adapters: { 6: castToCode } },
  Clip: { versions: [1, 6, 11, 12, 13], adapters: { 6: dropConsumedInputs, 11: clipBoundsToInputs } },
  Concat: { versions: [1, 4, 11, 13], adapters: { 4: concatAxis } },
  Gemm: { versions: [1, 6, 7, 9, 11, 13], adapters: { 7: dropAttributes('broadcast') } },
  Reshape: { versions: [1, 5, 13, 14, 19, 21], adapters: { 5: reshapeShapeInput } },
  Pad: { versions: [1, 2, 11, 13, 18, 19, 21], adapters: { 2: padRename, 11: padInputs } },
  Slice: { versions: [1, 10, 11, 13], adapters: { 10: sliceInputs } },
  Split: { versions: [1, 2, 11, 13, 18], adapters: { 2: splitSizesAttribute, 13: splitInput, 18: splitNumOutputs } },
  TopK: { versions: [1, 10, 11], adapters: { 10: topKInput } },
  Conv: since(1, 11),
  ConvTranspose: since(1, 11),
  MaxPool: since(1, 8, 10, 11, 12),
  AveragePool: since(1, 7, 10, 11, 19),
  LpPool: since(1, 2, 11, 18),
  GlobalAveragePool: since(1),
  GlobalMaxPool: since(1),
  GlobalLpPool: since(1, 2),
  MatMul: since(1, 9, 13),
  Flatten: since(1, 9, 11, 13, 21),
  Transpose: since(1, 13, 21),
  Identity: since(1, 13, 14, 16, 19, 21),
  Constant: since(1, 9, 11, 12, 13, 19, 21),
  Shape: since(1, 13, 15, 19, 21),
  Size: since(1, 13, 19, 21),
  Gather: since(1, 11, 13),
  LRN: since(1, 13),
  Softplus: since(1),
  Softsign: since(1),
  Not: since(1),
  DepthToSpace: since(1, 11, 13),
  SpaceToDepth: since(1, 13),
  ArgMax: since(1, 11, 12, 13),
  ArgMin: since(1, 11, 12, 13),
  Sin: since(7),
  Cos: since(7),
  Tan: since(7),
  Asin: since(7),
  Acos: since(7),
  Atan: since(7),
  Expand: since(8, 13),
  ConstantOfShape: since(9, 20, 21),
  Where: since(9, 16),
  Sign: since(9, 13),
  Erf: since(9, 13),
  NonZero: since(9, 13),
  Range: since(11),
  Einsum: since(12),
  HardSwish: since(14),
  GatherElements: since(11, 13),
  QuantizeLinear: since(10, 13, 19, 21),
  DequantizeLinear: since(10, 13, 19, 21),
  Upsample: { versions: [1, 7, 9, 10], adapters: { 7: upsampleScalesAttribute, 9: upsampleScalesInput, 10: upsampleToResize } },
  Resize: { versions: [10, 11, 13, 18, 19], adapters: { 11: resizeCoordinates } },
  If: since(1, 11, 13, 16, 19, 21),
  Loop: since(1, 11, 13, 16, 19, 21),
  LSTM: { versions: [1, 7, 14], adapters: { 7: dropAttributes('output_sequence') } },
  GRU: { versions: [1, 3, 7, 14], adapters: { 3: dropAttributes('output_sequence') } },
  RNN: { versions: [1, 7, 14], adapters: { 7: dropAttributes('output_sequence') } },
};

/** Opset version → lowest IR version a model importing it must declare. */
export function irVersionFor(opset: number): number {
  const table: [number, number][] = [
    [21, 10],
    [19, 9],
    [15, 8],
    [12, 7],
    [11, 6],
    [10, 5],
    [9, 4],
    [1, 3],
  ];
  return (table.find(([o]) => opset >= o) ?? [1, 3])[1];
}
