import { intAttr, intsAttr } from '../../../src/engine/passes/util/attributes';
import { GraphBuilder } from '../passes/graph-builder';

/**
 * x[N,C,8,8] → Conv "conv1" 8×C×3×3 → Relu → Flatten → Gemm "fc1" (transB) 10×512, named as exporters name them
 * (`/conv1/Conv`, `/fc1/Gemm`); `fcWeights` replaces fc1's random weights.
 */
export function convNet(channels = 2, fcWeights?: Float32Array): GraphBuilder {
  const b = new GraphBuilder();
  const x = b.input('x', ['N', channels, 8, 8]);
  const c = b.op('Conv', [x, b.weight('conv1.weight', [8, channels, 3, 3]), b.weight('conv1.bias', [8])], { pads: intsAttr([1, 1, 1, 1]) });
  b.graph.nodes.at(-1)!.name = '/conv1/Conv';
  const flat = b.op('Flatten', [b.op('Relu', [c])]);
  const y = b.op('Gemm', [flat, b.weight('fc1.weight', [10, 512], fcWeights), b.weight('fc1.bias', [10])], { transB: intAttr(1) });
  b.graph.nodes.at(-1)!.name = '/fc1/Gemm';
  b.output(y, ['N', 10]);
  return b;
}

/** Cosine of two equally long arrays of outputs. */
export function cosine(x: ArrayLike<number | bigint>, y: ArrayLike<number | bigint>): number {
  let [dot, nx, ny] = [0, 0, 0];
  for (let i = 0; i < x.length; i++) {
    dot += Number(x[i]) * Number(y[i]);
    nx += Number(x[i]) ** 2;
    ny += Number(y[i]) ** 2;
  }
  return dot / Math.sqrt(nx * ny);
}
