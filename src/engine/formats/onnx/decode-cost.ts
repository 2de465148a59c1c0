import { getHeapStatistics } from 'node:v8';
import { LitheError } from '../../errors';
import { readVarint as varint } from './sniff';

// What decoding a ModelProto will cost in memory, counted from its wire format before decoding it.
// The file's bytes say little: an empty NodeProto is 2 bytes on disk and ~270 bytes as a decoded
// message (plus its node in Lithe's graph); a packed int64 value is 1 byte on disk and a BigInt of
// ~24 bytes in memory. The scan walks the nested messages with an explicit stack (no recursion) and
// prices each message and each packed number; raw_data stays a view into the file and costs nothing.

/** Counts from the scan of one ModelProto. */
export interface DecodeCost {
  /** Nested messages (nodes, attributes, tensors, value infos, graphs, …). */
  messages: number;
  /** Numbers in packed repeated fields (float_data, int64_data, ints, …). */
  packedNumbers: number;
  /** Deepest nesting of messages. */
  depth: number;
  /** Estimated bytes of JavaScript heap the decoded model takes (protobuf messages and Lithe's graph). */
  heapBytes: number;
}

// Field number → message kind, for the message kinds that can hold more messages.
type Kind = 'model' | 'graph' | 'node' | 'attribute' | 'tensor' | 'training' | 'function' | 'leaf';
const CHILDREN: Record<Kind, ReadonlyMap<number, Kind>> = {
  // ModelProto: graph 7, training_info 20, functions 25, opset_import 8, metadata_props 14.
  model: new Map([
    [7, 'graph'],
    [20, 'training'],
    [25, 'function'],
    [8, 'leaf'],
    [14, 'leaf'],
  ]),
  // GraphProto: node 1, initializer 5, sparse_initializer 15, input 11, output 12, value_info 13, quantization_annotation 14.
  graph: new Map([
    [1, 'node'],
    [5, 'tensor'],
    [15, 'leaf'],
    [11, 'leaf'],
    [12, 'leaf'],
    [13, 'leaf'],
    [14, 'leaf'],
  ]),
  // NodeProto: attribute 5, metadata_props 9.
  node: new Map([
    [5, 'attribute'],
    [9, 'leaf'],
  ]),
  // AttributeProto: t 5, g 6, tensors 10, graphs 11, sparse_tensor 22, sparse_tensors 23, tp 14, type_protos 15.
  attribute: new Map([
    [5, 'tensor'],
    [6, 'graph'],
    [10, 'tensor'],
    [11, 'graph'],
    [22, 'leaf'],
    [23, 'leaf'],
    [14, 'leaf'],
    [15, 'leaf'],
  ]),
  // TensorProto: segment 3, external_data 13, metadata_props 16.
  tensor: new Map([
    [3, 'leaf'],
    [13, 'leaf'],
    [16, 'leaf'],
  ]),
  // TrainingInfoProto: initialization 1, algorithm 2.
  training: new Map([
    [1, 'graph'],
    [2, 'graph'],
  ]),
  // FunctionProto: node 7, attribute_proto 11, value_info 12.
  function: new Map([
    [7, 'node'],
    [11, 'attribute'],
    [12, 'leaf'],
  ]),
  leaf: new Map(),
};
// Packed numeric fields: TensorProto float_data 4, int32_data 5, int64_data 7, double_data 10, uint64_data 11;
// AttributeProto floats 7, ints 8. On disk a number takes 4 or 8 bytes (fixed) or at least 1 (varint);
// decoded it is a JS number (8 bytes) or a BigInt (~24 bytes).
interface Packed {
  diskBytes: number;
  heapBytes: number;
}
const FLOAT: Packed = { diskBytes: 4, heapBytes: 8 };
const DOUBLE: Packed = { diskBytes: 8, heapBytes: 8 };
const INT32: Packed = { diskBytes: 1, heapBytes: 8 };
const INT64: Packed = { diskBytes: 1, heapBytes: 24 };
const PACKED: Partial<Record<Kind, ReadonlyMap<number, Packed>>> = {
  tensor: new Map([
    [4, FLOAT],
    [5, INT32],
    [7, INT64],
    [10, DOUBLE],
    [11, INT64],
  ]),
  attribute: new Map([
    [7, FLOAT],
    [8, INT64],
  ]),
};

// Measured: ~270 bytes per decoded empty NodeProto; Lithe's Node/Value objects add about as much.
const BYTES_PER_MESSAGE = 600;

/** Scans the ModelProto in `bytes` (already sniffed as one) and estimates what decoding it takes. */
export function decodeCost(bytes: Uint8Array): DecodeCost {
  let messages = 0;
  let packedNumbers = 0;
  let packedBytes = 0;
  let depth = 0;
  const stack: Array<{ kind: Kind; end: number; depth: number }> = [{ kind: 'model', end: bytes.byteLength, depth: 0 }];
  let pos = 0;
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (!top) break;
    if (pos >= top.end) {
      stack.pop();
      continue;
    }
    const tag = varint(bytes, pos);
    if (!tag) break;
    pos = tag.next;
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    if (wire === 0) {
      const v = varint(bytes, pos);
      if (!v) break;
      pos = v.next;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const length = varint(bytes, pos);
      if (!length) break;
      const start = length.next;
      const end = Math.min(start + length.value, top.end);
      const child = CHILDREN[top.kind].get(field);
      const packed = PACKED[top.kind]?.get(field);
      if (child) {
        messages++;
        depth = Math.max(depth, top.depth + 1);
        if (child !== 'leaf') {
          stack.push({ kind: child, end, depth: top.depth + 1 });
          pos = start;
          continue;
        }
      } else if (packed) {
        const count = Math.floor((end - start) / packed.diskBytes);
        packedNumbers += count;
        packedBytes += count * packed.heapBytes;
      }
      pos = end;
    } else break;
  }
  return { messages, packedNumbers, depth, heapBytes: messages * BYTES_PER_MESSAGE + packedBytes };
}

/**
 * Refuses, before decoding, a model whose decoded form would not fit in this thread's JavaScript
 * heap: it says how much it needs instead of running out of memory half-way.
 */
export function checkDecodeFits(bytes: Uint8Array, file: string | undefined, available = availableHeapBytes()): DecodeCost {
  const cost = decodeCost(bytes);
  if (cost.heapBytes > available * 0.8) {
    const what = `${cost.messages.toLocaleString('en-US')} protobuf messages (nodes, attributes, tensors)${
      cost.packedNumbers > 0 ? ` and ${cost.packedNumbers.toLocaleString('en-US')} numbers stored one by one` : ''
    }`;
    throw new LitheError(
      'unsupported',
      `reading this model needs more than ${gigabytes(cost.heapBytes)} of memory (${what}); Lithe may use ${gigabytes(available)} here`,
      { file },
    );
  }
  return cost;
}

/** Bytes this thread's JavaScript heap can still grow by. */
export function availableHeapBytes(): number {
  const heap = getHeapStatistics();
  return heap.heap_size_limit - heap.used_heap_size;
}

function gigabytes(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}
