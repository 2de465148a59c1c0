import type { EngineContext } from '../../context';
import type { DataSource } from '../../data/batch';
import type { DataComparison } from '../../evaluate/compare-on-data';
import { encodeModel, type ModelFormat } from '../../formats/model-io';
import type { Model } from '../../ir/model';
import type { PassContext } from '../../passes/pass';
import { calibrationSource } from '../../quantize/pass-data';
import { CandidateScorer, score, type MixedTarget } from '../../quantize/mixed-search';

/** What a lossy compression step must keep: accuracy drop (points), top-1 agreement or cosine with the original. */
export type FidelityTarget = MixedTarget;

/** The default target: accuracy within 1 point with labelled data, 99 % top-1 agreement with data, else cosine 0.99. */
export function defaultTarget(data: DataSource | undefined): FidelityTarget {
  if (data && !data.random && data.labeled) return { metric: 'accuracy', value: 1 };
  if (data && !data.random) return { metric: 'top1Agreement', value: 0.99 };
  return { metric: 'cosine', value: 0.99 };
}

/** The file format of an IR model. */
export function formatOf(model: Model): ModelFormat {
  return model.format === 'tflite' ? 'tflite' : 'onnx';
}

/** Runs variants of a model against the model as it was when opened, on the same samples. */
export class FidelityProbe {
  private constructor(
    private readonly scorer: CandidateScorer,
    private readonly format: ModelFormat,
    readonly notes: string[],
  ) {}

  /** Opens the reference (`model` as it is now) on the pass's data, or on random samples when there is none. */
  static async open(model: Model, ctx: PassContext, samples: number): Promise<FidelityProbe> {
    const format = formatOf(model);
    const { source, fixedBatch, notes } = calibrationSource(model, ctx.data, samples);
    const scorer = await CandidateScorer.open(encodeModel(model, format), source, samples, fixedBatch, {
      format,
      roles: { reference: 'the model before this step', candidate: 'a compressed candidate' },
    });
    return new FidelityProbe(scorer, format, notes);
  }

  /** Accuracy and fidelity of `model` (its current state) against the reference. */
  measure(model: Model, ctx: EngineContext = {}): Promise<DataComparison> {
    return this.scorer.measure(encodeModel(model, this.format), ctx);
  }

  /** How far `model` is above (≥ 0) or below (< 0) `target`. */
  async margin(model: Model, target: FidelityTarget, ctx: EngineContext = {}): Promise<number> {
    return score(await this.measure(model, ctx), target, this.scorer.referenceAccuracy);
  }

  dispose(): Promise<void> {
    return this.scorer.dispose();
  }
}

/** A target halfway between perfect and `target`: what one layer alone may cost, leaving room for the others. */
export function stricterTarget(target: FidelityTarget): FidelityTarget {
  return target.metric === 'accuracy' ? { ...target, value: target.value / 2 } : { ...target, value: 1 - (1 - target.value) / 2 };
}

/** The target in words for notes: `accuracy within 1 point`, `cosine ≥ 0.99`. */
export function describeTarget(target: FidelityTarget): string {
  if (target.metric === 'accuracy') return `accuracy within ${target.value} point${target.value === 1 ? '' : 's'} of the original`;
  return target.metric === 'cosine' ? `output cosine ≥ ${target.value}` : `top-1 agreement ≥ ${(100 * target.value).toFixed(1)} %`;
}
