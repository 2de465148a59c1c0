import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { OptimizeReport, VerificationSummary } from '../../contract';
import type { EngineContext } from '../context';
import { LitheError, reasonOf, throwIfCancelled } from '../errors';
import { encodeModel, extensionOf, loadModel, stemOf, type ModelFormat } from '../formats/model-io';
import { convertModelFormat } from '../formats/tflite';
import { runPipeline, type StepReport } from '../passes/pipeline';
import { checkRecipe, resolveRecipe, type CheckedRecipe } from '../recipes/resolve-recipe';
import { layersKeptInFloat } from '../recipes/keep-float';
import type { Recipe } from '../recipes/recipe';
import { createVerifier, openRunner, type Verifier } from '../verify/verifier';
import { outputHints } from '../verify/output-hints';
import { loosest, type Tolerance } from '../verify/tolerance';
import { inputLayout } from '../data/input-layout';
import { openData } from '../data/open-data';
import type { DataSource } from '../data/batch';
import type { RunnerTensor } from '../verify/model-runner';
import type { Model } from '../ir/model';
import { evaluateOptimized } from '../evaluate/evaluate-optimized';
import { compareSizes } from '../compress/size/measure-size';
import { headline } from './headline';
import { modelStats } from './model-stats';
import { promisingStep, sizeShortfall, weightShortfall } from './recipe-promise';
import { stepSummary, verificationSummary } from './report-summaries';
import { snapshotCodec } from './snapshot-codec';
import { formatCut } from './format-split';
import { renderReportHtml } from './report-html';
import { beginRunFolder } from './run-folder';
import { diskFailure } from '../files/write-failure';
import { toolVersions } from './versions';

/** What to optimize, how, and where the run folder goes. */
export interface OptimizeRequest {
  model: string;
  outDir: string;
  /** Built-in recipe name or recipe file path, or a recipe as data (checked here). */
  recipe: string | Recipe;
  format?: ModelFormat;
  /** Replace an earlier Lithe run in `outDir` (batch re-runs); never anything else. */
  replaceRun?: boolean;
  /** Data for calibration and the accuracy check (see openData). */
  data?: string;
  labels?: string;
  normalize?: string;
  /** Samples used for the accuracy check (default: all). */
  evalLimit?: number;
  /** Stop at the first step that fails or changes the results beyond its tolerance (default: undo it and go on). */
  strict?: boolean;
  /** Keep a step that changes the results beyond its tolerance, reported as such, instead of undoing it. */
  keepBeyondTolerance?: boolean;
}

/**
 * Optimizes one model: reads it, runs the recipe (checking every step against the original on the
 * same inputs; a step that fails or moves the results beyond its tolerance is undone and named),
 * writes the result and `report.json` + `report.html` into a new run folder. When no step changed
 * anything, the written model is the original file, byte for byte.
 */
