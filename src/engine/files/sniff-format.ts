import type { FileHandle } from 'node:fs/promises';

/** What the content of a file says it is. */
export type SniffResult = { format: 'onnx' | 'tflite' } | { format: null; reason: string };

const TFLITE_IDENTIFIER = 'TFL3';
const MAX_TOP_LEVEL_FIELDS = 100_000;

/** Wire type each known top-level ModelProto field must use (field number → wire type). */
const MODEL_PROTO_FIELDS = new Map<number, number>([
  [1, 0], // ir_version
  [2, 2], // producer_name
  [3, 2], // producer_version
  [4, 2], // domain
  [5, 0], // model_version
  [6, 2], // doc_string
  [7, 2], // graph
  [8, 2], // opset_import
  [14, 2], // metadata_props
  [20, 2], // training_info
  [25, 2], // functions
  [26, 2], // configuration
]);

/**
 * Identifies a model file by its bytes: a TFLite flatbuffer carries `TFL3` at offset 4; an ONNX file is
 * a protobuf ModelProto whose top-level fields all parse, that has a graph and an IR version, and that
 * ends exactly at the end of the file.
 */
export async function sniffFormat(file: FileHandle, sizeBytes: number): Promise<SniffResult> {
  if (sizeBytes === 0) return { format: null, reason: 'The file is empty.' };
  const head = await readAt(file, 0, Math.min(16, sizeBytes));
  if (head.length >= 8 && head.toString('latin1', 4, 8) === TFLITE_IDENTIFIER) {
    const root = head.readUInt32LE(0);
    if (root < 8 || root >= sizeBytes) {
      return { format: null, reason: 'It has the TFLite identifier but its root offset points outside the file (truncated or corrupt).' };
    }
    return { format: 'tflite' };
  }
  return sniffOnnx(file, sizeBytes);
}

async function sniffOnnx(file: FileHandle, sizeBytes: number): Promise<SniffResult> {
  const notModel: SniffResult = {
    format: null,
    reason: 'It is neither an ONNX model (protobuf ModelProto) nor a TFLite model (TFL3 flatbuffer).',
  };
  let position = 0;
  let sawGraph = false;
  let sawIrVersion = false;
  for (let count = 0; position < sizeBytes; count++) {
    if (count > MAX_TOP_LEVEL_FIELDS) return notModel;
    const window = await readAt(file, position, Math.min(24, sizeBytes - position));
    const tag = readVarint(window, 0);
    if (!tag) return notModel;
    const fieldNumber = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    const expected = MODEL_PROTO_FIELDS.get(fieldNumber);
    if (fieldNumber === 0 || (expected !== undefined && expected !== wireType)) return notModel;
    let next = position + tag.length;
    if (wireType === 0) {
      const value = readVarint(window, tag.length);
      if (!value) return notModel;
      next += value.length;
    } else if (wireType === 2) {
      const length = readVarint(window, tag.length);
      if (!length) return notModel;
      next += length.length + length.value;
    } else if (wireType === 1) next += 8;
    else if (wireType === 5) next += 4;
    else return notModel;
    if (next > sizeBytes) {
      return sawIrVersion || fieldNumber === 7
        ? { format: null, reason: `It starts like an ONNX model but is truncated: a field at byte ${position} runs past the end of the file.` }
        : notModel;
    }
    if (fieldNumber === 7) sawGraph = true;
    if (fieldNumber === 1) sawIrVersion = true;
    position = next;
  }
  if (!sawIrVersion) return notModel;
  if (!sawGraph) return { format: null, reason: 'It is a protobuf with an ONNX IR version but has no graph.' };
  return { format: 'onnx' };
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** Decodes a base-128 varint (up to 2^53) at `offset`; null when malformed or cut off. */
function readVarint(bytes: Uint8Array, offset: number): { value: number; length: number } | null {
  let value = 0;
  let scale = 1;
  for (let index = 0; index < 10 && offset + index < bytes.length; index++) {
    const byte = bytes[offset + index]!;
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return value > Number.MAX_SAFE_INTEGER ? null : { value, length: index + 1 };
    scale *= 128;
  }
  return null;
}
