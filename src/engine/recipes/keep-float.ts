import type { Recipe, RecipeStep } from './recipe';
import { recipeKeepsLayersInFloat, stepKeepsLayersInFloat } from './recipe-traits';

// "Keep these layers in float" as a recipe edit: the names go into the `exclude` option of every
// step whose pass can keep layers in float (node names, output names or operator types).
//
//   { name: 'int8-static', steps: [..., { pass: 'quantize-int8-static', options: { exclude: ['a'] } }] }
//   + keep ['conv7']
//   → { name: 'int8-static-keep-float', steps: [..., { pass: 'quantize-int8-static', options: { exclude: ['a', 'conv7'] } }] }

const SUFFIX = '-keep-float';
const TITLE_SUFFIX = ', some layers in float';
const NAME_LIMIT = 64;

function excludeOf(options: Record<string, unknown> | undefined): string[] {
  const value = options?.exclude;
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The layers a recipe keeps in float; undefined when none of its steps can keep layers in float. */
export function layersKeptInFloat(recipe: Pick<Recipe, 'steps'>): string[] | undefined {
  if (!recipeKeepsLayersInFloat(recipe)) return undefined;
  return [...new Set(recipe.steps.filter(stepKeepsLayersInFloat).flatMap((step) => excludeOf(step.options)))];
}

/**
 * The recipe with `layers` added to the `exclude` option of each step that can keep layers in
 * float, named `<name>-keep-float` (once). Unchanged when no step can: the caller says so.
 */
export function keepLayersInFloat<R extends Recipe>(recipe: R, layers: readonly string[]): R {
  if (layers.length === 0 || !recipeKeepsLayersInFloat(recipe)) return recipe;
  const name = recipe.name.endsWith(SUFFIX) ? recipe.name : `${recipe.name.slice(0, NAME_LIMIT - SUFFIX.length)}${SUFFIX}`;
  const title = `${(recipe.title ?? recipe.name).replace(new RegExp(`${TITLE_SUFFIX}$`), '')}${TITLE_SUFFIX}`;
  const steps = recipe.steps.map((step): RecipeStep => {
    if (!stepKeepsLayersInFloat(step)) return { pass: step.pass, options: { ...step.options } };
    const exclude = excludeOf(step.options);
    return { pass: step.pass, options: { ...step.options, exclude: [...exclude, ...layers.filter((layer) => !exclude.includes(layer))] } };
  });
  return { ...recipe, name, title, steps };
}
