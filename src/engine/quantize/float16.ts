import { z } from 'zod';
import { decodeOnnx, encodeOnnx } from '../formats/onnx';
import { inferShapes } from '../ir/shape-inference';
import { definePass } from '../passes/pass';
import { createOrtRunner } from '../verify/ort-runner';
import { float16Full, float16Weights, unlistWeightInputs } from './onnx/float16-convert';
import { float16TflitePass } from './tflite/float16-tflite';
import { adoptModel } from './onnx/adopt-model';
import { FLOAT16_TOLERANCE } from './tolerance';

/** Float16: half-size weights, optionally half-precision computation. */
export const float16 = definePass({
  name: 'quantize-fp16',
  title: 'Convert to float16',
  description:
    'Stores numbers in 16 bits instead of 32: the model is about half the size with almost identical results. GPUs and many NPUs ' +
    'also compute faster in float16; CPUs usually compute in float32 either way.',
  options: z.object({
    mode: z
      .enum(['auto', 'full', 'weights'])
      .default('auto')
      .describe(
        'full: the whole graph in float16; weights: float16 storage, float32 computation (runs everywhere); auto: full when ' +
          'onnxruntime runs it here, else weights. TFLite: always weights (float16 behind DEQUANTIZE).',
      ),
    keepIo: z.boolean().default(true).describe('Keep float32 model inputs and outputs (Casts at the boundary) so callers need no change.'),
    minElements: z
      .number()
      .int()
      .min(1)
      .default(16)
      .describe('In weights mode, only tensors with at least this many values are converted.'),
  }),
  formats: ['onnx', 'tflite'],
  tolerance: FLOAT16_TOLERANCE,
  async run(model, options) {
    if (model.format === 'tflite') return float16TflitePass(model, options.minElements);
    const notes: string[] = [];
    const listed = unlistWeightInputs(model);
    if (listed > 0)
      notes.push(
        `${listed} weight(s) were also listed as model inputs (an old ONNX convention that lets a caller replace them); they are plain weights now, so they can be stored in float16.`,
      );
    const nested = model.graph.nodes.some((node) => node.subgraphs().length > 0);
    if (options.mode === 'auto' && nested)
      notes.push('The model has subgraphs (If/Loop): weights are stored in float16 and computed in float32.');
    if (options.mode === 'full' || (options.mode === 'auto' && !nested)) {
      inferShapes(model);
      const copy = decodeOnnx(encodeOnnx(model));
      inferShapes(copy);
      const converted = float16Full(copy, options.keepIo);
      const failure = options.mode === 'auto' ? await runsHere(encodeOnnx(copy)) : undefined;
      if (!failure) {
        adoptModel(model, copy);
        return {
          changed: converted > 0,
          stats: { tensorsConverted: converted },
          notes: [...notes, 'The whole graph computes in float16.'],
        };
      }
      notes.push(
        `onnxruntime cannot run the whole graph in float16 here (${failure}); weights are stored in float16 and computed in float32 instead.`,
      );
    }
    const converted = float16Weights(model, options.minElements);
    if (converted === 0) notes.push(`No float32 weight of at least ${options.minElements} values was found: nothing was converted.`);
    return { changed: converted > 0 || listed > 0, stats: { tensorsConverted: converted }, notes };
  },
});

async function runsHere(bytes: Uint8Array): Promise<string | undefined> {
  try {
    const runner = await createOrtRunner(bytes, { role: 'the float16 model' });
    try {
      await runner.run(runner.sampleFeeds(1));
    } finally {
      await runner.dispose();
    }
    return undefined;
  } catch (error) {
    const [firstLine = ''] = (error instanceof Error ? error.message : String(error)).split('\n');
    return firstLine.slice(0, 200);
  }
}
