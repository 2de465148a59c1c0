/** Outcome of looking at bytes as an ONNX ModelProto without decoding it. */
export type OnnxSniff = { ok: true } | { ok: false; reason: string; truncated?: boolean };

// ModelProto field number → expected wire type (0 varint, 2 length-delimited).
const MODEL_FIELDS = new Map<number, number>([
  [1, 0],
  [2, 2],
  [3, 2],
  [4, 2],
  [5, 0],
  [6, 2],
  [7, 2],
  [8, 2],
  [14, 2],
  [20, 2],
  [25, 2],
  [26, 2],
]);
const NAMES: Record<number, string> = { 7: 'graph', 8: 'opset_import', 14: 'metadata_props', 20: 'training_info', 25: 'functions' };

/**
 * Walks the top-level protobuf fields of `bytes` and checks they form an ONNX ModelProto: valid
 * wire format, known fields with the right wire types, and a `graph`. When `bytes` is only the
 * first part of a file of `fileSize` bytes, fields running past the prefix are accepted.
 */
export function sniffOnnx(bytes: Uint8Array, fileSize = bytes.byteLength): OnnxSniff {
  if (bytes.byteLength === 0) return { ok: false, reason: 'the file is empty' };
  let pos = 0;
  let sawGraph = false;
  let sawIrVersion = false;
  const prefixOnly = fileSize > bytes.byteLength;
  while (pos < bytes.byteLength) {
    const start = pos;
    const tag = readVarint(bytes, pos);
    if (!tag) return prefixOnly ? verdict(sawGraph || sawIrVersion) : { ok: false, reason: `invalid protobuf tag at byte ${start}` };
    pos = tag.next;
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    if (field === 0) return { ok: false, reason: `invalid protobuf field number 0 at byte ${start}` };
    const expected = MODEL_FIELDS.get(field);
    if (expected !== undefined && expected !== wire) {
      return { ok: false, reason: `field ${field} at byte ${start} has wire type ${wire}, which an ONNX ModelProto never uses there` };
    }
    if (field === 7) sawGraph = true;
    if (field === 1) sawIrVersion = true;
    if (wire === 0) {
      const v = readVarint(bytes, pos);
      if (!v) return prefixOnly ? verdict(sawGraph || sawIrVersion) : truncatedAt(start, field, fileSize);
      pos = v.next;
    } else if (wire === 2) {
      const len = readVarint(bytes, pos);
      if (!len) return prefixOnly ? verdict(sawGraph || sawIrVersion) : truncatedAt(start, field, fileSize);
      const end = len.next + len.value;
      if (end > fileSize) {
        return {
          ok: false,
          truncated: true,
          reason: `the file is truncated: field ${NAMES[field] ?? field} at byte ${start} needs ${len.value} bytes, but the file ends at byte ${fileSize}`,
        };
      }
      pos = end;
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 5) {
      pos += 4;
    } else {
      return { ok: false, reason: `unsupported protobuf wire type ${wire} at byte ${start}` };
    }
    if (pos > fileSize) return truncatedAt(start, field, fileSize);
  }
  if (prefixOnly) return verdict(sawGraph || sawIrVersion);
  if (!sawGraph) return { ok: false, reason: 'the file is a protobuf message but not an ONNX model: it has no graph' };
  return { ok: true };
}

function verdict(plausible: boolean): OnnxSniff {
  return plausible ? { ok: true } : { ok: false, reason: 'no ONNX ModelProto fields found' };
}

function truncatedAt(start: number, field: number, fileSize: number): OnnxSniff {
  return {
    ok: false,
    truncated: true,
    reason: `the file is truncated: field ${NAMES[field] ?? field} at byte ${start} runs past the end of the file (${fileSize} bytes)`,
  };
}

/** The protobuf varint at `pos` and the position after it; undefined when the bytes end first. */
export function readVarint(bytes: Uint8Array, pos: number): { value: number; next: number } | undefined {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    const b = bytes[pos + i];
    if (b === undefined) return undefined;
    value += (b & 0x7f) * mul;
    mul *= 128;
    if ((b & 0x80) === 0) return { value, next: pos + i + 1 };
  }
  return undefined;
}
