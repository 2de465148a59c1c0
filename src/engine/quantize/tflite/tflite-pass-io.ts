import { decodeTflite, encodeTflite, readTflite, writeTflite, type TfliteModel } from '../../formats/tflite';
import type { Model } from '../../ir/model';

/** Runs `edit` on the TFLite flatbuffer form of an IR model and puts the result back into `model`. */
export function editTflite<T>(model: Model, edit: (tflite: TfliteModel) => T): { result: T; bytes: Uint8Array } {
  const tflite = readTflite(encodeTflite(model));
  const result = edit(tflite);
  const bytes = writeTflite(tflite);
  const next = decodeTflite(bytes);
  model.graph = next.graph;
  model.extras = next.extras;
  model.opsets = next.opsets;
  return { result, bytes };
}
