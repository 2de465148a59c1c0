import type { ErrorInfo } from '../../errors';
import type { TfliteProfileEntry, TfliteSessionOptions, TfliteTensorInfo, TfliteTypedArray } from './tflite-tensor-info';

/** Messages from a TFLite session to its worker. */
export type SessionToWorker =
  | { type: 'create'; bytes: Uint8Array; options: TfliteSessionOptions }
  /** Builds an interpreter for new model bytes and then frees the old one; when the new one fails, the old one stays. */
  | { type: 'load'; id: number; bytes: Uint8Array; options: TfliteSessionOptions }
  | { type: 'run'; id: number; feeds: TfliteTypedArray[] | Record<string, TfliteTypedArray> }
  | { type: 'profile'; id: number }
  | { type: 'dispose' };

/** Messages from the worker back to its session. */
export type WorkerToSession =
  | { type: 'created'; inputs: TfliteTensorInfo[]; outputs: TfliteTensorInfo[] }
  | { type: 'loaded'; id: number; inputs: TfliteTensorInfo[]; outputs: TfliteTensorInfo[] }
  | { type: 'result'; id: number; outputs: TfliteTypedArray[]; ms: number }
  | { type: 'profile'; id: number; entries: TfliteProfileEntry[] }
  | { type: 'error'; id?: number; error: ErrorInfo };
