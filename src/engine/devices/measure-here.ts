import type { EngineContext } from '../context';
import { LitheError, throwIfCancelled } from '../errors';
import { measureLoop } from '../bench/measure-loop';
import { profileModel } from '../bench/profile-session';
import { median } from '../bench/stats';
import { createOnnxSession, DEFAULT_ORT_CONFIG, prepareFeeds, readModelFacts, runError } from '../runtime/onnx';
import { createTfliteSession, randomInput, seededRandom } from '../runtime/tflite';
import { readOnnx } from '../formats/onnx';
import { inferShapes } from '../ir/shape-inference';
import { onnxDeployedMemory } from './onnx-memory';
import { withPrepackedWeights } from './prepacked-weights';
import { opCost, readsOnlyWeights, type OpCost } from './op-cost';
import { tfliteCosts } from './tflite-costs';

/** Runs for the calibration median. */
export const CALIBRATION_RUNS = 30;
const PROFILE_RUNS = 5;

/** A model's operator costs and its latency measured on this machine (one thread). */
export interface MeasuredHere {
  runtime: 'onnxruntime' | 'tflite';
  /** Median latency here, ms; undefined when the model could not run here. */
  measuredMs: number | undefined;
  /** Why the model could not run here. */
  failure?: string;
  /** Operator costs of `costRuns` inferences (divide modelled times by it). */
  costs: OpCost[];
  costRuns: number;
  modelBytes: number;
  weightBytes: number;
  /** Part of `weightBytes` stored as float16/bfloat16. */
  float16WeightBytes: number;
  /** Largest activation memory live at once as deployed (weights and values computed from them excluded). */
  peakActivationBytes: number;
  /** The same with float16 activations counted as float32 (a device without float16 arithmetic). */
  widenedPeakActivationBytes: number;
}

/**
 * ONNX: measure with ONNX Runtime (all optimizations), then profile at basic optimization so the
 * operator shapes are the model's own (layout rewrites pad channels to this CPU's vector width).
 */
async function measureOnnx(
  model: string,
  dims: Record<string, number>,
  values: Record<string, number>,
  ctx: EngineContext,
): Promise<MeasuredHere> {
  const facts = readModelFacts(model);
  const loaded = await createOnnxSession(model, DEFAULT_ORT_CONFIG);
  let measuredMs: number;
  let feeds;
  try {
    feeds = prepareFeeds(loaded.session, { dims, values, seed: 1 }, model).feeds;
    const inputs = feeds;
    const step = (): Promise<unknown> => loaded.session.run(inputs);
    try {
      await measureLoop(step, { runs: 5 });
      measuredMs = median((await measureLoop(step, { runs: CALIBRATION_RUNS }, undefined, ctx.signal)).samplesMs);
    } catch (error) {
      throw error instanceof LitheError ? error : runError(model, error);
    }
  } finally {
    await loaded.session.release();
  }
  throwIfCancelled(ctx.signal);
  ctx.onProgress?.({ stage: 'profile', fraction: 0.5, message: 'profiling operators' });
  const trace = await profileModel(model, { ...DEFAULT_ORT_CONFIG, optLevel: 'basic' }, feeds, PROFILE_RUNS, ctx.signal);
  const read = readOnnx(model);
  inferShapes(read);
  const memory = onnxDeployedMemory(read.graph, trace, feeds, dims);
  return {
    runtime: 'onnxruntime',
    measuredMs,
    costs: withPrepackedWeights(read.graph, trace.nodes)
      .filter((node) => !readsOnlyWeights(node))
      .map(opCost),
    costRuns: trace.runs,
    modelBytes: facts.bytes,
    weightBytes: facts.weightBytes,
    float16WeightBytes: memory.float16WeightBytes,
    peakActivationBytes: memory.peakActivationBytes,
    widenedPeakActivationBytes: memory.widenedPeakActivationBytes,
  };
}

/** TFLite: costs from the shapes in the file; latency from the TFLite WebAssembly runtime if it can run the model. */
async function measureTflite(model: string, ctx: EngineContext): Promise<MeasuredHere> {
  const costs = tfliteCosts(model);
  const base = {
    runtime: 'tflite' as const,
    costs: costs.costs,
    costRuns: 1,
    modelBytes: costs.modelBytes,
    weightBytes: costs.weightBytes,
    float16WeightBytes: costs.float16WeightBytes,
    peakActivationBytes: costs.peakActivationBytes,
    widenedPeakActivationBytes: costs.widenedPeakActivationBytes,
  };
  let session;
  try {
    session = await createTfliteSession(model, { threads: 1 }, { signal: ctx.signal });
  } catch (error) {
    return { ...base, measuredMs: undefined, failure: error instanceof Error ? error.message : String(error) };
  }
  try {
    const random = seededRandom(1);
    const feeds = session.inputs.map((info) => randomInput(info, random));
    for (let i = 0; i < 5; i++) await session.run(feeds);
    const samples: number[] = [];
    for (let i = 0; i < CALIBRATION_RUNS; i++) samples.push((await session.run(feeds)).ms);
    return { ...base, measuredMs: median(samples) };
  } finally {
    await session.dispose();
  }
}

/** Measures a model on this machine and costs its operators (ONNX or TFLite). */
export function measureHere(
  model: string,
  tflite: boolean,
  options: { dims: Record<string, number>; values: Record<string, number> },
  ctx: EngineContext,
): Promise<MeasuredHere> {
  return tflite ? measureTflite(model, ctx) : measureOnnx(model, options.dims, options.values, ctx);
}
