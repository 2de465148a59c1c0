import { describe, expect, it } from 'vitest';
import type { OptimizeReport, StepSummary } from '../../src/contract';
import { recipeCatalog } from '../../src/engine/recipes/catalog';
import { judgeResult, type OutcomeContext } from '../../src/renderer/lib/optimize/outcome';
import { runStatus } from '../../src/renderer/lib/optimize/run-status';
import { failureHeadline } from '../../src/renderer/lib/runs/failure-words';
import { retrainOffer } from '../../src/renderer/lib/optimize/retrain-offer';

const catalog = recipeCatalog();

function step(pass: string, title: string, extra: Partial<StepSummary> = {}): StepSummary {
  return {
    pass,
    title,
    options: {},
    changed: false,
    iterations: 1,
    stats: {},
    notes: [],
    skipped: [],
    roundLimitReached: false,
    nodesBefore: 4,
    nodesAfter: 4,
    durationMs: 1,
    ...extra,
  };
}

function report(recipe: string, steps: StepSummary[], sizes: [number, number]): OptimizeReport {
  const side = (sizeBytes: number) => ({ path: '/m.onnx', format: 'onnx' as const, sizeBytes, sha256: '', nodeCount: 4, opCounts: {} });
  return {
    schema: 'lithe.optimize/1',
    createdAt: '2026-12-02T04:00:00Z',
    runDir: '/runs/x',
    versions: {},
    recipe: { name: recipe, steps: steps.map((entry) => ({ pass: entry.pass, options: {} })) },
    input: side(sizes[0]),
    output: side(sizes[1]),
    steps,
    headline: '',
    changed: steps.some((entry) => entry.changed),
    verification: { status: 'passed', relative: 0 },
    durationMs: 10,
    warnings: [],
  };
}

const undoneQuant = step('quantize-int8-dynamic', 'Quantize weights to int8', {
  verdict: 'changed',
  undone: { reason: 'changed the results' },
});
const context = (extra: Partial<OutcomeContext> = {}): OutcomeContext => ({
  goal: 'smaller',
  goals: catalog.goals,
  hasData: false,
  recipes: catalog.recipes,
  ...extra,
});

describe('judgeResult (the goal verdict on a finished run)', () => {
  it('names an undone step when nothing else changed, and offers the next recipe of the engine’s plan first', () => {
    const outcome = judgeResult(report('int8-dynamic', [step('fold-constants', 'Precompute'), undoneQuant], [1000, 1000]), context());
    expect(outcome.tone).toBe('bad');
    expect(outcome.headline).toBe(
      'Goal not met (smaller file): “Quantize weights to int8” changed the answers too much and was undone, so the model is unchanged',
    );
    expect(outcome.actions.map((action) => action.kind)).toEqual(['try-recipe', 'try-recipe', 'give-data', 'skip-step']);
    const first = outcome.actions[0];
    expect(first?.kind === 'try-recipe' && first.recipe.name).toBe('fp16');
  });

  it('keeps the goal’s verdict on what was written and adds the undone step to it', () => {
    const halved = report('custom', [step('to-fp16', 'Half size', { changed: true }), undoneQuant], [1000, 500]);
    const outcome = judgeResult(halved, context());
    expect(outcome.tone).toBe('good');
    expect(outcome.headline).toBe(
      'Goal met: the file is 50 % smaller — but “Quantize weights to int8” changed the answers too much and was undone',
    );
    expect(outcome.actions[0]).toMatchObject({ kind: 'skip-step', pass: 'quantize-int8-dynamic' });
  });

  it('says a recipe that changed nothing missed the goal, and a small change too', () => {
    expect(judgeResult(report('int8-dynamic', [step('fold-constants', 'Precompute')], [1000, 1000]), context()).headline).toBe(
      'Goal not met (smaller file): this recipe changed nothing in this model',
    );
    const trimmed = judgeResult(report('int8-dynamic', [step('fold-constants', 'Precompute', { changed: true })], [1000, 980]), context());
    expect(trimmed.headline).toBe('Goal not met: the file is only 2.0 % smaller');
  });

  it('treats a recipe derived from a plan’s recipe as that recipe when it suggests the next one', () => {
    const outcome = judgeResult(report('int8-dynamic-keep-float', [step('fold-constants', 'Precompute')], [1000, 1000]), context());
    const names = outcome.actions.flatMap((action) => (action.kind === 'try-recipe' ? [action.recipe.name] : []));
    expect(names).toEqual(['fp16', 'graph']);
  });
});

