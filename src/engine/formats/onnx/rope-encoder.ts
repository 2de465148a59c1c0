import { create, toBinary, type DescField, type DescMessage, type Message } from '@bufbuild/protobuf';
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';

/**
 * Protobuf encoding as a list of byte chunks. Large `bytes` fields (tensor data) are referenced,
 * never copied, so writing a model needs little memory beyond the data it already holds.
 * Field order and encoding are exactly those of `toBinary` (field-number order, unknown fields
 * last), so the result equals `toBinary(schema, message)` byte for byte.
 */
export interface Rope {
  chunks: Uint8Array[];
  length: number;
}

/** `bytes` fields at least this long are referenced instead of copied. */
const BIG = 64 * 1024;

// Message fields that can (transitively) hold large tensor data, per message type.
const CONTAINERS: Record<string, ReadonlySet<number>> = {
  'onnx.ModelProto': new Set([7, 20, 25]),
  'onnx.GraphProto': new Set([1, 5, 15]),
  'onnx.NodeProto': new Set([5]),
  'onnx.AttributeProto': new Set([5, 6, 10, 11, 22, 23]),
  'onnx.TensorProto': new Set([9]),
  'onnx.FunctionProto': new Set([7]),
  'onnx.TrainingInfoProto': new Set([1, 2]),
  'onnx.SparseTensorProto': new Set([1, 2]),
};

type AnyMessage = Message & Record<string, unknown>;

function own(msg: AnyMessage, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(msg, key);
}

function isBig(desc: DescMessage, msg: AnyMessage): boolean {
  const fields = CONTAINERS[desc.typeName];
  if (!fields) return false;
  for (const f of desc.fields) {
    if (!fields.has(f.number)) continue;
    const v = msg[f.localName];
    if (v === undefined) continue;
    if (f.fieldKind === 'scalar') {
      if (v instanceof Uint8Array && v.byteLength >= BIG) return true;
    } else if (f.fieldKind === 'message' && f.message && own(msg, f.localName)) {
      if (isBig(f.message, v as AnyMessage)) return true;
    } else if (f.fieldKind === 'list' && f.listKind === 'message') {
      for (const item of v as AnyMessage[]) if (isBig(f.message, item)) return true;
    }
  }
  return false;
}

function header(field: number, length: number): Uint8Array {
  return new BinaryWriter().tag(field, WireType.LengthDelimited).uint32(length).finish();
}

/** Encodes `msg` (of type `desc`) as a {@link Rope}. */
export function encodeRope(desc: DescMessage, msg: Message): Rope {
  const rope: Rope = { chunks: [], length: 0 };
  appendMessage(rope, desc, msg as AnyMessage);
  return rope;
}

function push(rope: Rope, bytes: Uint8Array): void {
  if (bytes.byteLength === 0) return;
  rope.chunks.push(bytes);
  rope.length += bytes.byteLength;
}

function appendMessage(rope: Rope, desc: DescMessage, msg: AnyMessage): void {
  const big = CONTAINERS[desc.typeName];
  if (!big || !isBig(desc, msg)) {
    push(rope, toBinary(desc, msg));
    return;
  }
  const sorted = [...desc.fields].sort((a, b) => a.number - b.number);
  let group: DescField[] = [];
  const flush = (withUnknown: boolean): void => {
    if (group.length === 0 && !(withUnknown && msg.$unknown?.length)) return;
    const part = create(desc) as AnyMessage;
    for (const f of group) if (own(msg, f.localName)) part[f.localName] = msg[f.localName];
    if (withUnknown && msg.$unknown) part.$unknown = msg.$unknown;
    push(rope, toBinary(desc, part));
    group = [];
  };
  for (const f of sorted) {
    if (!big.has(f.number)) {
      group.push(f);
      continue;
    }
    flush(false);
    const v = msg[f.localName];
    if (v === undefined || !own(msg, f.localName)) continue;
    if (f.fieldKind === 'scalar' && v instanceof Uint8Array) {
      push(rope, header(f.number, v.byteLength));
      push(rope, v);
    } else if (f.fieldKind === 'message' && f.message) {
      appendChild(rope, f.number, f.message, v as AnyMessage);
    } else if (f.fieldKind === 'list' && f.listKind === 'message') {
      for (const item of v as AnyMessage[]) appendChild(rope, f.number, f.message, item);
    }
  }
  flush(true);
}

function appendChild(rope: Rope, field: number, desc: DescMessage, msg: AnyMessage): void {
  const child = encodeRope(desc, msg);
  push(rope, header(field, child.length));
  for (const c of child.chunks) push(rope, c);
}

/** Concatenates a rope into one buffer. */
export function ropeToBytes(rope: Rope): Uint8Array {
  const out = new Uint8Array(rope.length);
  let at = 0;
  for (const c of rope.chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
