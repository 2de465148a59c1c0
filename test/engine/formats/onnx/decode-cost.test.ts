import { toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { checkDecodeFits, decodeCost } from '../../../../src/engine/formats/onnx/decode-cost';
import { decodeOnnx } from '../../../../src/engine/formats/onnx';
import { emptyNodesModel, nestedIfModel } from '../../../../scripts/fuzz/hostile-models';
import { graph, int64Tensor, model, node, valueInfo, INT64 } from '../../helpers/onnx-builders';

describe('decode cost of an ONNX model, before decoding it', () => {
  it('counts the messages of the graph', () => {
    const cost = decodeCost(emptyNodesModel(1000));
    expect(cost.messages).toBeGreaterThanOrEqual(1000);
    expect(cost.heapBytes).toBeGreaterThan(1000 * 300);
  });

  it('prices packed int64 values as the BigInts they become', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => i % 100);
    const m = model(
      graph({
        node: [node('Identity', ['w'], ['y'])],
        initializer: [int64Tensor('w', [values.length], values)],
        output: [valueInfo('y', INT64, [values.length])],
      }),
    );
    const cost = decodeCost(toBinary(ModelProtoSchema, m));
    expect(cost.packedNumbers).toBe(10_000);
    expect(cost.heapBytes).toBeGreaterThan(10_000 * 24);
  });

  it('walks deep subgraph nesting without recursion', () => {
    const cost = decodeCost(nestedIfModel(5000));
    expect(cost.depth).toBeGreaterThan(3 * 5000);
  });

  it('refuses, before decoding, a model that needs more memory than there is, and says how much', () => {
    const bytes = emptyNodesModel(1_000_000);
    expect(() => checkDecodeFits(bytes, 'm.onnx', 100 * 1024 ** 2)).toThrow(
      /m\.onnx: reading this model needs more than 0\.\d GB of memory \(1,000,00\d protobuf messages/,
    );
    expect(checkDecodeFits(bytes, 'm.onnx', 4 * 1024 ** 3).messages).toBeGreaterThan(999_999);
  });
});

describe('subgraph nesting is limited by the stack, not by a count', () => {
  it('reads If bodies nested 60 deep, as real exports can be', () => {
    const model = decodeOnnx(nestedIfModel(60));
    expect(model.graph.nodes[0]?.opType).toBe('If');
  });

  it('refuses absurd nesting with a clear message instead of an internal error', () => {
    expect(() => decodeOnnx(nestedIfModel(100_000), { file: 'deep.onnx' })).toThrow(
      /deep\.onnx: the model nests subgraphs \d+ messages deep/,
    );
  });
});
