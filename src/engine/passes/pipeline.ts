import { LitheError, reasonOf, throwIfCancelled } from '../errors';
import type { Model } from '../ir/model';
import type { CheckedRecipe } from '../recipes/resolve-recipe';
import type { Tolerance } from '../verify/tolerance';
import type { Verification } from '../verify/verifier';
import { passByName } from './index';
import { EXACT_TOLERANCE, type Pass, type PassContext, type SkippedCandidate } from './pass';

/** What one recipe step did. */
export interface StepReport {
  pass: string;
  title: string;
  options: Record<string, unknown>;
  /** False when the step found nothing to do, and when it was rolled back. */
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
  /** The tolerance the step's result was held to. */
  tolerance: Tolerance;
  /** Outputs of the model after this step against the original, when the step changed something. */
  verification?: Verification;
  /** Set when the step failed or changed the results beyond its tolerance: the model was restored to before it. */
  undone?: { reason: string };
  /** Set when the step changed the results beyond its tolerance and was kept, as the run asked (`keepBeyondTolerance`). */
  beyondTolerance?: { reason: string };
}

/** How the pipeline snapshots, restores and checks the model between steps. */
export interface PipelineHost {
  /** The model's bytes in its own format (a snapshot, and what the verifier runs). */
  encode(model: Model): Uint8Array;
  /** A model from bytes `encode` made (to restore a snapshot). */
  decode(bytes: Uint8Array): Model;
  /** Runs the model's bytes against the original and judges them against `tolerance`; absent when the original cannot run. */
  verify?(bytes: Uint8Array, tolerance: Tolerance): Promise<Verification>;
  /** Stop at the first step that fails or changes the results beyond its tolerance, instead of undoing it and going on. */
  strict?: boolean;
  /**
   * Keep a step that changes the results beyond its tolerance (it is reported as `beyondTolerance`) instead of undoing it.
   * A step that fails is still undone; `strict` wins over this.
   */
  keepBeyondTolerance?: boolean;
}

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
    tolerance: pass.tolerance ?? EXACT_TOLERANCE,
  };
}

/**
 * Runs a recipe's passes in order on `model` (in place). After every step that changed the model, the host's
 * verifier runs it against the original on the same inputs. A step that throws, or whose outputs move beyond its
 * tolerance, is undone (the model is restored from the snapshot taken after the last good step) and reported as
 * `undone` with the reason, and the recipe goes on; with `strict`, it fails the run instead, naming the step; with
 * `keepBeyondTolerance`, a step whose check failed is kept and reported as `beyondTolerance`.
 */
export async function runPipeline(model: Model, recipe: CheckedRecipe, host: PipelineHost, ctx: PassContext = {}): Promise<StepReport[]> {
  const reports: StepReport[] = [];
  // The model as it was after the last good step (taken when the first step that can run starts).
  let snapshot: Uint8Array | undefined;
  // A kept preparing step (see Pass.prepares) and the model from before it, until the next step has run.
  let preparing: { report: StepReport; before: Uint8Array } | undefined;
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
    snapshot ??= host.encode(model);
    const before = snapshot;
    const report: StepReport & { bytes?: Uint8Array } = {
      pass: pass.name,
      title: pass.title,
      options: step.options,
      changed: false,
      iterations: 0,
      stats: {},
      notes: [],
      skipped: [],
      roundLimitReached: false,
      nodesBefore: model.graph.nodes.length,
      nodesAfter: model.graph.nodes.length,
      durationMs: 0,
      tolerance: pass.tolerance ?? EXACT_TOLERANCE,
    };
    const failure = await runStep(pass, step.options, model, report, host, ctx, (index + 0.5) / recipe.steps.length);
    const keep = failure !== undefined && !host.strict && host.keepBeyondTolerance === true && report.verification?.passed === false;
    if (keep) {
      report.beyondTolerance = { reason: `${failure}; the step was kept, as asked` };
      snapshot = report.bytes ?? host.encode(model);
    } else if (failure) {
      const why = `Step ${index + 1} "${pass.title}" (${pass.name}) ${failure}`;
      if (host.strict) throw new LitheError('verification-failed', `${why}.`, { ...(model.sourcePath ? { file: model.sourcePath } : {}) });
      restore(model, host.decode(snapshot));
      report.changed = false;
      report.undone = { reason: `${failure}; the step was undone and the recipe went on` };
    } else if (report.changed) {
      snapshot = report.bytes ?? host.encode(model);
    }
    delete report.bytes;
    if (preparing) {
      // The step a preparing step was for is undone or found nothing: the preparation goes too.
      if (report.undone || !report.changed) {
        restore(model, host.decode(preparing.before));
        snapshot = preparing.before;
        preparing.report.changed = false;
        preparing.report.undone = {
          reason: `it prepares step ${index + 1} "${pass.title}", which ${report.undone ? 'was undone' : 'changed nothing'}; undone with it`,
        };
      }
      preparing = undefined;
    } else if (pass.prepares && report.changed && !report.undone) preparing = { report, before };
    report.nodesAfter = model.graph.nodes.length;
    report.durationMs = performance.now() - started;
    reports.push(report);
  }
  return reports;
}

