import { passByName } from '../passes';
import type { ModelFormat } from '../formats/model-io';
import type { CheckedRecipe } from '../recipes/resolve-recipe';

/**
 * Where a recipe is cut when the result is written in another format: the exact rewrites before
 * the cut run on the model as read, the model is converted, and the steps from the first one that
 * changes numbers (quantization, pruning, float16 …) run on the converted model — so a TFLite
 * result gets TFLite's own int8 kernels and int8 weights rather than a float model that rounds
 * between layers. A step whose pass does not work on the output format stays before the cut when
 * it comes first. Returns the index of the first step after the cut (the step count: convert at
 * the end).
 */
export function formatCut(recipe: CheckedRecipe, to: ModelFormat): number {
  const index = recipe.steps.findIndex((step) => {
    const pass = passByName(step.pass);
    return pass !== undefined && pass.tolerance !== undefined && (pass.formats as readonly string[]).includes(to);
  });
  return index < 0 ? recipe.steps.length : index;
}
