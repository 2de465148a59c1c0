export { readTflite, resolveBuiltinCode, type ReadTfliteOptions } from './read-tflite';
export { writeTflite, type WriteTfliteOptions } from './write-tflite';
export { sniffTflite, TFLITE_IDENTIFIER } from './sniff';
export type * from './tflite-model';
export {
  describeQuantizationProblems, findQuantizationProblems, fixQuantizedDimensions, type TfliteQuantizationProblem,
} from './quantization-check';
