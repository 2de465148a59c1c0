export { createTfliteSession, TFLITE_RUNTIME_NAME, type TfliteRunResult, type TfliteSession } from './tflite-session';
export type {
  TfliteDType,
  TfliteProfileEntry,
  TfliteQuantParams,
  TfliteSessionOptions,
  TfliteTensorInfo,
  TfliteTypedArray,
} from './tflite-tensor-info';
export { randomInput, seededRandom } from './random-inputs';
export { tfliteThreads } from './tflite-pthreads';
