/**
 * The activation width of a full-integer TFLite model, by measurement (`tfliteActivations: 'auto'`):
 * int8 when int8 activations keep every output of every check sample within the step's cosine
 * bound, else int16 (TFLite's 16x8 kernels; weights stay int8, so the size stays that of int8)
 * when that follows the float model more closely. Both trials use the same calibrated ranges.
 *
 *   int8 trial:  worst sample cosine 0.951 on 16 calibration samples   (bound 0.99)
 *   int16 trial: worst sample cosine 0.989                              → int16, both figures in the notes
 */
import type { EngineContext } from '../../context';
import type { DataSource } from '../../data/batch';
import type { DataComparison } from '../../evaluate/compare-on-data';
import type { Model } from '../../ir/model';
import { INT8_TOLERANCE } from '../../verify/tolerance';
import { CandidateScorer } from '../mixed-search';
import { copyModel, encodeModel } from '../model-copy';
import { fullIntegerTflite, type ActivationType, type FullIntegerOptions, type FullIntegerResult } from './full-int8';

/** Calibration samples the trials are compared on. */
const CHECK_SAMPLES = 16;

/** What {@link fullIntegerByMeasurement} did: the quantization result, the width it kept and why. */
export interface MeasuredFullInteger extends FullIntegerResult {
  /** The activation type kept. */
  width: ActivationType;
  /** The trials' figures, when int8 missed the bound. */
  note?: string;
}

// The lowest cosine of any output holding vectors on any sample (the first output's when none holds vectors).
function worstSampleCosine(result: DataComparison): number {
  const perOutput = (result.outputs ?? []).flatMap((f) => (f ? [f.cosineMin] : []));
  return perOutput.length > 0 ? Math.min(...perOutput) : (result.fidelity?.cosineMin ?? 0);
}

/**
 * Quantizes `model` in place to full integer with the activation width the measurement picks (see
 * the header). `floatBytes` is the float model the trials are compared with.
 */
export async function fullIntegerByMeasurement(
  model: Model,
  source: DataSource,
  options: FullIntegerOptions,
  floatBytes: Uint8Array,
  ctx: EngineContext = {},
): Promise<MeasuredFullInteger> {
  const narrow = copyModel(model);
  const int8 = await fullIntegerTflite(narrow, source, { ...options, activations: 'int8' }, ctx);
  const apply = async (width: ActivationType, note?: string): Promise<MeasuredFullInteger> => {
    const r = await fullIntegerTflite(model, source, { ...options, activations: width, ranges: int8.ranges }, ctx);
    return { ...r, width, ...(note ? { note } : {}) };
  };
  if (int8.layers === 0) return apply('int8');
  const bound = INT8_TOLERANCE.cosine;
  const roles = { reference: 'the float model', candidate: 'a full-integer trial' };
  const fixedBatch = options.fixedBatch;
  const scorer = await CandidateScorer.open(floatBytes, source, CHECK_SAMPLES, fixedBatch, { format: 'tflite', roles });
  try {
    const cosine8 = worstSampleCosine(await scorer.measure(encodeModel(narrow), ctx));
    if (cosine8 >= bound) return await apply('int8');
    const wide = copyModel(model);
    await fullIntegerTflite(wide, source, { ...options, activations: 'int16', ranges: int8.ranges }, ctx);
    const cosine16 = worstSampleCosine(await scorer.measure(encodeModel(wide), ctx));
    const samples = `${Math.min(CHECK_SAMPLES, source.count ?? CHECK_SAMPLES)} calibration samples`;
    const figures = `int8 activations gave a worst output cosine of ${cosine8.toFixed(4)} on ${samples} (below ${bound}), int16 activations ${cosine16.toFixed(4)}`;
    return cosine16 > cosine8
      ? await apply('int16', `${figures}: activations are int16 (16x8 kernels), weights stay int8.`)
      : await apply('int8', `${figures}: int16 does no better, so activations stay int8.`);
  } finally {
    await scorer.dispose();
  }
}