describe('runStatus (a run in a few words for lists)', () => {
  it('says finished with a step undone, changed nothing, or how the answers compare', () => {
    expect(runStatus(report('x', [step('a', 'A', { changed: true }), undoneQuant], [10, 5]))).toEqual({
      tone: 'warn',
      words: 'Finished, one step undone',
    });
    expect(runStatus(report('x', [undoneQuant], [10, 10])).words).toBe('Finished, one step undone · changed nothing');
    expect(runStatus(report('x', [step('a', 'A')], [10, 10])).words).toBe('Changed nothing');
    expect(runStatus(report('x', [step('a', 'A', { changed: true })], [10, 5]))).toEqual({ tone: 'good', words: 'Same answers' });
  });
});

describe('failureHeadline (why a failed run stopped, for the runs list)', () => {
  const failure = (error: { code: string; message: string; file?: string }, cancelled = false) => ({
    schema: 'lithe.failure/1' as const,
    createdAt: '2026-12-02T04:00:00Z',
    request: { model: '/m.onnx', recipe: 'int8-static' },
    cancelled,
    error,
  });

  it('gives the engine’s sentence with the file it names, else the kind of error', () => {
    const unfit = failure({
      code: 'invalid-argument',
      file: '/d/unfit.npy',
      message: '/d/unfit.npy: Each sample holds 7 values (7) but the model input "x" takes 64. More detail.',
    });
    expect(failureHeadline(unfit)).toBe('unfit.npy: Each sample holds 7 values (7) but the model input "x" takes 64.');
    expect(failureHeadline(failure({ code: 'internal', message: 'boom' }))).toBe('Something went wrong');
    expect(failureHeadline(failure({ code: 'cancelled', message: 'Cancelled.' }, true))).toBe('Cancelled');
  });
});

describe('retrainOffer (when "retrain to recover accuracy" is offered)', () => {
  const withData = (base: OptimizeReport, evaluation: Partial<NonNullable<OptimizeReport['evaluation']>>): OptimizeReport => ({
    ...base,
    evaluation: { data: { description: 'IDX (200 samples, labelled)', samples: 200, random: false, labeled: true }, ...evaluation },
  });
  const accuracy = (top1: number) => ({ top1, top5: 1, correct: Math.round(top1 * 200), total: 200 });
  const quantized = report(
    'int8-static',
    [step('fold-constants', 'Precompute'), step('quantize-int8-static', 'Quantize to int8')],
    [10, 5],
  );

  it('offers it when accuracy fell, or a step with a trained form was undone, and the data is known', () => {
    const fell = withData(quantized, { accuracyBefore: accuracy(0.9), accuracyAfter: accuracy(0.8) });
    expect(retrainOffer(fell, catalog.passes, true)).toEqual({
      method: 'trained-form',
      why: 'the accuracy fell from 90.0 % to 80.0 % on your data',
    });
    const undone = withData(
      report('int8-static', [step('quantize-int8-static', 'Quantize to int8', { undone: { reason: 'changed the results' } })], [10, 10]),
      { accuracyBefore: accuracy(1), accuracyAfter: accuracy(1) },
    );
    expect(retrainOffer(undone, catalog.passes, true)?.why).toBe('“Quantize to int8” was undone because it changed the answers too much');
    expect(retrainOffer(fell, catalog.passes, false)).toBeUndefined();
  });

  it('does not offer it when nothing was lost, or when a step has no trained form', () => {
    expect(
      retrainOffer(withData(quantized, { accuracyBefore: accuracy(0.9), accuracyAfter: accuracy(0.9) }), catalog.passes, true),
    ).toBeUndefined();
    const dynamic = withData(report('int8-dynamic', [step('quantize-int8-dynamic', 'Quantize weights')], [10, 5]), {
      accuracyBefore: accuracy(0.9),
      accuracyAfter: accuracy(0.5),
    });
    expect(retrainOffer(dynamic, catalog.passes, true)).toBeUndefined();
  });
});
