import type { BenchCompareResult, GoalId, GoalInfo, OptimizeReport, RecipeInfo, StepSummary } from '../../../contract';
import { formatPercent } from '../format/numbers';
import { undoneSteps } from './run-status';

/** Something the user can do next, offered as a button. */
export type NextAction =
  | { kind: 'skip-step'; pass: string; stepTitle: string }
  | { kind: 'try-recipe'; recipe: RecipeInfo }
  | { kind: 'give-data' }
  | { kind: 'measure-speed' }
  | { kind: 'retrain' }
  | { kind: 'review' };

/** Whether the run served the user's goal, in plain words, and what to do next. */
export interface Outcome {
  tone: 'good' | 'bad' | 'unknown';
  headline: string;
  detail: string;
  actions: NextAction[];
}

/** What the judgement of a run knows besides its report. */
export interface OutcomeContext {
  goal: GoalId;
  /** The engine's goals, each with its plan of recipes (`recipes.list`). */
  goals: readonly GoalInfo[];
  hasData: boolean;
  recipes: readonly RecipeInfo[];
  /** The A/B speed check of this result, when it was measured. */
  speed?: BenchCompareResult | null;
  /** Retraining is offered for this result (it lost accuracy and its data is known; see retrain-offer.ts). */
  canRetrain?: boolean;
}

const goalTitle = (context: OutcomeContext): string =>
  (context.goals.find((entry) => entry.id === context.goal)?.title ?? context.goal).toLowerCase();

/**
 * Recipes to try after `ran`, as the engine's plan for the goal lists them: the later ones that can
 * run (with or without data). A recipe derived from a plan's recipe (`int8-dynamic-keep-float`,
 * `int8-dynamic-without-…`) counts as that recipe.
 */
function nextCandidates(ran: string, context: OutcomeContext): RecipeInfo[] {
  const plan = context.goals.find((entry) => entry.id === context.goal)?.plan;
  const names = (context.hasData ? plan?.withData : plan?.withoutData) ?? [];
  const at = names.findIndex((name) => ran === name || ran.startsWith(`${name}-`));
  return names
    .slice(at + 1)
    .flatMap((name) => context.recipes.filter((recipe) => recipe.name === name && (context.hasData || !recipe.needsData)));
}

function sizeChange(report: OptimizeReport): number {
  return report.input.sizeBytes === 0 ? 0 : (report.output.sizeBytes - report.input.sizeBytes) / report.input.sizeBytes;
}

function alternatives(ran: string, context: OutcomeContext): NextAction[] {
  const actions: NextAction[] = nextCandidates(ran, context)
    .slice(0, 2)
    .map((recipe) => ({ kind: 'try-recipe', recipe }));
  if (!context.hasData && context.goal !== 'accuracy') actions.push({ kind: 'give-data' });
  return actions;
}

/** "“Quantize to int8” changed the answers too much and was undone", or the count of such steps. */
function undonePhrase(undone: readonly StepSummary[]): string {
  const first = undone[0];
  return undone.length === 1 && first
    ? `“${first.title}” changed the answers too much and was undone`
    : `${undone.length} steps changed the answers too much and were undone`;
}

/**
 * Judges a finished run against the goal the user chose. A step the engine undid (it changed the
 * answers too much; the recipe went on without it) is named in the headline, whatever the goal's verdict.
 */
export function judgeResult(report: OptimizeReport, context: OutcomeContext): Outcome {
  const outcome = judgeWritten(report, context);
  if (!context.canRetrain) return outcome;
  // Retraining is slow: offered second, after the quickest way forward.
  const actions: NextAction[] = [...outcome.actions.slice(0, 1), { kind: 'retrain' }, ...outcome.actions.slice(1)];
  return { ...outcome, actions };
}

