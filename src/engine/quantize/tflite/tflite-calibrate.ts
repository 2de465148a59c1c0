import type { DataSource } from '../../data/batch';
import { runBatch } from '../../evaluate/run-batch';
import { readTflite, writeTflite, type TfliteModel } from '../../formats/tflite';
import { createTfliteRunner } from '../../verify/tflite-runner';
import type { TensorRange } from '../calibrate';

/**
 * Min/max of the given tensors of subgraph 0 over the calibration samples: a copy of the model
 * lists them as extra outputs, runs in the TFLite runtime, and the ranges stream batch by batch.
 */
export async function calibrateTflite(
  model: TfliteModel,
  tensors: readonly number[],
  source: DataSource,
  samples: number,
  fixedBatch?: number,
): Promise<Map<number, TensorRange>> {
  const copy = readTflite(writeTflite(model));
  const graph = copy.subgraphs[0]!;
  const first = graph.outputs.length;
  graph.outputs = [...graph.outputs, ...tensors];
  const runner = await createTfliteRunner(writeTflite(copy), { role: 'the model being calibrated' });
  const ranges = new Map<number, TensorRange>(tensors.map((t) => [t, { min: Infinity, max: -Infinity }]));
  try {
    for await (const batch of source.batches(Math.min(64, samples), samples)) {
      const out = await runBatch(runner, batch, source.sampleDims, fixedBatch);
      tensors.forEach((t, i) => {
        const values = out.values[first + i];
        const r = ranges.get(t)!;
        if (!values) return;
        for (let j = 0; j < values.length; j++) {
          const v = values[j]!;
          if (v < r.min) r.min = v;
          if (v > r.max) r.max = v;
        }
      });
    }
  } finally {
    await runner.dispose();
  }
  for (const [t, r] of ranges) if (!Number.isFinite(r.min)) ranges.set(t, { min: 0, max: 0 });
  return ranges;
}
