import type { ErrorInfo } from '../../errors';
import type { TfliteProfileEntry, TfliteSessionOptions, TfliteTensorInfo, TfliteTypedArray } from './tflite-tensor-info';

/** Messages from a TFLite session to its worker. */
export type SessionToWorker =
  | { type: 'create'; bytes: Uint8Array; options: TfliteSessionOptions }
  | { type: 'run'; id: number; feeds: TfliteTypedArray[] | Record<string, TfliteTypedArray> }
  | { type: 'profile'; id: number }
  | { type: 'dispose' };

/** Messages from the worker back to its session. */
export type WorkerToSession =
  | { type: 'created'; inputs: TfliteTensorInfo[]; outputs: TfliteTensorInfo[] }
  | { type: 'result'; id: number; outputs: TfliteTypedArray[]; ms: number }
  | { type: 'profile'; id: number; entries: TfliteProfileEntry[] }
  | { type: 'error'; id?: number; error: ErrorInfo };
