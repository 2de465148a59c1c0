export { inspectModel, summarizeModel, constantTensors, type InspectOptions } from './inspect-model';
export { convertModel, type ConvertResult } from './convert-model';
export { detectFormat, openModel } from './open-model';
export { estimateMacs, type MacEstimate } from './macs';
export type * from './model-summary';
