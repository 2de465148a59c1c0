// Small files that ask for huge resources or never end, for the memory and hang checks:
//   range-2^30      a 1-node ONNX model whose Range output has 2^30 float elements (4 GiB) from constants
//   empty-nodes     an ONNX graph of N empty NodeProtos (2 bytes each in the file, hundreds in memory)
//   fifo-external   an ONNX model whose weight lives in "external data" that is a named pipe
import { create, toBinary } from '@bufbuild/protobuf';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
  TensorProtoSchema,
  TensorShapeProtoSchema,
  TensorShapeProto_DimensionSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
  type GraphProto,
  type ValueInfoProto,
} from 'onnx-buf';

const FLOAT = 1;

function floatValue(name: string, dims: Array<number | string>): ValueInfoProto {
  const dim = dims.map((d) =>
    create(TensorShapeProto_DimensionSchema, {
      value: typeof d === 'number' ? { case: 'dimValue', value: BigInt(d) } : { case: 'dimParam', value: d },
    }),
  );
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: { case: 'tensorType', value: { elemType: FLOAT, shape: create(TensorShapeProtoSchema, { dim }) } },
    }),
  });
}

function scalar(name: string, value: number): ReturnType<typeof create<typeof TensorProtoSchema>> {
  return create(TensorProtoSchema, { name, dataType: FLOAT, dims: [], floatData: [value] });
}

function modelBytes(graph: GraphProto, opset = 13): Uint8Array {
  return toBinary(
    ModelProtoSchema,
    create(ModelProtoSchema, {
      irVersion: 8n,
      producerName: 'lithe-hostile',
      opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(opset) })],
      graph,
    }),
  );
}

/** Range(0, 2^log2, 1) from initializers: one node, an output of 2^log2 floats. */
export function rangeModel(log2 = 30): Uint8Array {
  return modelBytes(
    create(GraphProtoSchema, {
      name: 'range',
      node: [create(NodeProtoSchema, { opType: 'Range', input: ['start', 'limit', 'delta'], output: ['y'], name: 'range' })],
      initializer: [scalar('start', 0), scalar('limit', 2 ** log2), scalar('delta', 1)],
      output: [floatValue('y', ['n'])],
    }),
  );
}

/** A model whose graph holds `count` empty NodeProtos (field 1, length 0), written as raw protobuf. */
export function emptyNodesModel(count = 10_000_000): Uint8Array {
  const header = modelBytes(create(GraphProtoSchema, { name: 'empty', output: [floatValue('y', [1])] }));
  // The graph is field 7 of ModelProto; append a second GraphProto chunk: protobuf merges repeated fields.
  const nodes = Buffer.alloc(count * 2);
  for (let i = 0; i < count; i++) nodes[i * 2] = 0x0a;
  const length = varint(nodes.length);
  return Buffer.concat([Buffer.from(header), Buffer.from([0x3a]), length, nodes]);
}

/** Writes `model.onnx` whose one weight is external data in `weights.bin`, a FIFO nobody writes to. */
export function writeFifoExternalModel(dir: string): string {
  const weight = create(TensorProtoSchema, {
    name: 'w',
    dataType: FLOAT,
    dims: [4n],
    dataLocation: 1,
    externalData: [
      create(StringStringEntryProtoSchema, { key: 'location', value: 'weights.bin' }),
      create(StringStringEntryProtoSchema, { key: 'length', value: '16' }),
    ],
  });
  const bytes = modelBytes(
    create(GraphProtoSchema, {
      name: 'fifo',
      node: [create(NodeProtoSchema, { opType: 'Add', input: ['x', 'w'], output: ['y'], name: 'add' })],
      initializer: [weight],
      input: [floatValue('x', [4])],
      output: [floatValue('y', [4])],
    }),
  );
  execFileSync('mkfifo', [join(dir, 'weights.bin')]);
  const path = join(dir, 'model.onnx');
  writeFileSync(path, bytes);
  return path;
}

/**
 * A model of `depth` If nodes, each the then-branch of the one outside it, around one Identity;
 * built as raw protobuf, so any depth can be written (encoders recurse). Built in one pass: each
 * level only adds a prefix and a suffix around the graph inside it, so the cost is linear in depth.
 */
export function nestedIfModel(depth: number): Uint8Array {
  const tag = (number: number): Buffer => varint(number * 8 + 2);
  const field = (number: number, payload: Buffer): Buffer => Buffer.concat([tag(number), varint(payload.length), payload]);
  const text = (value: string): Buffer => Buffer.from(value, 'utf8');
  // GraphProto: node 1, name 2, output 12 (ValueInfoProto name 1). NodeProto: input 1, output 2, op_type 4, attribute 5.
  // AttributeProto: name 1, g 6, type 20 (GRAPH = 5).
  const graphTail = Buffer.concat([field(2, text('g')), field(12, field(1, text('y')))]);
  const nodeHead = Buffer.concat([field(1, text('c')), field(2, text('y')), field(4, text('If'))]);
  const attributeHead = field(1, text('then_branch'));
  const attributeTail = Buffer.concat([varint(20 * 8), varint(5)]);
  const innermost = Buffer.concat([
    field(1, Buffer.concat([field(1, text('x')), field(2, text('y')), field(4, text('Identity'))])),
    graphTail,
  ]);
  const prefixes: Buffer[] = [];
  let length = innermost.length;
  for (let level = 0; level < depth; level++) {
    const attributeLength = attributeHead.length + tag(6).length + varint(length).length + length + attributeTail.length;
    const nodeLength = nodeHead.length + tag(5).length + varint(attributeLength).length + attributeLength;
    const prefix = Buffer.concat([
      tag(1),
      varint(nodeLength),
      nodeHead,
      tag(5),
      varint(attributeLength),
      attributeHead,
      tag(6),
      varint(length),
    ]);
    prefixes.push(prefix);
    length = prefix.length + length + attributeTail.length + graphTail.length;
  }
  const suffix = Buffer.concat([attributeTail, graphTail]);
  const header = Buffer.from(modelBytes(create(GraphProtoSchema, { name: 'outer' })));
  return Buffer.concat([header, tag(7), varint(length), ...prefixes.reverse(), innermost, ...Array<Buffer>(depth).fill(suffix)]);
}

function varint(value: number): Buffer {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}
