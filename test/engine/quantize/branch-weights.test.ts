import { describe, expect, it } from 'vitest';
import { decodeOnnx } from '../../../src/engine/formats/onnx';
import type { Graph } from '../../../src/engine/ir/graph';
import { dynamicInt8 } from '../../../src/engine/quantize/dynamic-int8';
import { graphAndSubgraphs } from '../../../src/engine/passes/util/graph-walk';
import { GraphBuilder } from '../passes/graph-builder';
import { bytesOf } from './tiny-models';

// An exported If whose branches hold their own weights (as Silero VAD's 8 kHz and 16 kHz
// branches do): once quantized, the float weights in the branches are read by nothing and must
// not stay in the file beside their int8 copies.
function branchWeightsModel(): GraphBuilder {
  const b = new GraphBuilder(13);
  const x = b.input('x', [1, 32]);
  const flag = b.input('flag', [], 'bool');
  const branch = (name: string): Graph => {
    const inner = new GraphBuilder(13);
    inner.graph.name = name;
    inner.graph.parent = b.graph;
    inner.output(inner.op('MatMul', [x, inner.weight(`${name}_w`, [32, 32])]), [1, 32]);
    return inner.graph;
  };
  const y = b.op('If', [flag], {
    then_branch: { kind: 'graph', value: branch('then') },
    else_branch: { kind: 'graph', value: branch('else') },
  });
  return b.output(y, [1, 32]);
}

describe('int8 weights inside If branches', () => {
  it('dynamic int8 drops the float weights the branches no longer read', async () => {
    const b = branchWeightsModel();
    const before = bytesOf(b).length;
    const result = await dynamicInt8.run(b.model, dynamicInt8.options.parse({}), {});
    expect(result.stats.layersQuantized).toBe(2);
    const written = bytesOf(b);
    const floats = graphAndSubgraphs(decodeOnnx(written).graph).flatMap((g) =>
      g.initializers.filter((t) => t.dtype === 'float32' && t.dims.length >= 2),
    );
    expect(floats).toEqual([]);
    expect(written.length).toBeLessThan(before / 2);
  });
});
