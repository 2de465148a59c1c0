// Tiny ONNX models built with the onnx-buf schema, for tests that must not depend on files.
import { create, toBinary } from '@bufbuild/protobuf';
import {
  AttributeProtoSchema,
  FunctionProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
  TensorProtoSchema,
  TensorShapeProtoSchema,
  TensorShapeProto_DimensionSchema,
  TrainingInfoProtoSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
  type AttributeProto,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from 'onnx-buf';
import { at } from '../../helpers/at';

export const FLOAT = 1;
export const INT64 = 7;

export function valueInfo(name: string, elemType: number, dims: (number | string)[]): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: {
          elemType,
          shape: create(TensorShapeProtoSchema, {
            dim: dims.map((d) =>
              create(TensorShapeProto_DimensionSchema, {
                value: typeof d === 'number' ? { case: 'dimValue', value: BigInt(d) } : { case: 'dimParam', value: d },
              }),
            ),
          }),
        },
      },
    }),
  });
}

export function floatTensor(name: string, dims: number[], values: number[], asRaw = true): TensorProto {
  const t = create(TensorProtoSchema, { name, dataType: FLOAT, dims: dims.map(BigInt) });
  if (asRaw) t.rawData = new Uint8Array(Float32Array.from(values).buffer);
  else t.floatData = values;
  return t;
}

export function int64Tensor(name: string, dims: number[], values: number[]): TensorProto {
  return create(TensorProtoSchema, { name, dataType: INT64, dims: dims.map(BigInt), int64Data: values.map(BigInt) });
}

export function node(opType: string, inputs: string[], outputs: string[], attributes: AttributeProto[] = [], name = ''): NodeProto {
  return create(NodeProtoSchema, { opType, input: inputs, output: outputs, attribute: attributes, name });
}

export function intsAttr(name: string, values: number[]): AttributeProto {
  return create(AttributeProtoSchema, { name, type: 7, ints: values.map(BigInt) });
}

export function intAttr(name: string, value: number): AttributeProto {
  return create(AttributeProtoSchema, { name, type: 2, i: BigInt(value) });
}

export function graph(
  parts: Partial<Pick<GraphProto, 'node' | 'initializer' | 'input' | 'output' | 'valueInfo' | 'name' | 'docString'>>,
): GraphProto {
  return create(GraphProtoSchema, { name: 'g', ...parts });
}

export function model(g: GraphProto, opset = 13): ModelProto {
  return create(ModelProtoSchema, {
    irVersion: 8n,
    producerName: 'lithe-tests',
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(opset) })],
    graph: g,
  });
}

export function encode(m: ModelProto): Uint8Array {
  return toBinary(ModelProtoSchema, m);
}

/** y = Relu(MatMul(x, W) + b) with x: float[N,4], W: [4,3], b: [3]. */
export function mlpModel(asRaw = true): ModelProto {
  const w = Array.from({ length: 12 }, (_, i) => (i - 6) / 7);
  return model(
    graph({
      node: [
        node('MatMul', ['x', 'W'], ['h'], [], 'mm'),
        node('Add', ['h', 'b'], ['a'], [], 'add'),
        node('Relu', ['a'], ['y'], [], 'relu'),
      ],
      initializer: [floatTensor('W', [4, 3], w, asRaw), floatTensor('b', [3], [0.1, -0.2, 0.3], asRaw)],
      input: [valueInfo('x', FLOAT, ['N', 4])],
      output: [valueInfo('y', FLOAT, ['N', 3])],
      valueInfo: [valueInfo('h', FLOAT, ['N', 3])],
    }),
  );
}

/** A model using every descriptive field: metadata, doc strings, functions, training info. */
export function richModel(): ModelProto {
  const m = mlpModel();
  m.docString = 'a model with everything';
  m.domain = 'ai.lithe.test';
  m.modelVersion = 3n;
  m.producerVersion = '1.2.3';
  m.metadataProps = [
    create(StringStringEntryProtoSchema, { key: 'author', value: 'tests' }),
    create(StringStringEntryProtoSchema, { key: 'license', value: 'MIT' }),
  ];
  m.graph!.docString = 'graph docs';
  at(m.graph!.node, 0).docString = 'node docs';
  m.functions = [
    create(FunctionProtoSchema, {
      name: 'Double',
      domain: 'local',
      input: ['X'],
      output: ['Y'],
      node: [node('Add', ['X', 'X'], ['Y'])],
      opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: 13n })],
      docString: 'doubles',
    }),
  ];
  m.trainingInfo = [create(TrainingInfoProtoSchema, { algorithm: graph({ name: 'train', node: [node('Identity', ['W'], ['W2'])] }) })];
  m.opsetImport.push(create(OperatorSetIdProtoSchema, { domain: 'local', version: 1n }));
  return m;
}

/** Appends an unknown field (number 999, varint 42) to encoded message bytes. */
export function withUnknownField(bytes: Uint8Array): Uint8Array {
  const extra = new Uint8Array([0xb8, 0x3e, 42]); // tag (999 << 3 | 0) as varint, then 42
  const out = new Uint8Array(bytes.length + extra.length);
  out.set(bytes);
  out.set(extra, bytes.length);
  return out;
}

/**
 * x[1] → (x + cᵢ) → Expand to [64, 1024, 1024] (256 MB each), four of them → Concat → ReduceSum → y: a tiny file
 * with a gigabyte of activations that ONNX Runtime allocates natively when the model runs.
 */
export function expandBranchesModel(): ModelProto {
  const branches = [0, 1, 2, 3];
  const nodes = branches.flatMap((i) => [node('Add', ['x', `c${i}`], [`a${i}`]), node('Expand', [`a${i}`, 'shape'], [`e${i}`])]);
  nodes.push(
    node(
      'Concat',
      branches.map((i) => `e${i}`),
      ['all'],
      [intAttr('axis', 0)],
    ),
  );
  nodes.push(node('ReduceSum', ['all'], ['y'], [intAttr('keepdims', 0)]));
  return model(
    graph({
      node: nodes,
      initializer: [int64Tensor('shape', [3], [64, 1024, 1024]), ...branches.map((i) => floatTensor(`c${i}`, [1], [i + 1]))],
      input: [valueInfo('x', FLOAT, [1])],
      output: [valueInfo('y', FLOAT, [])],
    }),
  );
}
