import { describe, expect, it } from 'vitest';
import type { TracedNode } from '../../../src/engine/bench/profile-trace';
import { opCost } from '../../../src/engine/devices/op-cost';
import { withPrepackedWeights } from '../../../src/engine/devices/prepacked-weights';
import { intAttr } from '../../../src/engine/passes/util/attributes';
import { TinyGraph } from '../train/tiny-graphs';

function gemm(): TinyGraph {
  const b = new TinyGraph('float32', 13, 3);
  const x = b.input('x', [1, 64]);
  const y = b.op('Gemm', [x, b.weight('w', [32, 64]), b.weight('b', [32])], { transB: intAttr(1) });
  return b.output(y);
}

const traced = (name: string, inputs: TracedNode['inputs']): TracedNode => ({
  name,
  opType: 'Gemm',
  provider: 'CPUExecutionProvider',
  selfUs: 1,
  inputs,
  outputs: [{ dtype: 'float', shape: [1, 32] }],
  parameterBytes: 128,
  activationBytes: 256,
  outputBytes: 128,
});

// Issue 14: ONNX Runtime's profile leaves prepacked weights out of a node's inputs; the float model then looked
// as if it read no weights, while its float16 version (weights through a cast) did, and their calibrations differed.
describe('prepacked weights', () => {
  it('are put back among the inputs, in the graph order, from the initializers', () => {
    const { graph } = gemm();
    const name = graph.nodes[0]?.name ?? '';
    const seen = traced(name, [
      { dtype: 'float', shape: [1, 64] },
      { dtype: 'float', shape: [32] },
    ]);
    const [restored] = withPrepackedWeights(graph, [seen]);
    expect(restored?.inputs).toEqual([
      { dtype: 'float', shape: [1, 64] },
      { dtype: 'float32', shape: [32, 64] },
      { dtype: 'float', shape: [32] },
    ]);
    expect(restored?.parameterBytes).toBe(128 + 32 * 64 * 4);
    expect(opCost(restored!).bytes - opCost(seen).bytes).toBe(32 * 64 * 4);
    expect(opCost(restored!).macs).toBe(opCost(seen).macs);
  });

  it('leaves a node alone when every input was listed, or when the inputs do not line up', () => {
    const { graph } = gemm();
    const name = graph.nodes[0]?.name ?? '';
    const full = traced(name, [
      { dtype: 'float', shape: [1, 64] },
      { dtype: 'float', shape: [32, 64] },
      { dtype: 'float', shape: [32] },
    ]);
    expect(withPrepackedWeights(graph, [full])[0]).toBe(full);
    const odd = traced(name, [
      { dtype: 'float', shape: [1, 64] },
      { dtype: 'float', shape: [7] },
    ]);
    expect(withPrepackedWeights(graph, [odd])[0]).toBe(odd);
    const other = traced('not-in-the-graph', [{ dtype: 'float', shape: [1, 64] }]);
    expect(withPrepackedWeights(graph, [other])[0]).toBe(other);
  });
});
