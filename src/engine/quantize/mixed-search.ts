import type { EngineContext } from '../context';
import type { DataSource } from '../data/batch';
import { compareOnData, type DataComparison, type DataRunner } from '../evaluate/compare-on-data';
import { decodeOnnx, encodeOnnx } from '../formats/onnx';
import { modelActivationBytes } from '../jobs/activation-memory';
import { decodeModel } from './model-copy';
import { MAX_EVAL_BATCH, REMEMBERED_BYTES, scoringRunSamples } from './run-budget';
import { inferShapes } from '../ir/shape-inference';
import type { ModelFormat } from '../formats/model-io';
import { rememberingRunner } from '../verify/remembering-runner';
import { createRunnerLoader, openRunner, type RunnerLoader } from '../verify/runner-loader';
import type { TensorRange } from './calibrate';
import type { Graph } from '../ir/graph';
import type { Node } from '../ir/node';
import type { LayerKinds } from './mixed-builders';
import { applyStaticQdq, type QdqOptions } from './onnx/apply-qdq';

/** What the mixed-precision search must keep. */
export interface MixedTarget {
  metric: 'accuracy' | 'top1Agreement' | 'cosine';
  /** For accuracy: the largest allowed drop in percentage points; otherwise the lowest allowed value. */
  value: number;
}

/** Builds ONNX bytes of the model with every layer quantized except `exclude`. */
export function quantizedBytes(
  floatBytes: Uint8Array,
  ranges: ReadonlyMap<string, TensorRange>,
  options: Omit<QdqOptions, 'exclude'>,
  exclude: readonly string[],
): Uint8Array {
  const copy = decodeOnnx(floatBytes);
  inferShapes(copy);
  applyStaticQdq(copy, ranges, { ...options, exclude });
  return encodeOnnx(copy);
}

/** Which runtime a {@link CandidateScorer} uses, how its models are named in errors, and what every output must keep. */
export interface ScorerRuntime {
  format?: ModelFormat;
  roles?: { reference: string; candidate: string };
  /**
   * The lowest cosine any output holding vectors may have, whatever the target measures: the cosine bound of the
   * step's tolerance, so a candidate the pipeline would undo never meets the target.
   */
  cosineFloor?: number;
}

/**
 * How many samples one scoring run takes: as many as keep one run's activations (one sample's, from shape inference at the
 * representative sizes, times the samples) near the scoring budget. One run of 32 super-resolution samples held 2.4 GB
 * in onnxruntime.
 */
export function evalBatchSize(format: ModelFormat, bytes: Uint8Array): number {
  try {
    return scoringRunSamples(modelActivationBytes(decodeModel(format, bytes))?.oneRun ?? 0);
  } catch {
    return MAX_EVAL_BATCH; // shapes unknown: the most samples a run takes
  }
}

/** Runs candidates against the float model on the same samples and scores them for the target. */
export class CandidateScorer {
  readonly #reference: DataRunner;
  #candidates: RunnerLoader | undefined;
  readonly #source: DataSource;
  readonly #samples: number;
  readonly #fixedBatch: number | undefined;
  #batchSize = MAX_EVAL_BATCH;
  #format: ModelFormat = 'onnx';
  #candidateRole = 'a mixed-precision candidate';
  #cosineFloor: number | undefined;
  referenceAccuracy: number | undefined;

  private constructor(reference: DataRunner, source: DataSource, samples: number, fixedBatch: number | undefined) {
    this.#reference = reference;
    this.#source = source;
    this.#samples = samples;
    this.#fixedBatch = fixedBatch;
  }

  /** Opens the reference; `format` and the `roles` named in errors default to ONNX mixed precision's. */
  static async open(
    floatBytes: Uint8Array,
    source: DataSource,
    samples: number,
    fixedBatch?: number,
    runtime: ScorerRuntime = {},
  ): Promise<CandidateScorer> {
    const format = runtime.format ?? 'onnx';
    const roles = runtime.roles ?? { reference: 'the float model', candidate: 'a mixed-precision candidate' };
    // The reference gives the same outputs for every candidate: each sample runs once, then comes from memory
    // (as long as its outputs fit the budget; later samples run again).
    const runner = rememberingRunner(await openRunner(floatBytes, format, roles.reference), REMEMBERED_BYTES);
    const scorer = new CandidateScorer({ runner, ...(fixedBatch ? { fixedBatch } : {}) }, source, samples, fixedBatch);
    scorer.#batchSize = evalBatchSize(format, floatBytes);
    scorer.#format = format;
    scorer.#candidateRole = roles.candidate;
    scorer.#cosineFloor = runtime.cosineFloor;
    return scorer;
  }

