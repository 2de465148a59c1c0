export { staticInt8, StaticInt8Options } from './static-int8';
export { dynamicInt8 } from './dynamic-int8';
export { float16 } from './float16';
export { int4Weights } from './int4-weights';
export { mixedPrecision } from './mixed-precision';
export { calibrateRanges, type CalibrationMethod, type TensorRange } from './calibrate';
export { QUANTIZATION_PASSES } from './passes';