/** Runs one step to its fixed point and checks it; returns why it failed, or undefined. */
async function runStep(
  pass: Pass,
  options: Record<string, unknown>,
  model: Model,
  report: StepReport & { bytes?: Uint8Array },
  host: PipelineHost,
  ctx: PassContext,
  fraction: number,
): Promise<string | undefined> {
  try {
    for (;;) {
      report.iterations++;
      const result = await pass.run(model, options as never, {
        signal: ctx.signal,
        onProgress: ctx.onProgress,
        ...(ctx.data ? { data: ctx.data } : {}),
      });
      for (const [key, value] of Object.entries(result.stats)) report.stats[key] = (report.stats[key] ?? 0) + value;
      for (const note of result.notes ?? []) if (!report.notes.includes(note)) report.notes.push(note);
      // The last round's declined candidates are what is left once the pass is done.
      report.skipped = result.skipped ?? [];
      report.changed ||= result.changed;
      if (!result.changed || !pass.fixedPoint) break;
      if (report.iterations >= MAX_ITERATIONS) {
        report.roundLimitReached = true;
        report.notes.push(
          `Stopped after ${MAX_ITERATIONS} rounds while the step was still finding changes; running the recipe again may do more.`,
        );
        break;
      }
    }
    if (!report.changed || !host.verify) return undefined;
    ctx.onProgress?.({ stage: 'verify', fraction, message: `Checking ${pass.title}` });
    report.bytes = host.encode(model);
    report.verification = await host.verify(report.bytes, report.tolerance);
  } catch (error) {
    if (error instanceof LitheError && error.code === 'cancelled') throw error;
    return `failed: ${reasonOf(error)}`;
  }
  const v = report.verification;
  if (!v) return undefined;
  return v.passed ? undefined : `changed the results: ${v.words}; the step allows ${describeTolerance(report.tolerance)}`;
}

/** Puts the restored model's content into `model` (callers hold the same object). */
function restore(model: Model, restored: Model): void {
  const sourcePath = model.sourcePath;
  Object.assign(model, restored);
  model.sourcePath = sourcePath;
}

/** A tolerance in words, for messages. */
export function describeTolerance(t: Tolerance): string {
  if (t.rtol <= EXACT_TOLERANCE.rtol) return 'float rounding only';
  const bounds = [`cosine ≥ ${t.cosine}`];
  if (Number.isFinite(t.atol) && Number.isFinite(t.rtol)) bounds.push(`scores within ${t.atol} + ${t.rtol * 100} %`);
  bounds.push(`top-1 agreement ≥ ${t.agreement * 100} %`);
  return bounds.join(', ');
}
