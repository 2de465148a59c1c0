import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, type GraphProto } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { decodeOnnx, encodeOnnx } from '../../../../src/engine/formats/onnx';
import { at, defined } from '../../../helpers/at';
import { encode, floatTensor, mlpModel, richModel, withUnknownField } from '../../helpers/onnx-builders';

/** The graph of an encoded model, decoded with the protobuf schema alone. */
const writtenGraph = (bytes: Uint8Array): GraphProto => defined(fromBinary(ModelProtoSchema, bytes).graph, 'written graph');

describe('ONNX codec round trip', () => {
  it('writes an unchanged model back byte for byte', () => {
    const bytes = encode(mlpModel());
    expect(Buffer.from(encodeOnnx(decodeOnnx(bytes)))).toEqual(Buffer.from(bytes));
  });

  it('keeps metadata, doc strings, value_info, opsets, functions and training info', () => {
    const bytes = encode(richModel());
    const out = encodeOnnx(decodeOnnx(bytes));
    expect(Buffer.from(out)).toEqual(Buffer.from(bytes));
    const back = fromBinary(ModelProtoSchema, out);
    expect(back.metadataProps.map((m) => m.key)).toEqual(['author', 'license']);
    expect(at(back.functions, 0).name).toBe('Double');
    expect(back.trainingInfo).toHaveLength(1);
    expect(at(defined(back.graph, 'written graph').valueInfo, 0).name).toBe('h');
  });

  it('keeps unknown fields', () => {
    const bytes = withUnknownField(encode(mlpModel()));
    expect(Buffer.from(encodeOnnx(decodeOnnx(bytes)))).toEqual(Buffer.from(bytes));
  });

  it('keeps typed data fields (float_data) as they were', () => {
    const bytes = encode(mlpModel(false));
    const model = decodeOnnx(bytes);
    expect(Array.from(at(model.graph.initializers, 1).toTypedArray() as Float32Array)).toEqual(
      Array.from(Float32Array.from([0.1, -0.2, 0.3])),
    );
    expect(Buffer.from(encodeOnnx(model))).toEqual(Buffer.from(bytes));
  });

  it('re-encodes only what changed', () => {
    const model = decodeOnnx(encode(mlpModel()));
    at(model.graph.initializers, 1).setBytes(new Uint8Array(Float32Array.from([1, 2, 3]).buffer));
    at(model.graph.nodes, 2).name = 'renamed';
    const back = writtenGraph(encodeOnnx(model));
    expect(at(back.node, 2).name).toBe('renamed');
    expect(Array.from(new Float32Array(at(back.initializer, 1).rawData.slice().buffer))).toEqual([1, 2, 3]);
    expect(at(back.initializer, 0).rawData.byteLength).toBe(48);
  });

  it('keeps tensor data as a view into the file bytes', () => {
    const bytes = encode(mlpModel());
    const model = decodeOnnx(bytes);
    const w = at(model.graph.initializers, 0).bytes();
    expect(w.buffer).toBe(bytes.buffer);
  });

  it('writes a changed value type', () => {
    const model = decodeOnnx(encode(mlpModel()));
    at(model.graph.inputs, 0).type = { kind: 'tensor', dtype: 'float32', shape: [2, 4] };
    const t = at(writtenGraph(encodeOnnx(model)).input, 0).type?.value;
    expect(t?.case === 'tensorType' && t.value.shape?.dim.map((d) => d.value.value)).toEqual([2n, 4n]);
  });

  it('reads subgraphs with outer-scope references', async () => {
    const { graph, model, node, valueInfo, FLOAT } = await import('../../helpers/onnx-builders');
    const { create } = await import('@bufbuild/protobuf');
    const { AttributeProtoSchema, TensorProtoSchema } = await import('onnx-buf');
    const branch = (op: string): ReturnType<typeof graph> =>
      graph({ name: op, node: [node(op, ['x'], ['r'])], output: [valueInfo('r', FLOAT, [2])] });
    const cond = create(TensorProtoSchema, { name: 'c', dataType: 9, dims: [], rawData: new Uint8Array([1]) });
    const m = model(
      graph({
        node: [
          node(
            'If',
            ['c'],
            ['y'],
            [
              create(AttributeProtoSchema, { name: 'then_branch', type: 5, g: branch('Relu') }),
              create(AttributeProtoSchema, { name: 'else_branch', type: 5, g: branch('Neg') }),
            ],
          ),
        ],
        initializer: [cond],
        input: [valueInfo('x', FLOAT, [2])],
        output: [valueInfo('y', FLOAT, [2])],
      }),
    );
    const bytes = encode(m);
    const ir = decodeOnnx(bytes);
    const sub = at(ir.graph.nodes, 0).subgraphs();
    expect(sub).toHaveLength(2);
    expect(at(at(at(sub, 0).nodes, 0).inputs, 0)).toBe(at(ir.graph.inputs, 0));
    expect(Buffer.from(encodeOnnx(ir))).toEqual(Buffer.from(bytes));
    void floatTensor;
  });
});

describe('ONNX writer after IR edits', () => {
  it('writes an initializer under its renamed value', () => {
    const model = decodeOnnx(encode(mlpModel()));
    const w = model.graph.ownValue('W')!;
    model.graph.rename(w, 'weights');
    expect(model.graph.value('weights')).toBe(w);
    expect(model.graph.ownValue('W')).toBeUndefined();
    const back = writtenGraph(encodeOnnx(model));
    expect(at(back.initializer, 0).name).toBe('weights');
    expect(at(back.node, 0).input).toEqual(['x', 'weights']);
  });

  it('inspecting (shape inference) does not change what is written', async () => {
    const { inferShapes } = await import('../../../../src/engine/ir');
    const bytes = encode(mlpModel());
    const model = decodeOnnx(bytes);
    expect(inferShapes(model)).toBeGreaterThan(0);
    expect(Buffer.from(encodeOnnx(model))).toEqual(Buffer.from(bytes));
  });
});

describe('old ONNX files', () => {
  it('understands attributes without a type field (IR < 3) and writes them back unchanged', async () => {
    const { create } = await import('@bufbuild/protobuf');
    const { AttributeProtoSchema } = await import('onnx-buf');
    const m = mlpModel();
    at(m.graph!.node, 2).attribute = [
      create(AttributeProtoSchema, { name: 'alpha', f: 0.5 }),
      create(AttributeProtoSchema, { name: 'axes', ints: [1n, 2n] }),
    ];
    const bytes = encode(m);
    const model = decodeOnnx(bytes);
    expect(at(model.graph.nodes, 2).float('alpha', 0)).toBe(0.5);
    expect(at(model.graph.nodes, 2).ints('axes')).toEqual([1, 2]);
    expect(Buffer.from(encodeOnnx(model))).toEqual(Buffer.from(bytes));
  });
});
