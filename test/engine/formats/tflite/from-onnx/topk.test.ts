import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../passes/graph-builder';
import { convertAndRun } from '../convert-check';
import { tfliteBackToOnnx } from '../to-onnx-check';

const int = (value: number) => ({ kind: 'int' as const, value: BigInt(value) });

function topK(axis: number, largest: number, k: number): GraphBuilder {
  const b = new GraphBuilder(13);
  const x = b.input('x', [2, 6, 5]);
  const shape = [2, 6, 5];
  const rank = shape.length;
  shape[(axis + rank) % rank] = k;
  const kk = b.ints('k', [k]);
  b.opN('TopK', [x, kk], 2, { axis: int(axis), largest: int(largest) }).forEach((v, i) => b.output(v, shape, i ? 'int64' : 'float32'));
  return b;
}

describe('ONNX TopK → TFLite TOPK_V2 and back', () => {
  it.each([
    [-1, 1, 3],
    [1, 1, 2],
    [-1, 0, 2],
    [0, 0, 1],
  ] as const)('axis %i, largest %i, k %i', async (axis, largest, k) => {
    const check = await convertAndRun(topK(axis, largest, k).model);
    expect(check.ops).toContain('TOPK_V2');
    expect(check.maxAbs).toBe(0);
    const back = await tfliteBackToOnnx(topK(axis, largest, k).model);
    expect(back.onnxOps).toContain('TopK');
    expect(back.relative).toBe(0);
  });
});
