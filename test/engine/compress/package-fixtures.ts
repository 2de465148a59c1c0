// Small models for the package tests: weights with the structure pruning and clustering leave.
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { Graph } from '../../../src/engine/ir/graph';
import { Node } from '../../../src/engine/ir/node';
import { Tensor } from '../../../src/engine/ir/tensor';
import { Value } from '../../../src/engine/ir/value';
import { floatTensor } from '../../../src/engine/passes/util/constants';
import { GraphBuilder, randomFloats } from '../passes/graph-builder';

/** `count` floats of which `sparsity` are zero and the rest take one of `levels` float16-exact values. */
export function prunedClustered(count: number, sparsity: number, levels: number, seed = 1): Float32Array {
  const r = randomFloats(2 * count, seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    if (Math.abs(r[i] as number) < sparsity) continue;
    const level = Math.floor(Math.abs(r[count + i] as number) * levels) % levels;
    out[i] = (level - levels / 2 + 0.5) / 8;
  }
  return out;
}

/**
 * An MLP whose first weight is 90 % zeros with 16 values, with a dense random weight, an int64
 * shape constant, a float16 tensor, a Constant node and an If branch holding its own initializer.
 */
export function packableOnnx(): Uint8Array {
  const b = new GraphBuilder();
  const x = b.input('x', ['N', 64]);
  const h = b.op('Gemm', [x, b.weight('w1', [64, 32], prunedClustered(64 * 32, 0.9, 16)), b.weight('b1', [32])]);
  const r = b.op('Relu', [h]);
  const y = b.op('Gemm', [r, b.constant(floatTensor('w2', [32, 8], randomFloats(256, 9))), b.weight('b2', [8])]);
  const shape = b.ints('shape', [-1, 8]);
  const reshaped = b.op('Reshape', [y, shape]);
  const half = new Tensor('scale16', 'float16', [8], new Uint8Array(new Uint16Array(8).fill(0x3c00).buffer));
  b.initializer(half);
  const cond = b.initializer(new Tensor('cond', 'bool', [], Uint8Array.of(1)));
  const branch = (name: string, value: number): Graph => {
    const g = new Graph(name, b.graph);
    const k = g.addInitializer(floatTensor(`${name}_k`, [8], new Float32Array(8).fill(value)));
    const out = g.define(new Value(`${name}_out`, { kind: 'tensor', dtype: 'float32', shape: ['N', 8] }));
    g.addNodes([new Node('Mul', [reshaped, k], [out], { name: `${name}_mul` })]);
    g.outputs.push(out);
    return g;
  };
  const out = b.graph.define(new Value('out'));
  b.graph.addNodes([
    new Node('If', [cond], [out], {
      name: 'if',
      attributes: [
        { name: 'then_branch', value: { kind: 'graph', value: branch('then', 2) } },
        { name: 'else_branch', value: { kind: 'graph', value: branch('else', 3) } },
      ],
    }),
  ]);
  b.output(out, ['N', 8]);
  return encodeOnnx(b.model);
}
