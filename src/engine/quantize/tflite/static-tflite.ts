import { LitheError, reasonOf } from '../../errors';
import type { Model } from '../../ir/model';
import type { PassContext, PassResult } from '../../passes/pass';
import { calibrationSource } from '../pass-data';
import { fullIntegerTflite } from './full-int8';
import { hybridQuantizeTflite } from './hybrid';
import { editTflite } from './tflite-pass-io';

/** Static int8 for a TFLite model: full integer (int8 inputs and outputs) when every operator allows it, else hybrid. */
export async function staticTflite(model: Model, samples: number, ctx: PassContext): Promise<PassResult> {
  const { source, fixedBatch, notes } = calibrationSource(model, ctx.data, samples);
  try {
    const { result } = await editTflite(model, (tflite) => fullIntegerTflite(tflite, source, samples, fixedBatch));
    notes.push('Full integer TFLite: int8 inputs, outputs and activations (LSTMs with an int16 cell state).');
    return {
      changed: true,
      stats: { layersQuantized: result.layers, activationsQuantized: result.tensors } as Record<string, number>,
      notes,
    };
  } catch (error) {
    if (!(error instanceof LitheError) || error.code !== 'unsupported') throw error;
    const { result } = await editTflite(model, hybridQuantizeTflite);
    notes.push(`Hybrid instead of full integer (${reasonOf(error)}): int8 weights, float activations.`);
    return { changed: result > 0, stats: { layersQuantized: result }, notes };
  }
}
