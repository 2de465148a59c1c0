// The corpus data file (corpus/models.json): one entry per model, one key per operation, each with the outcome we
// expect and, after `--update`, the figures last measured.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Operations the corpus runs: inspect, conversion to the other format, and each built-in recipe. */
export const OPERATIONS = ['inspect', 'convert', 'graph', 'int8-dynamic', 'int8-static', 'fp16', 'int4-weights', 'mixed'] as const;
export const Operation = z.enum(OPERATIONS);
export type Operation = z.infer<typeof Operation>;

/**
 * What happened, in the corpus's words: `ok` (done, and for a recipe the model changed as it promises), `partial` (a
 * recipe that did less than it promises and said so), `unchanged` (a recipe that changed nothing, and said so),
 * `refused` (a clear error naming why), `failed` (anything else: an internal error, a crash, a limit exceeded), `timeout`.
 */
export const Outcome = z.enum(['ok', 'partial', 'unchanged', 'refused', 'failed', 'timeout']);
export type Outcome = z.infer<typeof Outcome>;

/** How the result compared with the original, by the corpus's own run of both models (not the pipeline's verifier). */
export const Fidelity = z.enum(['identical', 'rounding', 'close', 'changed', 'not-run']);
export type Fidelity = z.infer<typeof Fidelity>;

/** Figures of one run of one operation on one model; `--update` writes them back into the file. */
export const Measured = z
  .object({
    outcome: Outcome,
    /** The refusal or failure, or why a recipe did less than it promises (paths replaced by <model>, <out>). */
    reason: z.string().optional(),
    /** The independent comparison's verdict. */
    fidelity: Fidelity.optional(),
    /** Smallest cosine similarity over outputs with more than one value (independent comparison). */
    cosine: z.number().optional(),
    /** Largest error over outputs, relative to the output's largest value (or 0.01 when that is smaller). */
    error: z.number().optional(),
    /** Why the independent comparison could not run both models. */
    notRun: z.string().optional(),
    /** Output size ÷ input size. */
    size: z.number().optional(),
    /** The words the engine's report used for its own verification. */
    verdict: z.string().optional(),
    /** Recipe steps that were rolled back, with why. */
    skipped: z.array(z.string()).optional(),
    /** inspect: estimated multiply-accumulates. */
    macs: z.number().optional(),
    seconds: z.number().optional(),
  })
  .strict();
export type Measured = z.infer<typeof Measured>;

/** The expected outcome of one operation, with the bounds its figures must keep. */
export const Expectation = z
  .object({
    expect: z.enum(['ok', 'partial', 'unchanged', 'refused']),
    /** For `refused`, `partial` and `unchanged`: the exact reason (after path replacement). */
    reason: z.string().optional(),
    /** The independent comparison must find the result identical or within float rounding. */
    exact: z.boolean().optional(),
    /** Smallest allowed cosine (independent comparison). */
    cosine: z.number().min(-1).max(1).optional(),
    /** Largest allowed error (independent comparison, see Measured.error). */
    error: z.number().nonnegative().optional(),
    /** Largest allowed output size ÷ input size. */
    size: z.number().positive().optional(),
    /** Names of the steps expected to be rolled back (default: none). */
    skipped: z.array(z.string()).optional(),
    /** Free text for people: why this expectation is what it is. */
    note: z.string().optional(),
    measured: Measured.optional(),
  })
  .strict();
export type Expectation = z.infer<typeof Expectation>;

/** One model of the corpus. `model` is a path under the models folder, or `npm:<package path>` for a devDependency. */
export const CorpusEntry = z
  .object({
    model: z.string().min(1),
    about: z.string().optional(),
    /** Operations `npm test` runs for this model (npm models only; default: all it lists). */
    ci: z.array(Operation).optional(),
    ops: z.partialRecord(Operation, Expectation),
  })
  .strict();
export type CorpusEntry = z.infer<typeof CorpusEntry>;

export const CorpusFile = z.object({ $comment: z.string().optional(), models: z.array(CorpusEntry) }).strict();
export type CorpusFile = z.infer<typeof CorpusFile>;

/** Reads and validates the corpus file; a bad file fails naming the entry and field. */
export function readCorpus(path: string): CorpusFile {
  const parsed = CorpusFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`${path}: not a valid corpus file: ${detail}`);
  }
  const seen = new Set<string>();
  for (const entry of parsed.data.models) {
    if (seen.has(entry.model)) throw new Error(`${path}: model "${entry.model}" is listed twice`);
    seen.add(entry.model);
  }
  return parsed.data;
}
