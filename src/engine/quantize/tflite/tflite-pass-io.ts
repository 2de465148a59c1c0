import { decodeTflite, encodeTflite, readTflite, writeTflite, type TfliteModel } from '../../formats/tflite';
import type { Model } from '../../ir/model';

/** Runs `edit` on the TFLite flatbuffer form of an IR model and puts the result back into `model`. */
export async function editTflite<T>(
  model: Model,
  edit: (tflite: TfliteModel) => T | Promise<T>,
): Promise<{ result: T; bytes: Uint8Array }> {
  const tflite = readTflite(encodeTflite(model));
  const result = await edit(tflite);
  dropOrphanBuffers(tflite);
  const bytes = writeTflite(tflite);
  const next = decodeTflite(bytes);
  model.graph = next.graph;
  model.extras = next.extras;
  model.opsets = next.opsets;
  model.calledGraphs = next.calledGraphs;
  return { result, bytes };
}

/** Empties buffers no tensor or metadata entry refers to (indices stay valid; the bytes go). */
export function dropOrphanBuffers(model: TfliteModel): number {
  const used = new Set<number>([0]);
  for (const g of model.subgraphs) for (const t of g.tensors) used.add(t.buffer);
  for (const m of model.metadata ?? []) used.add(m.buffer);
  for (const b of model.metadataBuffer ?? []) used.add(b);
  let dropped = 0;
  model.buffers.forEach((buffer, i) => {
    if (!used.has(i) && buffer.data && buffer.data.length > 0) {
      buffer.data = null;
      dropped++;
    }
  });
  return dropped;
}
