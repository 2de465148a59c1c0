export { readTflite, resolveBuiltinCode, type ReadTfliteOptions } from './read-tflite';
export { writeTflite, type WriteTfliteOptions } from './write-tflite';
export { sniffTflite, TFLITE_IDENTIFIER } from './sniff';
export type * from './tflite-model';
export {
  describeQuantizationProblems,
  findQuantizationProblems,
  fixQuantizedDimensions,
  quantizationAxisProblem,
  tensorQuantizationProblem,
  type TfliteQuantizationProblem,
} from './quantization-check';
export { tfliteToIr } from './to-ir';
export { tfliteFromIr } from './from-ir';
export { decodeTflite, encodeTflite, readTfliteFile, writeTfliteFile } from './read-write-ir';
export { TFLITE_CUSTOM_DOMAIN, TFLITE_DOMAIN, builtinCodeOf, builtinName } from './op-names';
export { dtypeFromTflite, dtypeToTflite } from './dtype-map';
export { TFLITE_MODEL_FORMAT } from './format';
export {
  convertTfliteToOnnx,
  tfliteToOnnx,
  TFLITE_TO_ONNX_OPS,
  type OnnxStateIo,
  type TfliteToOnnxOptions,
  type TfliteToOnnxResult,
} from './convert/to-onnx';
export { describeUnconvertible, type UnconvertibleOp } from './convert/unconvertible';
export { convertOnnxToTflite, onnxToTflite, translateOnnx, type OnnxToTfliteOptions, type OnnxToTfliteResult } from './convert/from-onnx';
export { convertModelFormat, type FormatConversion, type FormatConversionOptions } from './convert/convert-format';
