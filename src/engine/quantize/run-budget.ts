// How much data one run over many samples may hold. Calibration exposes every activation of the samples in a run, and
// mixed precision scores candidates on many samples: both size their runs to a budget of bytes, so a model with large
// activations runs a few samples (at least one) at a time. The job's memory estimate (`jobs/job-memory-need.ts`)
// follows the same sizing.

/** The default budget of one calibration run: its input batch and the exposed values it returns. */
export const RUN_BYTES = 128 * 1024 ** 2;
/** Samples one calibration run takes at most. */
export const MAX_BATCH = 64;

/** About how many bytes of activations one scoring run may hold in its runtime. */
export const EVAL_RUN_BYTES = 64 * 1024 ** 2;
/** Samples one scoring run takes at most. */
export const MAX_EVAL_BATCH = 100;
/** Bytes of the reference model's outputs a scorer keeps for reuse across candidates; later samples run again. */
export const REMEMBERED_BYTES = 32 * 1024 ** 2;

/** Bytes one calibration run exposes for a model whose every value of one sample takes `perSample` bytes. */
export function calibrationRunBytes(perSample: number): number {
  return Math.max(perSample, Math.min(RUN_BYTES, MAX_BATCH * perSample));
}

/** Samples one scoring run takes for a model whose ordinary run of one sample holds `perSample` bytes of activations. */
export function scoringRunSamples(perSample: number): number {
  if (!(perSample > 0)) return MAX_EVAL_BATCH;
  return Math.max(1, Math.min(MAX_EVAL_BATCH, Math.floor(EVAL_RUN_BYTES / perSample)));
}