export async function optimizeModel(request: OptimizeRequest, ctx: EngineContext = {}): Promise<OptimizeReport> {
  const started = performance.now();
  const recipe = typeof request.recipe === 'string' ? await resolveRecipe(request.recipe) : checkRecipe(request.recipe);
  ctx.onProgress?.({ stage: 'read', fraction: 0, message: 'Reading the model' });
  const { model, facts, format: inputFormat } = await loadModel(request.model, { signal: ctx.signal });
  const outputFormat = request.format ?? inputFormat;
  const before = {
    stats: modelStats(model),
    model: snapshotCodec(inputFormat, facts.path).decode(new Uint8Array(await readFile(facts.path))),
  };
  const warnings: string[] = [];

  const originalBytes = new Uint8Array(await readFile(facts.path));
  const layout = request.data ? inputLayout(model) : undefined;
  const data =
    request.data && layout
      ? await openData({ path: request.data, labels: request.labels, normalize: request.normalize }, layout)
      : undefined;
  let verifier: Verifier | undefined;
  let unavailable: string | undefined;
  try {
    verifier = await createVerifier(originalBytes, inputFormat, {
      file: facts.path,
      hints: outputHints(model),
      ...(data ? { firstInputSamples: await firstSamples(data, 3) } : {}),
    });
  } catch (error) {
    unavailable = reasonOf(error);
    warnings.push(`The original model could not run here, so results could not be compared with it: ${unavailable}`);
  }
  if (verifier && !data)
    warnings.push(
      'Results were checked on generated sample inputs (no data was given): they show the optimized model computes the same thing, not how accurate it is.',
    );

  const folder = await beginRunFolder(request.outDir, { replaceRun: request.replaceRun, claimTemporary: ctx.claimTemporary });
  try {
    const cut = outputFormat === inputFormat ? recipe.steps.length : formatCut(recipe, outputFormat);
    const runSteps = async (target: Model, format: ModelFormat, part: CheckedRecipe['steps']): Promise<StepReport[]> =>
      runPipeline(
        target,
        { ...recipe, steps: part },
        {
          ...snapshotCodec(format, facts.path),
          ...(verifier ? { verify: (bytes: Uint8Array, tolerance: Tolerance) => verifier.verify(bytes, format, tolerance) } : {}),
          strict: request.strict === true,
          keepBeyondTolerance: request.keepBeyondTolerance === true,
        },
        { ...ctx, ...(data ? { data } : {}) },
      );
    const steps = await runSteps(model, inputFormat, recipe.steps.slice(0, cut));
    throwIfCancelled(ctx.signal);
    const output = outputFormat === inputFormat ? model : (await convertModelFormat(model, outputFormat, { file: facts.path }, ctx)).model;
    if (cut < recipe.steps.length) steps.push(...(await runSteps(output, outputFormat, recipe.steps.slice(cut))));
    throwIfCancelled(ctx.signal);
    ctx.onProgress?.({ stage: 'write', fraction: 0.9, message: 'Writing the result' });
    const changed = steps.some((step) => step.changed);
    // Nothing changed and no conversion: the result is the original file itself (a re-encoding could only differ in layout).
    const outputBytes = !changed && outputFormat === inputFormat ? originalBytes : encodeModel(output, outputFormat, facts.path);
    const outputName = `${stemOf(facts.path)}.${recipe.name}${extensionOf(outputFormat)}`;
    await writeFile(join(folder.dir, outputName), outputBytes);

    ctx.onProgress?.({ stage: 'verify', fraction: 0.95, message: 'Checking the written model' });
    // The result is held to the loosest tolerance among the steps it kept.
    const tolerance = loosest(steps.filter((step) => step.changed).map((step) => step.tolerance));
    const verification = verifier
      ? verificationSummary(await verifier.verify(outputBytes, outputFormat, tolerance))
      : outputBytes === originalBytes
        ? sameFile(unavailable ?? '')
        : await checkRunsAlone(outputBytes, outputFormat, unavailable ?? '', facts.path);
    await verifier?.dispose();
    const evaluation =
      data && layout
        ? await evaluateOptimized(
            { bytes: originalBytes, format: inputFormat },
            { bytes: outputBytes, format: outputFormat },
            data,
            layout,
            { limit: request.evalLimit },
            ctx,
          )
        : undefined;

    ctx.onProgress?.({ stage: 'size', fraction: 0.97, message: 'Measuring sizes' });
    const sizes = await compareSizes(
      { bytes: originalBytes, format: inputFormat, file: facts.path, name: basename(facts.path) },
      { bytes: outputBytes, format: outputFormat, name: outputName, wantPackage: recipe.package === true },
    );
    const packageName = recipe.package && sizes.outputPackage ? `${stemOf(facts.path)}.${recipe.name}.lithe` : undefined;
    if (packageName && sizes.outputPackage) await writeFile(join(folder.dir, packageName), sizes.outputPackage);
    const after = modelStats(output);
    // Quantize/dequantize markers are how a quantized ONNX model is written, not extra work.
    if (computeNodes(after) > computeNodes(before.stats))
      warnings.push(
        `The optimized model has more operations (${computeNodes(after)}) than the original (${computeNodes(before.stats)}), not counting quantize/dequantize markers.`,
      );
    const promised = promisingStep(recipe.steps.map((step) => step.pass));
    const promisedStep = steps.find((step) => step.pass === promised);
    const shortfall =
      shortfallOf(changed, promisedStep, promisedStep && weightShortfall(promisedStep.pass, promisedStep.title, before.model, output)) ??
      (changed ? sizeShortfall(facts.sizeBytes, outputBytes.byteLength, inputFormat === outputFormat) : undefined);
    const kept = layersKeptInFloat(recipe);
    const partial: Omit<OptimizeReport, 'headline'> = {
      schema: 'lithe.optimize/1',
      createdAt: new Date().toISOString(),
      runDir: folder.target,
      versions: toolVersions(),
      recipe: {
        name: recipe.name,
        title: recipe.title,
        description: recipe.description,
        steps: recipe.steps,
        ...(recipe.package ? { package: true } : {}),
      },
      input: { path: facts.path, format: inputFormat, sizeBytes: facts.sizeBytes, sha256: facts.sha256, ...before.stats },
      output: {
        path: join(folder.target, outputName),
        format: outputFormat,
        sizeBytes: outputBytes.byteLength,
        sha256: createHash('sha256').update(outputBytes).digest('hex'),
        ...after,
      },
      steps: steps.map(stepSummary),
      changed,
      ...(shortfall ? { shortfall } : {}),
      verification,
      ...(evaluation ? { evaluation } : {}),
      size: { input: sizes.input, output: sizes.output, ...(packageName ? { package: join(folder.target, packageName) } : {}) },
      durationMs: performance.now() - started,
      warnings,
      ...(kept ? { keptInFloat: kept } : {}),
    };
    const report: OptimizeReport = { ...partial, headline: headline(partial) };
    await writeFile(join(folder.dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(join(folder.dir, 'report.html'), renderReportHtml(report));
    await folder.commit();
    ctx.onProgress?.({ stage: 'done', fraction: 1 });
    return report;
  } catch (error) {
    await folder.discard();
    await verifier?.dispose();
    throw diskFailure(error, folder.target, 'the run folder');
  }
}

/** The first `count` samples of a data source, each as a batch-of-one tensor for the model's first input. */
async function firstSamples(data: DataSource, count: number): Promise<RunnerTensor[]> {
  const samples: RunnerTensor[] = [];
  const size = data.sampleDims.reduce((n, d) => n * d, 1);
  for await (const batch of data.batches(count, count)) {
    for (let i = 0; i < batch.count; i++) samples.push({ dims: [1, ...data.sampleDims], data: batch.data.slice(i * size, (i + 1) * size) });
  }
  return samples;
}

function computeNodes(stats: { nodeCount: number; opCounts: Record<string, number> }): number {
  return stats.nodeCount - (stats.opCounts['QuantizeLinear'] ?? 0) - (stats.opCounts['DequantizeLinear'] ?? 0);
}

/** The result is the original file itself (nothing changed): identical without running either. */
function sameFile(why: string): VerificationSummary {
  return {
    status: 'passed',
    verdict: 'identical',
    words: 'identical: the written file is the original, byte for byte',
    reason: `The model cannot run here (${why}), so nothing was run; nothing changed, and the written file is the original.`,
  };
}

/** When the original cannot run, at least prove the result loads and runs. */
async function checkRunsAlone(bytes: Uint8Array, format: ModelFormat, why: string, file: string): Promise<VerificationSummary> {
  try {
    const runner = await openRunner(bytes, format, 'the optimized model', { file });
    try {
      await runner.run(runner.sampleFeeds(1));
    } finally {
      await runner.dispose();
    }
    return {
      status: 'unavailable',
      reason: `The original cannot run here (${why}); the optimized model loads and runs, but there is nothing to compare it with. Check its accuracy with data.`,
    };
  } catch (error) {
    throw new LitheError('verification-failed', `Neither the original nor the optimized model runs here: ${reasonOf(error)}`, { file });
  }
}

/** Why the recipe did less than it promises: nothing changed, its own step was undone or found nothing, or left most weights. */
function shortfallOf(changed: boolean, step: StepReport | undefined, weights: string | undefined): string | undefined {
  if (step?.undone) return `${step.title} was undone: ${step.undone.reason}`;
  if (step && !step.changed) return `${step.title} changed nothing${step.notes.length ? `: ${step.notes.join(' ')}` : ''}`;
  if (weights) return `${weights}${step?.notes.length ? `: ${step.notes.join(' ')}` : ''}`;
  return changed ? undefined : 'every step found nothing to change; the written model is the original file';
}
