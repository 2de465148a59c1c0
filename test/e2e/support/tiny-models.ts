import { writeFileSync } from 'node:fs';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { Graph } from '../../../src/engine/ir/graph';
import { Model } from '../../../src/engine/ir/model';
import { Node } from '../../../src/engine/ir/node';
import { Value } from '../../../src/engine/ir/value';
import { floatTensor } from '../../../src/engine/passes/util/constants';

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
    body.nodes.push(new Node('Mul', [x, weight], [out], { name: `${label}_scale` }));
    body.outputs.push(out);
    return body;
  };
  const y = graph.define(new Value('y', { kind: 'tensor', dtype: 'float32', shape: [1, 4] }));
  graph.nodes.push(
    new Node('If', [cond], [y], {
      name: 'choose_path',
      attributes: [
        { name: 'then_branch', value: { kind: 'graph', value: branch('fast', 2) } },
        { name: 'else_branch', value: { kind: 'graph', value: branch('slow', 3) } },
      ],
    }),
  );
  graph.outputs.push(y);
  writeFileSync(path, encodeOnnx(model));
}
