import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { Graph } from '../../../src/engine/ir/graph';
import { Model } from '../../../src/engine/ir/model';
import { Node } from '../../../src/engine/ir/node';
import { Value } from '../../../src/engine/ir/value';
import { floatTensor } from '../../../src/engine/passes/util/constants';
import { idxBytes } from '../../helpers/idx-files';

/**
 * Writes an ONNX model whose If node has two branches with weights of the same name (`weight`), as
 * exported voice-activity models do for their 8 kHz and 16 kHz paths: names that repeat across subgraphs.
 */
export function writeRepeatedNamesModel(path: string): void {
  const graph = new Graph('repeated-names');
  const model = new Model('onnx', graph);
  model.irVersion = 8;
  model.opsets = [{ domain: '', version: 16 }];
  const x = graph.define(new Value('x', { kind: 'tensor', dtype: 'float32', shape: [1, 4] }));
  const cond = graph.define(new Value('use_fast_path', { kind: 'tensor', dtype: 'bool', shape: [] }));
  graph.inputs.push(x, cond);
  const branch = (label: string, scale: number): Graph => {
    const body = new Graph(`${label}_branch`, graph);
    const weight = body.addInitializer(floatTensor('weight', [4], [scale, scale, scale, scale]));
    const out = body.define(new Value(`${label}_out`, { kind: 'tensor', dtype: 'float32', shape: [1, 4] }));
    body.addNodes([new Node('Mul', [x, weight], [out], { name: `${label}_scale` })]);
    body.outputs.push(out);
    return body;
  };
  const y = graph.define(new Value('y', { kind: 'tensor', dtype: 'float32', shape: [1, 4] }));
  graph.addNodes([
    new Node('If', [cond], [y], {
      name: 'choose_path',
      attributes: [
        { name: 'then_branch', value: { kind: 'graph', value: branch('fast', 2) } },
        { name: 'else_branch', value: { kind: 'graph', value: branch('slow', 3) } },
      ],
    }),
  ]);
  graph.outputs.push(y);
  writeFileSync(path, encodeOnnx(model));
}

function floatModel(name: string, inputWidth: number): { model: Model; graph: Graph; x: Value } {
  const graph = new Graph(name);
  const model = new Model('onnx', graph);
  model.irVersion = 8;
  model.opsets = [{ domain: '', version: 13 }];
  const x = graph.define(new Value('x', { kind: 'tensor', dtype: 'float32', shape: [1, inputWidth] }));
  graph.inputs.push(x);
  return { model, graph, x };
}

function seeded(count: number, seed: number, scale = 1): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32 - 0.5) * 2 * scale;
  });
}

/**
 * Writes an ONNX model that adds a constant to its input: nothing for the graph clean-up or for 8-bit
 * weights (no matrix or convolution weights), while float16 halves it. A recipe that changes nothing.
 */
export function writeAddConstantModel(path: string): void {
  const { model, graph, x } = floatModel('add-constant', 4096);
  const bias = graph.addInitializer(floatTensor('bias', [1, 4096], seeded(4096, 3)));
  const y = graph.define(new Value('y', { kind: 'tensor', dtype: 'float32', shape: [1, 4096] }));
  graph.addNodes([new Node('Add', [x, bias], [y], { name: 'add_bias' })]);
  graph.outputs.push(y);
  writeFileSync(path, encodeOnnx(model));
}

/**
 * Writes an ONNX model whose output is the small difference of two large, nearly equal products
 * (x·(W + ε) − x·W): any rounding of the weights to 8 bits swamps ε, so a quantization step fails its check.
 */
export function writeCancellingModel(path: string): void {
  const { model, graph, x } = floatModel('cancelling', 64);
  const base = seeded(64 * 64, 5);
  const nudge = seeded(64 * 64, 9, 1e-4);
  const w1 = graph.addInitializer(floatTensor('w_base', [64, 64], base));
  const w2 = graph.addInitializer(
    floatTensor(
      'w_nudged',
      [64, 64],
      base.map((value, index) => value + (nudge[index] ?? 0)),
    ),
  );
  const a = graph.define(new Value('a', { kind: 'tensor', dtype: 'float32', shape: [1, 64] }));
  const b = graph.define(new Value('b', { kind: 'tensor', dtype: 'float32', shape: [1, 64] }));
  const y = graph.define(new Value('y', { kind: 'tensor', dtype: 'float32', shape: [1, 64] }));
  graph.addNodes([new Node('MatMul', [x, w2], [a], { name: 'nudged_product' })]);
  graph.addNodes([new Node('MatMul', [x, w1], [b], { name: 'base_product' })]);
  graph.addNodes([new Node('Sub', [a, b], [y], { name: 'difference' })]);
  graph.outputs.push(y);
  writeFileSync(path, encodeOnnx(model));
}

