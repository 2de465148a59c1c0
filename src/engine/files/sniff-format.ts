import { formatForBytes } from '../formats';
import { sniffOnnx } from '../formats/onnx';

/** What the content of a file says it is. */
export type SniffResult = { format: 'onnx' | 'tflite' } | { format: null; reason: string };

const NOT_A_MODEL = 'It is neither an ONNX model (protobuf ModelProto) nor a TFLite model (TFL3 flatbuffer).';

/**
 * Identifies a model from the first bytes of its file (`head`) and the file's size with the format
 * registry's sniffers, and says in plain words why when it is not a model.
 */
export function sniffFormat(head: Uint8Array, sizeBytes: number): SniffResult {
  if (sizeBytes === 0) return { format: null, reason: 'The file is empty.' };
  const name = formatForBytes(head, sizeBytes)?.name;
  if (name === 'onnx' || name === 'tflite') return { format: name };
  const onnx = sniffOnnx(head, sizeBytes);
  if (!onnx.ok && onnx.truncated) return { format: null, reason: `It starts like an ONNX model, but ${onnx.reason}.` };
  return { format: null, reason: NOT_A_MODEL };
}
