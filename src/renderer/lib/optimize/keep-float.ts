import type { OptimizeReport, Recipe } from '../../../contract';
import { formatBytes } from '../format/bytes';
import { formatPercent } from '../format/numbers';

/** Passes that take an `exclude` list of node names to keep in float. */
export const QUANTIZE_PASSES: ReadonlySet<string> = new Set([
  'quantize-int8-static',
  'quantize-int8-dynamic',
  'quantize-int4-weights',
  'quantize-mixed',
]);

const SUFFIX = '-keep-float';

function excludeOf(options: Record<string, unknown>): string[] {
  const value = options.exclude;
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Whether the recipe that ran has a quantization step that can keep layers in float. */
export function canKeepInFloat(recipe: OptimizeReport['recipe']): boolean {
  return recipe.steps.some((step) => QUANTIZE_PASSES.has(step.pass));
}

/** Node names the recipe keeps in float (from every quantization step's `exclude`). */
export function keptInFloat(recipe: OptimizeReport['recipe']): string[] {
  const names = recipe.steps.filter((step) => QUANTIZE_PASSES.has(step.pass)).flatMap((step) => excludeOf(step.options));
  return [...new Set(names)];
}

/** The recipe as it ran, with `node` added to the `exclude` option of each quantization step, named `<name>-keep-float`. */
export function keepInFloatRecipe(recipe: OptimizeReport['recipe'], node: string): Recipe {
  const base = recipe.name.endsWith(SUFFIX) ? recipe.name : `${recipe.name.slice(0, 64 - SUFFIX.length)}${SUFFIX}`;
  return {
    name: base,
    title: `${(recipe.title ?? recipe.name).replace(/, some layers in float$/, '')}, some layers in float`,
    ...(recipe.description ? { description: recipe.description } : {}),
    steps: recipe.steps.map((step) => {
      if (!QUANTIZE_PASSES.has(step.pass)) return { pass: step.pass, options: { ...step.options } };
      const exclude = excludeOf(step.options);
      return { pass: step.pass, options: { ...step.options, exclude: exclude.includes(node) ? exclude : [...exclude, node] } };
    }),
  };
}

function signedPercent(before: number, after: number): string {
  if (before === 0 || before === after) return 'unchanged';
  const percent = ((after - before) / before) * 100;
  return `${percent < 0 ? '−' : '+'}${Math.abs(percent).toFixed(1)} %`;
}

function points(before: number, after: number): string {
  const diff = (after - before) * 100;
  if (Math.abs(diff) < 0.005) return 'unchanged';
  return `${diff < 0 ? '−' : '+'}${Math.abs(diff).toFixed(2)} points`;
}

/** How a re-run compares with the result before it, as short phrases (size, accuracy, fidelity). */
export function compareRuns(previous: OptimizeReport, next: OptimizeReport): string[] {
  const parts = [
    `size ${formatBytes(previous.output.sizeBytes)} → ${formatBytes(next.output.sizeBytes)} (${signedPercent(previous.output.sizeBytes, next.output.sizeBytes)})`,
  ];
  const accBefore = previous.evaluation?.accuracyAfter;
  const accAfter = next.evaluation?.accuracyAfter;
  if (accBefore && accAfter)
    parts.push(
      `accuracy ${formatPercent(accBefore.top1, 2)} → ${formatPercent(accAfter.top1, 2)} (${points(accBefore.top1, accAfter.top1)})`,
    );
  const fidBefore = previous.evaluation?.fidelity;
  const fidAfter = next.evaluation?.fidelity;
  if (fidBefore && fidAfter) {
    parts.push(`same top answer ${formatPercent(fidBefore.top1Agreement, 1)} → ${formatPercent(fidAfter.top1Agreement, 1)}`);
    parts.push(`signal-to-noise ${fidBefore.sqnrDb.toFixed(1)} → ${fidAfter.sqnrDb.toFixed(1)} dB`);
  }
  return parts;
}