/**
 * Writes an ONNX classifier of grey `size`×`size` pictures (input `image` f32[1,1,size,size]): the
 * picture flattened, times a seeded weight matrix, ten scores out. The shape of MNIST-style models.
 */
export function writeGreyClassifier(path: string, size: number): void {
  const graph = new Graph('grey-classifier');
  const model = new Model('onnx', graph);
  model.irVersion = 8;
  model.opsets = [{ domain: '', version: 13 }];
  const pixels = size * size;
  const image = graph.define(new Value('image', { kind: 'tensor', dtype: 'float32', shape: [1, 1, size, size] }));
  graph.inputs.push(image);
  const weights = graph.addInitializer(floatTensor('weights', [pixels, 10], seeded(pixels * 10, 11, 0.1)));
  const flat = graph.define(new Value('flat', { kind: 'tensor', dtype: 'float32', shape: [1, pixels] }));
  const scores = graph.define(new Value('scores', { kind: 'tensor', dtype: 'float32', shape: [1, 10] }));
  graph.addNodes([
    new Node('Flatten', [image], [flat], { name: 'flatten', attributes: [{ name: 'axis', value: { kind: 'int', value: 1n } }] }),
    new Node('MatMul', [flat, weights], [scores], { name: 'classify' }),
  ]);
  graph.outputs.push(scores);
  writeFileSync(path, encodeOnnx(model));
}

/**
 * Writes a classifier of grey 8×8 pictures whose four scores are the small difference of two large,
 * nearly equal products (as writeCancellingModel), and beside it an MNIST-style folder of `count`
 * pictures labelled with the model's own answers: the original is right on every one, while 8-bit
 * weights swamp the difference. Returns the data folder.
 */
export function writeFragileClassifier(path: string, dataFolder: string, count = 200): string {
  const size = 8;
  const pixels = size * size;
  const classes = 4;
  const graph = new Graph('fragile-classifier');
  const model = new Model('onnx', graph);
  model.irVersion = 8;
  model.opsets = [{ domain: '', version: 13 }];
  const image = graph.define(new Value('image', { kind: 'tensor', dtype: 'float32', shape: [1, 1, size, size] }));
  graph.inputs.push(image);
  const base = seeded(pixels * classes, 5);
  const nudge = seeded(pixels * classes, 9, 1e-3);
  const w1 = graph.addInitializer(floatTensor('w_base', [pixels, classes], base));
  const w2 = graph.addInitializer(
    floatTensor(
      'w_nudged',
      [pixels, classes],
      base.map((value, index) => value + (nudge[index] ?? 0)),
    ),
  );
  const tensor = (name: string, shape: number[]) => graph.define(new Value(name, { kind: 'tensor', dtype: 'float32', shape }));
  const flat = tensor('flat', [1, pixels]);
  const a = tensor('a', [1, classes]);
  const b = tensor('b', [1, classes]);
  const scores = tensor('scores', [1, classes]);
  graph.addNodes([
    new Node('Flatten', [image], [flat], { name: 'flatten', attributes: [{ name: 'axis', value: { kind: 'int', value: 1n } }] }),
    new Node('MatMul', [flat, w2], [a], { name: 'nudged_scores' }),
    new Node('MatMul', [flat, w1], [b], { name: 'base_scores' }),
    new Node('Sub', [a, b], [scores], { name: 'difference' }),
  ]);
  graph.outputs.push(scores);
  writeFileSync(path, encodeOnnx(model));

  // Pictures in 0–255 (Lithe scales them to 0–1); each label is the class with the largest x·nudge.
  const values = Uint8Array.from(seeded(count * pixels, 3).map((value) => Math.round((value + 1) * 127.5)));
  const labels = Uint8Array.from({ length: count }, (_, sample) => {
    const score = (c: number): number =>
      Array.from({ length: pixels }, (_, p) => ((values[sample * pixels + p] ?? 0) / 255) * (nudge[p * classes + c] ?? 0)).reduce(
        (sum, term) => sum + term,
        0,
      );
    return [0, 1, 2, 3].reduce((best, c) => (score(c) > score(best) ? c : best), 0);
  });
  mkdirSync(dataFolder, { recursive: true });
  for (const split of ['train', 't10k']) {
    writeFileSync(join(dataFolder, `${split}-images-idx3-ubyte.gz`), gzipSync(idxBytes(0x08, [count, size, size], values)));
    writeFileSync(join(dataFolder, `${split}-labels-idx1-ubyte.gz`), gzipSync(idxBytes(0x08, [count], labels)));
  }
  return dataFolder;
}
