import { LitheError, throwIfCancelled } from '../errors';
import type { Model } from '../ir/model';
import type { CheckedRecipe } from '../recipes/resolve-recipe';
import type { Verification } from '../verify/verifier';
import { passByName } from './index';
import { EXACT_TOLERANCE, type PassContext } from './pass';

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
  nodesBefore: number;
  nodesAfter: number;
  durationMs: number;
  /** Outputs of the model after this step against the original, when the step changed something. */
  verification?: Verification;
}

/** How the pipeline checks each step's result against the original model. */
export type StepVerifier = (model: Model) => Promise<Verification>;

const MAX_ITERATIONS = 8;

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
    ctx.onProgress?.({ stage: 'optimize', fraction: index / recipe.steps.length, message: pass.title });
    const started = performance.now();
    const nodesBefore = model.graph.nodes.length;
    const stats: Record<string, number> = {};
    const notes: string[] = [];
    let changed = false;
    let iterations = 0;
    for (;;) {
      iterations++;
      const result = await pass.run(model, step.options as never, {
        signal: ctx.signal,
        onProgress: ctx.onProgress,
        ...(ctx.data ? { data: ctx.data } : {}),
      });
      for (const [key, value] of Object.entries(result.stats)) stats[key] = (stats[key] ?? 0) + value;
      for (const note of result.notes ?? []) if (!notes.includes(note)) notes.push(note);
      changed ||= result.changed;
      if (!result.changed || !pass.fixedPoint || iterations >= MAX_ITERATIONS) break;
    }
    const report: StepReport = {
      pass: pass.name,
      title: pass.title,
      options: step.options,
      changed,
      iterations,
      stats,
      notes,
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
