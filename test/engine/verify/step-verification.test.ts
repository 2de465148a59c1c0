import { describe, expect, it } from 'vitest';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import type { Value } from '../../../src/engine/ir/value';
import { snapshotCodec } from '../../../src/engine/optimize/snapshot-codec';
import { floatAttr, intsAttr } from '../../../src/engine/passes/util/attributes';
import { runPipeline } from '../../../src/engine/passes/pipeline';
import { checkRecipe } from '../../../src/engine/recipes/resolve-recipe';
import { outputHints } from '../../../src/engine/verify/output-hints';
import { FLOAT_ROUNDING } from '../../../src/engine/verify/tolerance';
import { createVerifier } from '../../../src/engine/verify/verifier';
import { GraphBuilder, opTypes } from '../passes/graph-builder';
import { tinyMlp } from '../quantize/tiny-models';
import { at } from '../../helpers/at';

/**
 * Conv (bias 1e5) → BatchNormalization (mean 1e5, gamma 1e-5) → output: the output is ~1e-5 while the values inside
 * are ~1e5, so folding the batch norm moves the output by float rounding of 1e5 (about 1e-8 absolutely), which is
 * percents of the output's own size. That is what a text detector's near-zero probability maps look like.
 */
function nearZeroConvBn(): GraphBuilder {
  const b = new GraphBuilder(13);
  const x = b.input('x', [1, 3, 8, 8]);
  const conv = b.op('Conv', [x, b.weight('w', [4, 3, 3, 3]), b.weight('bias', [4], [1e5, 1e5, 1e5, 1e5])], {
    pads: intsAttr([1, 1, 1, 1]),
  });
  const bn = (name: string, values: number[]): Value => b.weight(name, [4], values);
  const y = b.op(
    'BatchNormalization',
    [conv, bn('gamma', [1e-5, 2e-5, 1e-5, 3e-5]), bn('beta', [0, 1e-6, 0, 0]), bn('mean', [1e5, 1e5, 1e5, 1e5]), bn('var', [1, 2, 1, 1])],
    { epsilon: floatAttr(1e-5) },
  );
  b.output(y, [1, 4, 8, 8]);
  return b;
}

async function pipelineFor(
  b: GraphBuilder,
  steps: string[],
  tolerance?: typeof FLOAT_ROUNDING,
  strict = false,
  keepBeyondTolerance = false,
) {
  const original = encodeOnnx(b.model);
  const verifier = await createVerifier(original, 'onnx', { hints: outputHints(b.model) });
  const recipe = checkRecipe({ name: 'test', steps: steps.map((pass) => ({ pass, options: {} })) });
  const host = {
    ...snapshotCodec('onnx', 'test.onnx'),
    verify: (bytes: Uint8Array, stepTolerance: typeof FLOAT_ROUNDING) => verifier.verify(bytes, 'onnx', tolerance ?? stepTolerance),
    strict,
    keepBeyondTolerance,
  };
  return { original, verifier, run: () => runPipeline(b.model, recipe, host) };
}

describe('step verification', () => {
  it('fold-batchnorm on a graph with near-zero outputs passes: judged against the absolute floor, not the tiny output', async () => {
    const b = nearZeroConvBn();
    const { run } = await pipelineFor(b, ['fold-batchnorm']);
    const [step] = await run();
    expect(step?.undone).toBeUndefined();
    expect(step?.changed).toBe(true);
    expect(opTypes(b.model)).toEqual(['Conv']);
    const v = step?.verification;
    expect(v?.passed).toBe(true);
    expect(['identical', 'within-float-rounding']).toContain(v?.verdict);
    // The rewrite did move the output by more than 1e-4 of its own size: a purely relative check would call it changed.
    expect(v?.worst.relative).toBeGreaterThan(1e-4);
    expect(v?.worst.maxAbs).toBeLessThan(1e-6);
  });

  it('a step that changes the results beyond its tolerance is undone, named, and the recipe finishes', async () => {
    const b = tinyMlp();
    const before = encodeOnnx(b.model);
    // Dynamic int8 held to float rounding (instead of its own tolerance) must fail its check.
    const { run } = await pipelineFor(b, ['quantize-int8-dynamic', 'eliminate-dead-code'], FLOAT_ROUNDING);
    const steps = await run();
    expect(steps).toHaveLength(2);
    const quantize = at(steps, 0);
    expect(quantize.changed).toBe(false);
    expect(quantize.undone?.reason).toMatch(/^changed the results: changed: cosine .*undone and the recipe went on$/);
    expect(at(steps, 1).undone).toBeUndefined();
    expect(opTypes(b.model)).toEqual(['MatMul', 'Relu', 'MatMul']);
    expect(encodeOnnx(b.model)).toEqual(before);
  });

  it('with strict, the same step fails the run naming the step', async () => {
    const { run } = await pipelineFor(tinyMlp(), ['quantize-int8-dynamic'], FLOAT_ROUNDING, true);
    await expect(run()).rejects.toThrow(/Step 1 ".*" \(quantize-int8-dynamic\) changed the results: changed: cosine/);
  });

  it('with keepBeyondTolerance, the same step is kept and reported beyond its tolerance', async () => {
    const b = tinyMlp();
    const { run } = await pipelineFor(b, ['quantize-int8-dynamic', 'eliminate-dead-code'], FLOAT_ROUNDING, false, true);
    const [quantize] = await run();
    expect(quantize?.undone).toBeUndefined();
    expect(quantize?.changed).toBe(true);
    expect(quantize?.verification?.passed).toBe(false);
    expect(quantize?.beyondTolerance?.reason).toMatch(/^changed the results: changed: cosine .*the step was kept, as asked$/);
    expect(opTypes(b.model)).not.toEqual(['MatMul', 'Relu', 'MatMul']);
  });

  it('strict wins over keepBeyondTolerance', async () => {
    const { run } = await pipelineFor(tinyMlp(), ['quantize-int8-dynamic'], FLOAT_ROUNDING, true, true);
    await expect(run()).rejects.toThrow(/\(quantize-int8-dynamic\) changed the results/);
  });
});