function judgeWritten(report: OptimizeReport, context: OutcomeContext): Outcome {
  const verdict = goalVerdict(report, context);
  const undone = undoneSteps(report);
  if (undone.length === 0 || report.verification.status === 'failed') return verdict;
  const skip: NextAction[] = undone.slice(0, 1).map((step) => ({ kind: 'skip-step', pass: step.pass, stepTitle: step.title }));
  const them = undone.length === 1 ? 'that step' : 'those steps';
  if (!report.changed)
    return {
      tone: 'bad',
      headline: `Goal not met (${goalTitle(context)}): ${undonePhrase(undone)}, so the model is unchanged`,
      detail:
        `Lithe undid ${them} and went on; no other step found anything to change, so the written model computes exactly what ` +
        'the original does. Try another recipe, or run this one again without the step for a clean run.',
      actions: [...alternatives(report.recipe.name, context), ...skip],
    };
  return {
    tone: verdict.tone,
    headline: `${verdict.headline} — ${verdict.tone === 'good' ? 'but ' : ''}${undonePhrase(undone)}`,
    detail:
      `Lithe undid ${them} and went on, so the written model does not contain ${undone.length === 1 ? 'it' : 'them'}; ` +
      `the other steps are kept. ${verdict.detail}`,
    actions: [...skip, ...verdict.actions],
  };
}

/** The goal's verdict on what was written (the file, the measured speed, the answers). */
function goalVerdict(report: OptimizeReport, context: OutcomeContext): Outcome {
  const { goal } = context;
  const ran = report.recipe.name;
  if (report.verification.status === 'failed')
    return {
      tone: 'bad',
      headline: 'Goal not met: the optimized model gives different answers',
      detail: 'Do not use this result. Try a safer recipe, or give example data so Lithe can calibrate.',
      actions: alternatives(ran, context),
    };
  if (!report.changed)
    return {
      tone: 'bad',
      headline: `Goal not met (${goalTitle(context)}): this recipe changed nothing in this model`,
      detail:
        'Every step found nothing to do, so the written model computes exactly what the original does. ' +
        'The model may already be optimized this way; the next suggestion below may still help.',
      actions: alternatives(ran, context),
    };
  const change = sizeChange(report);
  if (goal === 'smaller') {
    if (change <= -0.1)
      return {
        tone: 'good',
        headline: `Goal met: the file is ${formatPercent(-change, 0)} smaller`,
        detail: 'The answers were checked against the original (see below).',
        actions: [],
      };
    return {
      tone: 'bad',
      headline: `Goal not met: the file is only ${formatPercent(Math.abs(change), 1)} ${change <= 0 ? 'smaller' : 'larger'}`,
      detail: 'A change under 10 % is not worth shipping for size. Try the next suggestion.',
      actions: alternatives(ran, context),
    };
  }
  if (goal === 'faster') {
    const speed = context.speed;
    if (!speed)
      return {
        tone: 'unknown',
        headline: 'Not known yet whether it is faster',
        detail: 'Faster has to be measured: compare the speed of the original and the optimized model on this computer.',
        actions: [{ kind: 'measure-speed' }],
      };
    const ratio = speed.ratio.median;
    if (speed.verdict === 'faster')
      return {
        tone: 'good',
        headline: `Goal met: ${(1 / ratio).toFixed(2)}× faster on this computer`,
        detail: 'Measured turn by turn against the original on the same inputs.',
        actions: [],
      };
    return {
      tone: 'bad',
      headline:
        speed.verdict === 'slower'
          ? `Goal not met: the optimized model is ${ratio.toFixed(2)}× slower on this computer — don’t ship it for speed`
          : 'Goal not met: no real difference in speed on this computer',
      detail: 'Measured turn by turn against the original on the same inputs.',
      actions: alternatives(ran, context),
    };
  }
  const exact = report.verification.status === 'passed' && (report.verification.relative ?? 0) <= 1e-4;
  return exact
    ? { tone: 'good', headline: 'Goal met: the answers stayed the same', detail: 'Checked by running both models.', actions: [] }
    : {
        tone: 'unknown',
        headline: 'The answers moved slightly',
        detail: 'They stayed within the recipe’s tolerance; see the check below.',
        actions: [],
      };
}

/**
 * What to do after a run that did not finish (an error, not a step that changed the answers: the
 * engine undoes such a step and goes on): try another recipe of the goal's plan, or go back.
 */
export function guideFailure(ran: Pick<RecipeInfo, 'name'> | undefined, context: OutcomeContext): Outcome {
  return {
    tone: 'bad',
    headline: 'The optimization did not finish',
    detail: 'Nothing was written. Try another recipe, or go back to the review.',
    actions: [...(ran ? alternatives(ran.name, context) : []), { kind: 'review' }],
  };
}
