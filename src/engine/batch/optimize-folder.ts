import { readFile, realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { OptimizeReport, type BatchArgs, type BatchItem, type BatchSummary } from '../../contract';
import type { EngineContext } from '../context';
import { throwIfCancelled, toErrorInfo, type ErrorInfo } from '../errors';
import { identifyFile } from '../files/identify-file';
import { isInside } from '../files/path-inside';
import { removeAbandonedFolders } from '../optimize/abandoned-folders';
import type { OptimizeRequest } from '../optimize/optimize-model';
import { resolveRecipe, type CheckedRecipe } from '../recipes/resolve-recipe';
import { listModels } from './list-models';
import { pickShard } from './shard';
import { writeSummaryFiles } from './summary-files';

/** A batch: every model under `inputDir`, optimized with one recipe into a mirrored tree under `outDir`. */
export type BatchRequest = Omit<BatchArgs, 'outDir'> & { outDir: string };

/** Optimizes one model of a batch somewhere isolated (a job of the engine's shared job runner). */
export type OptimizeOne = (request: OptimizeRequest, ctx: EngineContext) => Promise<OptimizeReport>;

/**
 * Runs a batch: models already done with the same recipe and the same input bytes are skipped (so
 * a re-run after an interruption finishes only what was left); every other model runs in its own
 * job (`optimizeOne`; at most `request.jobs` at once, and never more than the runner behind it
 * allows), and a model that fails or crashes is recorded with its reason while the rest go on.
 * Progress after each model carries its {@link BatchItem} as `detail`.
 */
export async function optimizeFolder(request: BatchRequest, optimizeOne: OptimizeOne, ctx: EngineContext = {}): Promise<BatchSummary> {
  const startedAt = new Date().toISOString();
  const inputDir = resolve(request.inputDir);
  const outDir = resolve(request.outDir);
  const recipe = await resolveRecipe(request.recipe);
  const all = await listModels(inputDir, outDir);
  const models = request.shard ? pickShard(all, request.shard) : all;
  await removeAbandonedFolders(outDir, true);

  const items: BatchItem[] = new Array<BatchItem>(models.length);
  let finished = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < models.length) {
      throwIfCancelled(ctx.signal);
      const index = next++;
      const model = models[index];
      if (model === undefined) break;
      const item = await processModel(model, inputDir, outDir, recipe, request.format, optimizeOne, ctx.signal);
      items[index] = item;
      finished++;
      ctx.onProgress?.({
        stage: 'batch',
        fraction: finished / Math.max(1, models.length),
        message: `${finished} of ${models.length}: ${model}`,
        detail: { ...item },
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(request.jobs, Math.max(1, models.length)) }, worker));

  const summary: BatchSummary = {
    schema: 'lithe.batch/1',
    inputDir,
    outDir,
    recipe: recipe.name,
    ...(request.format ? { format: request.format } : {}),
    ...(request.shard ? { shard: request.shard } : {}),
    startedAt,
    finishedAt: new Date().toISOString(),
    counts: countItems(items),
    items,
  };
  await writeSummaryFiles(summary);
  return summary;
}

/** Tally of item statuses. */
export function countItems(items: readonly BatchItem[]): BatchSummary['counts'] {
  return {
    done: items.filter((item) => item.status === 'done').length,
    skipped: items.filter((item) => item.status === 'skipped').length,
    failed: items.filter((item) => item.status === 'failed').length,
  };
}

async function processModel(
  model: string,
  inputDir: string,
  outDir: string,
  recipe: CheckedRecipe,
  format: BatchRequest['format'],
  optimizeOne: OptimizeOne,
  signal: AbortSignal | undefined,
): Promise<BatchItem> {
  const source = join(inputDir, model);
  // The run folder is named like the model file, extension included: `a.onnx` and `a.tflite` side
  // by side get a run each.
  const runDir = join(outDir, model);
  const started = performance.now();
  try {
    const previous = await earlierReport(runDir);
    if (previous && sameWork(previous, recipe, format)) {
      const outside = await pointsOutside(previous, runDir);
      if (outside) {
        const reason =
          `its earlier report (${join(runDir, 'report.json')}) names ${outside}, which is outside the run folder; ` +
          `Lithe does not trust it. Delete the folder ${runDir} to run this model again.`;
        return { model, status: 'failed', reason, durationMs: performance.now() - started };
      }
      if (await stillDone(previous, source)) return { ...fromReport(model, previous), runDir, status: 'skipped' };
    }
    const report = await optimizeOne({ model: source, outDir: runDir, recipe, format, replaceRun: true }, signal ? { signal } : {});
    return fromReport(model, report);
  } catch (error) {
    const reason = withoutFile(toErrorInfo(error));
    return { model, status: 'failed', reason, durationMs: performance.now() - started };
  }
}

/**
 * The path an earlier report names outside its own run folder, if any: a resumed batch trusts only
 * an output inside this run's folder (links resolved), never a file elsewhere.
 */
async function pointsOutside(report: OptimizeReport, runDir: string): Promise<string | undefined> {
  const root = await realpath(runDir).catch(() => runDir);
  const output = resolve(runDir, report.output.path);
  const real = await realpath(output).catch(() => output);
  return isInside(root, real) ? undefined : output;
}

/** The earlier run is still good: same input bytes, and its output file still holds what it wrote. */
async function stillDone(report: OptimizeReport, source: string): Promise<boolean> {
  if (report.input.sha256 !== (await identifyFile(source)).sha256) return false;
  const output = await identifyFile(report.output.path).catch(() => undefined);
  return output?.sha256 === report.output.sha256;
}

function fromReport(model: string, report: OptimizeReport): BatchItem {
  const item: BatchItem = {
    model,
    status: 'done',
    runDir: report.runDir,
    inputBytes: report.input.sizeBytes,
    outputBytes: report.output.sizeBytes,
    nodesBefore: report.input.nodeCount,
    nodesAfter: report.output.nodeCount,
    verification: report.verification.status,
    durationMs: report.durationMs,
  };
  if (report.verification.relative !== undefined) item.relativeError = report.verification.relative;
  if (report.verification.cosine !== undefined) item.cosine = report.verification.cosine;
  if (report.verification.verdict !== undefined) item.verdict = report.verification.verdict;
  if (report.verification.words !== undefined) item.words = report.verification.words;
  item.changed = report.changed;
  if (report.shortfall) item.shortfall = report.shortfall;
  const undone = report.steps.filter((step) => step.undone).map((step) => step.pass);
  if (undone.length) item.undoneSteps = undone;
  return item;
}

function sameWork(report: OptimizeReport, recipe: CheckedRecipe, format: BatchRequest['format']): boolean {
  const wantFormat = format ?? report.input.format;
  return (
    report.recipe.name === recipe.name &&
    JSON.stringify(report.recipe.steps) === JSON.stringify(recipe.steps) &&
    report.output.format === wantFormat
  );
}

async function earlierReport(runDir: string): Promise<OptimizeReport | undefined> {
  try {
    const parsed = OptimizeReport.safeParse(JSON.parse(await readFile(join(runDir, 'report.json'), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The message of an error without the file name in front (the batch lists the file already). */
function withoutFile(info: ErrorInfo): string {
  return info.file && info.message.startsWith(`${info.file}: `) ? info.message.slice(info.file.length + 2) : info.message;
}
