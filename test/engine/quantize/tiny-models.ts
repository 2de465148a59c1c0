// Tiny models and synthetic data for the quantization tests.
import type { DataSource } from '../../../src/engine/data/batch';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { intAttr } from '../../../src/engine/quantize/onnx/graph-edit';
import { GraphBuilder, randomFloats } from '../passes/graph-builder';

/** Conv → Relu → MaxPool → Flatten → Gemm (+bias): a little image classifier, input [N,1,8,8] → [N,5]. */
export function tinyCnn(): GraphBuilder {
  const b = new GraphBuilder(13);
  const x = b.input('x', ['N', 1, 8, 8]);
  const conv = b.op(
    'Conv',
    [x, b.weight('w1', [4, 1, 3, 3]), b.weight('b1', [4])],
    { pads: { kind: 'ints', value: [1n, 1n, 1n, 1n] } },
    'conv',
  );
  const relu = b.op('Relu', [conv]);
  const pool = b.op('MaxPool', [relu], { kernel_shape: { kind: 'ints', value: [2n, 2n] }, strides: { kind: 'ints', value: [2n, 2n] } });
  const flat = b.op('Flatten', [pool]);
  const y = b.op('Gemm', [flat, b.weight('w2', [5, 64]), b.weight('b2', [5])], { transB: intAttr('transB', 1).value }, 'logits');
  b.output(y, ['N', 5]);
  return b;
}

/** x [N,64] → MatMul [64,48] → Relu → MatMul [48,8]: MatMul-heavy for int4 and dynamic int8. */
export function tinyMlp(): GraphBuilder {
  const b = new GraphBuilder(13);
  const x = b.input('x', ['N', 64]);
  const h = b.op('Relu', [b.op('MatMul', [x, b.weight('w1', [64, 48])], {}, 'h')]);
  b.output(b.op('MatMul', [h, b.weight('w2', [48, 8])], {}, 'y'), ['N', 8]);
  return b;
}

/** A synthetic data source of uniform [0, 1) samples of `dims`. */
export function syntheticData(dims: number[], count: number, seed = 3): DataSource {
  const size = dims.reduce((a, b) => a * b, 1);
  const all = Float32Array.from(randomFloats(count * size, seed), (v) => (v + 1) / 2);
  return {
    description: 'synthetic',
    count,
    random: false,
    labeled: false,
    sampleDims: dims,
    async *batches(batchSize, limit) {
      const total = Math.min(count, limit ?? Infinity);
      for (let start = 0; start < total; start += batchSize) {
        const n = Math.min(batchSize, total - start);
        yield { data: all.subarray(start * size, (start + n) * size), count: n };
      }
    },
  };
}

/** ONNX bytes of a builder's model. */
export function bytesOf(b: GraphBuilder): Uint8Array {
  return encodeOnnx(b.model);
}
