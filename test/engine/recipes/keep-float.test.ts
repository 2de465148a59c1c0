import { describe, expect, it } from 'vitest';
import { builtinRecipe } from '../../../src/engine/recipes/builtin-recipes';
import { keepLayersInFloat, layersKeptInFloat } from '../../../src/engine/recipes/keep-float';
import { stepKeepsLayersInFloat } from '../../../src/engine/recipes/recipe-traits';
import { checkRecipe } from '../../../src/engine/recipes/resolve-recipe';
import type { Recipe } from '../../../src/engine/recipes/recipe';

const builtin = (name: string): Recipe => {
  const recipe = builtinRecipe(name);
  if (!recipe) throw new Error(`no built-in recipe ${name}`);
  return checkRecipe(recipe);
};
const quantizeStep = (recipe: Recipe) => recipe.steps.find((step) => step.pass.startsWith('quantize-'));
const keepingSteps = (recipe: Recipe) => recipe.steps.filter(stepKeepsLayersInFloat);
const otherSteps = (recipe: Recipe) => recipe.steps.filter((step) => !stepKeepsLayersInFloat(step));

describe('keep layers in float (a recipe edit)', () => {
  it('adds the layers to the exclude option of every step that can keep layers in float, once', () => {
    const once = keepLayersInFloat(builtin('int8-static'), ['conv7']);
    expect(once.name).toBe('int8-static-keep-float');
    expect(once.title).toMatch(/, some layers in float$/);
    expect(quantizeStep(once)?.options.exclude).toEqual(['conv7']);
    const twice = keepLayersInFloat(once, ['conv7', 'fc']);
    expect(twice.name).toBe('int8-static-keep-float');
    expect(twice.title?.match(/some layers in float/g)).toHaveLength(1);
    expect(quantizeStep(twice)?.options.exclude).toEqual(['conv7', 'fc']);
    expect(layersKeptInFloat(twice)).toEqual(['conv7', 'fc']);
    // int8-static balances depthwise channels first: that step leaves the kept layers alone too,
    // and keeps its own options.
    const equalize = twice.steps.find((step) => step.pass === 'equalize-channels');
    expect(equalize?.options).toMatchObject({ pairs: 'depthwise', exclude: ['conv7', 'fc'] });
    expect(keepingSteps(twice).map((step) => step.options.exclude)).toEqual(keepingSteps(twice).map(() => ['conv7', 'fc']));
    // The other steps are untouched copies.
    const original = builtin('int8-static');
    expect(otherSteps(twice)).toEqual(otherSteps(original));
    expect(otherSteps(twice)[0]).not.toBe(otherSteps(original)[0]);
  });

  it('reads the pass options, not pass names: a recipe without such a step is left as it is', () => {
    const graph = builtin('graph');
    expect(layersKeptInFloat(graph)).toBeUndefined();
    expect(keepLayersInFloat(graph, ['conv7'])).toBe(graph);
    expect(layersKeptInFloat(builtin('int4-weights'))).toEqual([]);
  });

  it('keeps a long recipe name within the recipe name limit', () => {
    const long = { ...builtin('int8-dynamic'), name: 'x'.repeat(64) };
    const edited = keepLayersInFloat(long, ['a']);
    expect(edited.name).toHaveLength(64);
    expect(edited.name.endsWith('-keep-float')).toBe(true);
  });
});
