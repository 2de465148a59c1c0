import type ort from 'onnxruntime-node';
import { readDataFeeds } from './data-feeds';
import { makeFeeds, noteConstants } from './input-data';
import { planInputs, type PlannedInput } from './input-plan';
import { declaredInputs } from './model-inputs';
import { hintsForFile } from './read-input-hints';

/** Where a benchmark's inputs come from. */
export interface FeedOptions {
  dims: Readonly<Record<string, number>>;
  values: Readonly<Record<string, number>>;
  seed: number;
  /** A folder of ONNX test data (`input_0.pb`, …); generated inputs when absent. */
  dataFolder?: string;
}

/** The inputs for a session: read from the data folder, or generated (see planInputs, inputHints and makeFeeds). */
export function prepareFeeds(
  session: ort.InferenceSession,
  options: FeedOptions,
  model: string,
): { inputs: PlannedInput[]; feeds: Record<string, ort.Tensor> } {
  if (options.dataFolder) return readDataFeeds(options.dataFolder, declaredInputs(session), model);
  const inputs = noteConstants(planInputs(declaredInputs(session), options.dims, model, hintsForFile(model)), options.values);
  return { inputs, feeds: makeFeeds(inputs, options.seed, model, options.values) };
}
