// One cell of the corpus table: one operation on one model, run in a job process of its own (so a crash, a hang or runaway
// memory ends only this cell). Exported as a job task; returns plain data.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineContext } from '../../src/engine/context';
import { LitheError } from '../../src/engine/errors';
import { detectFormat } from '../../src/engine/inspect/open-model';
import { convertModel, inspectModel } from '../../src/engine/inspect';
import { optimizeModel } from '../../src/engine/optimize/optimize-model';
import type { ModelFormat } from '../../src/engine/formats/model-io';
import type { Measured, Operation } from './corpus-schema';
import { checkIndependently, type ModelFile } from './independent-check';

/** What a cell job receives. */
export interface CellArgs {
  model: string;
  operation: Operation;
  /** A scratch folder of this cell's own (removed afterwards). */
  workDir: string;
  /** The recipe a recipe operation runs (its name), so that the job's memory estimate sees it (see job-memory-need.ts). */
  recipe?: string;
}

/** Error codes that are refusals (the engine said clearly what it cannot do); anything else is a failure. */
const REFUSALS = new Set(['unsupported', 'not-a-model', 'corrupt-model', 'runtime-failed', 'verification-failed', 'invalid-argument']);

/** Runs one operation and measures it (job task). */
export async function runCell(args: CellArgs, ctx: EngineContext): Promise<Measured> {
  const started = performance.now();
  await mkdir(args.workDir, { recursive: true });
  try {
    const measured = await measure(args, ctx);
    return { ...measured, seconds: round((performance.now() - started) / 1000, 1) };
  } catch (error) {
    const refused = error instanceof LitheError && REFUSALS.has(error.code);
    const reason = error instanceof LitheError ? error.reason : error instanceof Error ? (error.stack ?? error.message) : String(error);
    return {
      outcome: refused ? 'refused' : 'failed',
      reason: tidy(reason, args),
      seconds: round((performance.now() - started) / 1000, 1),
    };
  } finally {
    await rm(args.workDir, { recursive: true, force: true });
  }
}

async function measure(args: CellArgs, ctx: EngineContext): Promise<Measured> {
  const format = detectFormat(args.model).format.name as ModelFormat;
  const original: ModelFile = { path: args.model, format };
  if (args.operation === 'inspect') {
    const summary = inspectModel(args.model, ctx, { nodes: false });
    return { outcome: 'ok', macs: summary.macs };
  }
  if (args.operation === 'convert') {
    const other: ModelFormat = format === 'onnx' ? 'tflite' : 'onnx';
    const out = join(args.workDir, `converted.${other}`);
    const result = await convertModel(args.model, out, ctx);
    const sizeRatio = result.sizeBytes / detectFormat(args.model).sizeBytes;
    return { outcome: 'ok', size: round(sizeRatio, 3), ...(await fidelityOf(original, { path: out, format: other })) };
  }
  const report = await optimizeModel({ model: args.model, outDir: join(args.workDir, 'run'), recipe: args.operation }, ctx);
  const v = report.verification;
  const measured: Measured = {
    outcome: !report.changed ? 'unchanged' : report.shortfall ? 'partial' : 'ok',
    size: round(report.output.sizeBytes / report.input.sizeBytes, 3),
    verdict: v.words ?? `${v.status}${v.reason ? `: ${v.reason}` : ''}`,
    ...(await fidelityOf(original, { path: report.output.path, format: report.output.format })),
  };
  if (report.shortfall) measured.reason = tidy(report.shortfall, args);
  const skipped = report.steps.filter((step) => step.undone).map((step) => `${step.pass}: ${step.undone?.reason ?? ''}`);
  if (skipped.length) measured.skipped = skipped.map((step) => tidy(step, args));
  return measured;
}

async function fidelityOf(original: ModelFile, result: ModelFile): Promise<Pick<Measured, 'fidelity' | 'cosine' | 'error' | 'notRun'>> {
  const check = await checkIndependently(original, result);
  const figures: Pick<Measured, 'fidelity' | 'cosine' | 'error' | 'notRun'> = { fidelity: check.fidelity };
  if (check.cosine !== undefined) figures.cosine = round(check.cosine, 6);
  if (check.error !== undefined) figures.error = Number(check.error.toPrecision(3));
  if (check.notRun) figures.notRun = check.notRun;
  return figures;
}

/** Replaces the model's path and the scratch folder in a message, so reasons compare across machines. */
function tidy(text: string, args: CellArgs): string {
  return text.split(args.model).join('<model>').split(args.workDir).join('<out>');
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The job tasks of this module (see taskRef). */
export const tasks = { runCell };
