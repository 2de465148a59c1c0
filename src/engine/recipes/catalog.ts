import { z } from 'zod';
import type { RecipeCatalog } from '../../contract';
import { PASSES } from '../passes';
import { retrainingOf } from '../train/recover/recovery-plan';
import { BUILTIN_RECIPES } from './builtin-recipes';
import { GOALS } from './goals';
import { passKeepsLayersInFloat, passNeedsData, recipeKeepsLayersInFloat, recipeNeedsData } from './recipe-traits';
import { checkRecipe } from './resolve-recipe';

/** Built-in recipes (with defaults filled in), every pass with its options as JSON Schema, and the goals. */
export function recipeCatalog(): RecipeCatalog {
  return {
    recipes: BUILTIN_RECIPES.map((recipe) => ({
      ...checkRecipe(recipe),
      builtin: true,
      needsData: recipeNeedsData(recipe),
      keepsLayersInFloat: recipeKeepsLayersInFloat(recipe),
    })),
    passes: PASSES.map((pass) => ({
      name: pass.name,
      title: pass.title,
      description: pass.description,
      optionsSchema: z.toJSONSchema(pass.options, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
      needsData: passNeedsData(pass),
      keepsLayersInFloat: passKeepsLayersInFloat(pass),
      retraining: retrainingOf(pass.name),
    })),
    goals: [...GOALS],
  };
}
