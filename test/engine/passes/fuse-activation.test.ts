import { describe, expect, it } from 'vitest';
import { fuseActivation } from '../../../src/engine/passes/fuse-activation';
import { fusedActivationOf } from '../../../src/engine/passes/util/fused-activation';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { GraphBuilder, runPass } from './graph-builder';

describe('fuse-activation', () => {
  it('records TFLite-fusable activations without changing the ONNX graph', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', [1, 2, 4, 4]);
    const conv = b.op('Conv', [x, b.weight('w', [2, 2, 1, 1])]);
    const relu6 = b.op('Clip', [conv, b.weight('lo', [], [0]), b.weight('hi', [], [6])]);
    const gemmIn = b.op('Flatten', [relu6]);
    const gemm = b.op('Gemm', [gemmIn, b.weight('g', [32, 3])]);
    const shared = b.op('MatMul', [gemm, b.weight('m', [3, 3])]);
    const mm2 = b.op('MatMul', [gemm, b.weight('m2', [3, 3])]);
    b.output(b.op('Tanh', [gemm]), [1, 3]).output(b.op('Sigmoid', [shared]), [1, 3]).output(shared, [1, 3]).output(b.op('Relu', [mm2]), [1, 3]);
    const bytes = encodeOnnx(b.model);
    const r = await runPass(fuseActivation, b.model);
    expect(r.changed).toBe(false);
    expect(r.stats.fusableActivations).toBe(2);
    const [convNode, , , gemmNode, mmNode, mm2Node] = b.graph.nodes;
    expect(fusedActivationOf(mm2Node)?.activation).toBe('RELU');
    expect(fusedActivationOf(convNode)?.activation).toBe('RELU6');
    expect(fusedActivationOf(gemmNode)).toBeUndefined(); // its result is also read by MatMul
    expect(fusedActivationOf(mmNode)).toBeUndefined(); // Sigmoid has no TFLite fused form
    expect(encodeOnnx(b.model)).toEqual(bytes);
  });
});
