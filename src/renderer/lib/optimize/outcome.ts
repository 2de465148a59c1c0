import type { BenchCompareResult, ErrorInfo, OptimizeReport, RecipeInfo } from '../../../contract';
import { formatPercent } from '../format/numbers';
import { GOALS, NEEDS_DATA, recipePlan, type GoalId } from './goals';

/** Something the user can do next, offered as a button. */
export type NextAction =
  | { kind: 'skip-step'; pass: string; stepTitle: string }
  | { kind: 'try-recipe'; recipe: RecipeInfo }
  | { kind: 'give-data' }
  | { kind: 'measure-speed' }
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
  hasData: boolean;
  recipes: readonly RecipeInfo[];
  /** The A/B speed check of this result, when it was measured. */
  speed?: BenchCompareResult | null;
}

const goalTitle = (goal: GoalId): string => (GOALS.find((entry) => entry.id === goal)?.title ?? goal).toLowerCase();

/** Recipes to try after `ran` for the goal: the later ones of the goal's plan that can run (with or without data). */
function nextCandidates(goal: GoalId, ran: string, context: OutcomeContext): RecipeInfo[] {
  const plan = recipePlan(goal, context.hasData);
  const after = plan.slice(plan.indexOf(ran) + 1).filter((name) => name !== 'graph' && (context.hasData || !NEEDS_DATA.has(name)));
  return after.flatMap((name) => context.recipes.filter((recipe) => recipe.name === name));
}

function sizeChange(report: OptimizeReport): number {
  return report.input.sizeBytes === 0 ? 0 : (report.output.sizeBytes - report.input.sizeBytes) / report.input.sizeBytes;
}

function alternatives(goal: GoalId, ran: string, context: OutcomeContext): NextAction[] {
  const actions: NextAction[] = nextCandidates(goal, ran, context)
    .slice(0, 2)
    .map((recipe) => ({ kind: 'try-recipe', recipe }));
  if (!context.hasData && goal !== 'accuracy') actions.push({ kind: 'give-data' });
  return actions;
}

/** Judges a finished run against the goal the user chose. */
export function judgeResult(report: OptimizeReport, context: OutcomeContext): Outcome {
  const { goal } = context;
  const ran = report.recipe.name;
  const changed = report.steps.some((step) => step.changed);
  if (report.verification.status === 'failed')
    return {
      tone: 'bad',
      headline: 'Goal not met: the optimized model gives different answers',
      detail: 'Do not use this result. Try a safer recipe, or give example data so Lithe can calibrate.',
      actions: alternatives(goal, ran, context),
    };
  const undone = report.steps.find((step) => step.undone);
  if (undone)
    return {
      tone: 'bad',
      headline: `One step changed the answers too much: “${undone.title}”`,
      detail:
        `Lithe undid that step, so the written model does not contain it (${undone.undone?.reason ?? 'its check failed'}). ` +
        'Run the recipe again without that step, or try another recipe.',
      actions: [{ kind: 'skip-step', pass: undone.pass, stepTitle: undone.title }, ...alternatives(goal, ran, context)],
    };
  if (!changed)
    return {
      tone: 'bad',
      headline: `Goal not met (${goalTitle(goal)}): this recipe changed nothing in this model`,
      detail:
        'Every step found nothing to do, so the written model computes exactly what the original does. ' +
        'The model may already be optimized this way; the next suggestion below may still help.',
      actions: alternatives(goal, ran, context),
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
      actions: alternatives(goal, ran, context),
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
      actions: alternatives(goal, ran, context),
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

/** The step a failed run names ("… (quantize-int8-dynamic) changed the results …"), when it names one. */
export function failedStep(error: ErrorInfo, recipe: { steps: { pass: string }[] } | undefined): string | undefined {
  const named = /\(([a-z0-9-]+)\) changed the results/.exec(error.message)?.[1];
  return named && recipe?.steps.some((step) => step.pass === named) ? named : undefined;
}

/** What to do after a run that failed: skip the failing step, try a safer recipe, or go back. */
export function guideFailure(
  error: ErrorInfo,
  ran: Pick<RecipeInfo, 'name' | 'title' | 'steps'> | undefined,
  context: OutcomeContext,
  passTitle: (pass: string) => string,
): Outcome {
  const step = failedStep(error, ran);
  const actions: NextAction[] = [];
  if (step) actions.push({ kind: 'skip-step', pass: step, stepTitle: passTitle(step) });
  if (ran) actions.push(...alternatives(context.goal, ran.name, context));
  actions.push({ kind: 'review' });
  return {
    tone: 'bad',
    headline: step ? `One step changed the answers too much: “${passTitle(step)}”` : 'The optimization did not finish',
    detail: step
      ? 'Lithe stopped so that you never get a model with wrong answers. Run the recipe again without that step, or try another recipe.'
      : 'Nothing was written. Try another recipe, or go back to the review.',
    actions,
  };
}
