import { encodeTflite, readTfliteFile, writeTfliteFile } from './read-write-ir';
import { sniffTflite } from './sniff';

/** TFLite's entry for the engine's format registry (a complete `ModelFormat` of formats/index.ts). */
export const TFLITE_MODEL_FORMAT = {
  name: 'tflite' as const,
  extensions: ['.tflite'] as const,
  sniff: (head: Uint8Array): boolean => sniffTflite(head),
  read: readTfliteFile,
  write: writeTfliteFile,
  encode: encodeTflite,
};
