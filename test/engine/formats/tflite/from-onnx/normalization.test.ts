import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../passes/graph-builder';
import { convertAndRun } from '../convert-check';

const int = (value: number) => ({ kind: 'int' as const, value: BigInt(value) });

function layerNorm(opset: number, axis: number, withBias: boolean): GraphBuilder {
  const b = new GraphBuilder(opset);
  const x = b.input('x', [2, 5, 8]);
  const dims = axis === -1 ? [8] : [5, 8];
  const inputs = [x, b.weight('gamma', dims), ...(withBias ? [b.weight('beta', dims)] : [])];
  b.output(b.op('LayerNormalization', inputs, { axis: int(axis), epsilon: { kind: 'float', value: 1e-3 } }), [2, 5, 8]);
  return b;
}

describe('ONNX normalization layers → TFLite', () => {
  it.each([
    [17, -1, true],
    [17, 1, true],
    [17, -1, false],
    [18, -1, true],
  ] as const)('LayerNormalization at opset %i, axis %i, bias %s', async (opset, axis, withBias) => {
    const check = await convertAndRun(layerNorm(opset, axis, withBias).model);
    expect(check.ops).toContain('MEAN');
    expect(check.relative).toBeLessThan(1e-5);
  });

  it('InstanceNormalization over the spatial axes', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 3, 6, 6]);
    const y = b.op('InstanceNormalization', [x, b.weight('gamma', [3]), b.weight('beta', [3])], {
      epsilon: { kind: 'float', value: 1e-5 },
    });
    b.output(y, [1, 3, 6, 6]);
    const check = await convertAndRun(b.model);
    expect(check.relative).toBeLessThan(1e-5);
  });
});
