export { createOnnxSession, readModelBytes, type OnnxSession } from './create-session';
export { DEFAULT_ORT_CONFIG, toSessionOptions, type OrtConfig } from './session-options';
export { planInputs, DEFAULT_BATCH, DEFAULT_IMAGE_SIZE, DEFAULT_OTHER_DIM, type DeclaredInput, type PlannedInput } from './input-plan';
export { makeFeeds, noteConstants, seededRandom, DEFAULT_SAMPLE_RATE } from './input-data';
export { declaredInputs } from './model-inputs';
export { runError, sessionError, ortMessage } from './ort-errors';
export { readModelFacts, type ModelFacts } from './model-facts';
export { readDataFeeds } from './data-feeds';
export { prepareFeeds, type FeedOptions } from './prepare-feeds';
