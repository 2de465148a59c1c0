// Tiny ONNX models written to a temporary folder for benchmark tests.
import { toBinary } from '@bufbuild/protobuf';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelProtoSchema } from 'onnx-buf';
import { FLOAT, floatTensor, graph, model, node, valueInfo } from '../helpers/onnx-builders';

/** A folder for this test file's models. */
export function modelFolder(): string {
  return mkdtempSync(join(tmpdir(), 'lithe-bench-test-'));
}

/**
 * x f32[N,size] → `layers` × (MatMul with a size×size weight, then Relu) → y f32[N,size].
 * More layers = deliberately more work with the same inputs and outputs.
 */
export function matmulChain(folder: string, name: string, layers: number, size = 128): string {
  const nodes = [];
  const initializers = [];
  let previous = 'x';
  for (let i = 0; i < layers; i++) {
    const weight = Array.from({ length: size * size }, (_, k) => (((k * 7919 + i * 104729) % 1000) / 1000 - 0.5) / size);
    initializers.push(floatTensor(`w${i}`, [size, size], weight));
    const out = i === layers - 1 ? 'y' : `h${i}`;
    nodes.push(node('MatMul', [previous, `w${i}`], [`m${i}`], [], `matmul_${i}`));
    nodes.push(node('Relu', [`m${i}`], [out], [], `relu_${i}`));
    previous = out;
  }
  const g = graph({
    node: nodes,
    initializer: initializers,
    input: [valueInfo('x', FLOAT, ['N', size])],
    output: [valueInfo('y', FLOAT, ['N', size])],
  });
  const file = join(folder, name);
  writeFileSync(file, toBinary(ModelProtoSchema, model(g)));
  return file;
}

/** A model stamped opset 1 with an Add, which ONNX Runtime has no kernel for. */
export function legacyOpset1(folder: string): string {
  const g = graph({
    node: [node('Add', ['a', 'b'], ['c'], [], 'add')],
    input: [valueInfo('a', FLOAT, [1, 4]), valueInfo('b', FLOAT, [1, 4])],
    output: [valueInfo('c', FLOAT, [1, 4])],
  });
  const file = join(folder, 'legacy-opset1.onnx');
  writeFileSync(file, toBinary(ModelProtoSchema, model(g, 1)));
  return file;
}

/** A file that is not a model. */
export function notAModel(folder: string): string {
  const file = join(folder, 'notes.onnx');
  writeFileSync(file, 'this is a text file, not a model\n');
  return file;
}
