import { LitheError, throwIfCancelled } from '../errors';
import type { Model } from '../ir/model';
import type { CheckedRecipe } from '../recipes/resolve-recipe';
import type { Verification } from '../verify/verifier';
import { passByName } from './index';
import { EXACT_TOLERANCE, type Pass, type PassContext, type SkippedCandidate } from './pass';

/** What one recipe step did. */
export interface StepReport {
  pass: string;
  title: string;
  options: Record<string, unknown>;
  changed: boolean;
  /** How many times the pass ran (fixed-point passes repeat until nothing changes). */
  iterations: number;
  stats: Record<string, number>;
  notes: string[];
  /** Candidates the pass declined, with its reasons. */
  skipped: SkippedCandidate[];
  /** True when a fixed-point pass was still changing the model when the round limit stopped it. */
  roundLimitReached: boolean;
  nodesBefore: number;
  nodesAfter: number;
  durationMs: number;
  /** Outputs of the model after this step against the original, when the step changed something. */
  verification?: Verification;
}

/** How the pipeline checks each step's result against the original model. */
export type StepVerifier = (model: Model) => Promise<Verification>;

/** Rounds a fixed-point pass may run before the pipeline stops it (and says so). */
export const MAX_ITERATIONS = 8;

// The step report of a pass that does not work on the model's format: nothing ran.
function formatSkipped(pass: Pass, options: Record<string, unknown>, format: string, nodes: number): StepReport {
  const formats = pass.formats.map((f) => (f === 'onnx' ? 'ONNX' : 'TFLite')).join(' and ');
  return {
    pass: pass.name,
    title: pass.title,
    options,
    changed: false,
    iterations: 0,
    stats: {},
    notes: [`Skipped: this step works on ${formats} models; this model is ${format === 'tflite' ? 'TFLite' : format}.`],
    skipped: [],
    roundLimitReached: false,
    nodesBefore: nodes,
    nodesAfter: nodes,
    durationMs: 0,
  };
}

/**
 * Runs a recipe's passes in order on `model` (in place). After every step that changed the model,
 * `verify` runs it against the original on the same inputs; a step whose outputs move beyond its
 * tolerance fails the run, naming the step.
 */
export async function runPipeline(
  model: Model,
  recipe: CheckedRecipe,
  verify: StepVerifier | undefined,
  ctx: PassContext = {},
): Promise<StepReport[]> {
  const reports: StepReport[] = [];
  for (const [index, step] of recipe.steps.entries()) {
    throwIfCancelled(ctx.signal);
    const pass = passByName(step.pass);
    if (!pass) throw new LitheError('invalid-argument', `Unknown pass "${step.pass}".`);
    if (!(pass.formats as readonly string[]).includes(model.format)) {
      reports.push(formatSkipped(pass, step.options, model.format, model.graph.nodes.length));
      continue;
    }
    ctx.onProgress?.({ stage: 'optimize', fraction: index / recipe.steps.length, message: pass.title });
    const started = performance.now();
    const nodesBefore = model.graph.nodes.length;
    const stats: Record<string, number> = {};
    const notes: string[] = [];
    let skipped: SkippedCandidate[] | undefined;
    let changed = false;
    let iterations = 0;
    let roundLimitReached = false;
    for (;;) {
      iterations++;
      const result = await pass.run(model, step.options as never, {
        signal: ctx.signal,
        onProgress: ctx.onProgress,
        ...(ctx.data ? { data: ctx.data } : {}),
      });
      for (const [key, value] of Object.entries(result.stats)) stats[key] = (stats[key] ?? 0) + value;
      for (const note of result.notes ?? []) if (!notes.includes(note)) notes.push(note);
      // The last round's declined candidates are what is left once the pass is done.
      skipped = result.skipped ?? [];
      changed ||= result.changed;
      if (!result.changed || !pass.fixedPoint) break;
      if (iterations >= MAX_ITERATIONS) {
        roundLimitReached = true;
        notes.push(
          `Stopped after ${MAX_ITERATIONS} rounds while the step was still finding changes; running the recipe again may do more.`,
        );
        break;
      }
    }
    const report: StepReport = {
      pass: pass.name,
      title: pass.title,
      options: step.options,
      changed,
      iterations,
      stats,
      notes,
      skipped: skipped ?? [],
      roundLimitReached,
      nodesBefore,
      nodesAfter: model.graph.nodes.length,
      durationMs: performance.now() - started,
    };
    if (changed && verify) {
      ctx.onProgress?.({ stage: 'verify', fraction: (index + 0.5) / recipe.steps.length, message: `Checking ${pass.title}` });
      report.verification = await verify(model);
      const tolerance = pass.tolerance ?? EXACT_TOLERANCE;
      const { worst } = report.verification;
      const mismatch = report.verification.outputs.find((output) => output.mismatch);
      if (mismatch || worst.relative > tolerance.relative || worst.cosine < tolerance.cosine) {
        const why = mismatch
          ? `output "${mismatch.name}": ${mismatch.mismatch}`
          : `outputs moved by a relative error of ${worst.relative.toExponential(2)} (cosine ${worst.cosine.toFixed(6)}); the step allows ${tolerance.relative.toExponential(0)}`;
        throw new LitheError('verification-failed', `Step ${index + 1} "${pass.title}" (${pass.name}) changed the results: ${why}.`, {
          ...(model.sourcePath ? { file: model.sourcePath } : {}),
        });
      }
    }
    reports.push(report);
  }
  return reports;
}
