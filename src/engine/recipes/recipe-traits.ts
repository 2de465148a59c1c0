import { passByName } from '../passes';
import type { Pass } from '../passes/pass';
import type { Recipe } from './recipe';

// What a recipe's passes say about it: whether it wants example data, and whether it can keep
// chosen layers in float. Read from the passes themselves, never from a list of names.

/** The pass learns from example data (calibration). */
export function passNeedsData(pass: Pass): boolean {
  return pass.needsData === true;
}

/** The pass has an `exclude` option: the layers it keeps in float. */
export function passKeepsLayersInFloat(pass: Pass): boolean {
  return Object.hasOwn(pass.options.shape, 'exclude');
}

/** The step's pass can keep layers in float. */
export function stepKeepsLayersInFloat(step: { pass: string }): boolean {
  const pass = passByName(step.pass);
  return pass !== undefined && passKeepsLayersInFloat(pass);
}

/** A step of the recipe learns from example data. */
export function recipeNeedsData(recipe: Pick<Recipe, 'steps'>): boolean {
  return recipe.steps.some((step) => {
    const pass = passByName(step.pass);
    return pass !== undefined && passNeedsData(pass);
  });
}

/** A step of the recipe can keep chosen layers in float. */
export function recipeKeepsLayersInFloat(recipe: Pick<Recipe, 'steps'>): boolean {
  return recipe.steps.some(stepKeepsLayersInFloat);
}