  /** Scores `bytes` on the scorer's samples, or on the first `samples` of them (a quick ranking). */
  async measure(bytes: Uint8Array, ctx: EngineContext, samples = this.#samples): Promise<DataComparison> {
    // One loader for every candidate: TFLite candidates reuse one worker instead of starting one each.
    this.#candidates ??= createRunnerLoader(this.#format, this.#candidateRole);
    const runner = await this.#candidates.open(bytes);
    try {
      const result = await compareOnData(
        { runner, ...(this.#fixedBatch ? { fixedBatch: this.#fixedBatch } : {}) },
        this.#reference,
        this.#source,
        { limit: Math.min(samples, this.#samples), batchSize: this.#batchSize },
        { signal: ctx.signal },
      );
      if (result.referenceAccuracy) this.referenceAccuracy = result.referenceAccuracy.top1;
      return result;
    } finally {
      await runner.dispose();
    }
  }

  /** True when the comparison meets the target and the cosine floor. */
  meets(result: DataComparison, target: MixedTarget): boolean {
    return meetsTarget(result, target, this.referenceAccuracy, this.#cosineFloor);
  }

  async dispose(): Promise<void> {
    await this.#reference.runner.dispose();
    await this.#candidates?.dispose();
    this.#candidates = undefined;
  }
}

/** The lowest output cosine: over every output holding vectors, else the first output's. */
export function worstCosine(result: DataComparison): number {
  const cosines = (result.outputs ?? []).flatMap((f) => (f ? [f.cosine] : []));
  return cosines.length > 0 ? Math.min(...cosines) : (result.fidelity?.cosine ?? 0);
}

/** How far a result is above (≥ 0) or below (< 0) the target. */
export function score(result: DataComparison, target: MixedTarget, referenceAccuracy: number | undefined): number {
  if (target.metric === 'accuracy' && result.accuracy && referenceAccuracy !== undefined)
    return target.value / 100 - (referenceAccuracy - result.accuracy.top1);
  if (target.metric === 'cosine') return worstCosine(result) - target.value;
  return (result.fidelity?.top1Agreement ?? 0) - (target.metric === 'accuracy' ? 0.99 : target.value);
}

/**
 * True when `result` meets `target` and no output holding vectors has a sample below `cosineFloor` (the pipeline
 * judges the worst sample too). A target on the first output's top-1 agreement alone passes a landmark model whose
 * other outputs int8 broke.
 */
export function meetsTarget(
  result: DataComparison,
  target: MixedTarget,
  referenceAccuracy: number | undefined,
  cosineFloor: number | undefined,
): boolean {
  if (score(result, target, referenceAccuracy) < 0) return false;
  return cosineFloor === undefined || (result.outputs ?? []).every((f) => !f || f.cosineMin >= cosineFloor);
}

/** A scalar error for ranking layers: lower fidelity (the worst output's cosine, the first output's top-1) means more sensitive. */
export function sensitivity(result: DataComparison): number {
  const f = result.fidelity;
  return f ? 1 - worstCosine(result) + (1 - f.top1Agreement) : 1;
}

/**
 * Layers as mixed precision sees them: each weight layer (Conv/MatMul/Gemm, CONV_2D …) with the
 * activation-only operations after it (Relu, pooling, reshapes) up to the next weight layer, by
 * node or output name.
 */
export function layerGroups(graph: Graph, kinds: LayerKinds): Array<{ layer: string; members: string[] }> {
  const order = graph.topologicalOrder().order ?? graph.nodes;
  const nameOf = (n: Node): string => n.name || n.outputs[0]?.name || '';
  const claimed = new Set<Node>();
  const groups: Array<{ layer: string; members: string[] }> = [];
  for (const node of order) {
    if (!kinds.weight(node)) continue;
    const members = [nameOf(node)];
    const queue = [node];
    for (let current = queue.shift(); current; current = queue.shift()) {
      for (const out of current.outputs) {
        for (const next of out ? graph.users(out) : []) {
          if (claimed.has(next) || !kinds.activation(next)) continue;
          claimed.add(next);
          members.push(nameOf(next));
          queue.push(next);
        }
      }
    }
    groups.push({ layer: nameOf(node), members });
  }
  return groups;
}
