import { describe, expect, it } from 'vitest';
import { Model } from '../../../src/engine/ir/model';
import { snapshotCodec } from '../../../src/engine/optimize/snapshot-codec';
import { MAX_ITERATIONS, runPipeline } from '../../../src/engine/passes/pipeline';
import { checkRecipe } from '../../../src/engine/recipes/resolve-recipe';
import { at } from '../../helpers/at';
import { GraphBuilder } from './graph-builder';

// Snapshots in ONNX and no verifier (as when the original cannot run).
const HOST = snapshotCodec('onnx', 'test.onnx');
const recipe = (...passes: string[]) =>
  checkRecipe({ name: 'test', title: 'test', description: '', steps: passes.map((pass) => ({ pass, options: {} })) });

describe('runPipeline', () => {
  it('skips a step whose pass does not work on the model format, saying so', async () => {
    const b = new GraphBuilder();
    b.output(b.op('Relu', [b.input('x', [1, 4])]), [1, 4]);
    const model = new Model('tflite', b.graph);
    const [step] = await runPipeline(model, recipe('fold-batchnorm'), HOST);
    expect(step?.iterations).toBe(0);
    expect(step?.changed).toBe(false);
    expect(step?.notes.join(' ')).toMatch(/works on ONNX models; this model is TFLite/);
  });

  it('reports when a repeating step hits the round limit', async () => {
    // Each Reshape's shape is only known after the Abs(Shape) before it was precomputed (shape inference does not
    // follow Abs): one more round per link.
    const b = new GraphBuilder();
    let x = b.input('x', [2, 3]);
    for (let i = 0; i < MAX_ITERATIONS + 2; i++) x = b.op('Reshape', [x, b.op('Abs', [b.op('Shape', [x])])]);
    b.output(b.op('Relu', [x]), [2, 3]);
    const [step] = await runPipeline(b.model, recipe('fold-constants'), HOST);
    expect(step?.iterations).toBe(MAX_ITERATIONS);
    expect(step?.roundLimitReached).toBe(true);
    expect(step?.notes.join(' ')).toMatch(/Stopped after 8 rounds/);
  });

  it('keeps the reasons of the last round for the candidates a pass declined', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', ['N', 3, 4, 4]);
    const r = b.op('Relu', [x], {}, 'r');
    const bn = b.op('BatchNormalization', [r, ...['g', 'b', 'm', 'v'].map((n) => b.weight(n, [3], [1, 1, 1]))]);
    b.output(bn, ['N', 3, 4, 4]);
    const [step] = await runPipeline(b.model, recipe('fold-batchnorm'), HOST);
    expect(at(step?.skipped ?? [], 0).reason).toBe("it follows Relu 'Relu_1', not a convolution or fully connected layer");
  });
});
