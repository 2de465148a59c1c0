import { z } from 'zod';
import type { RecipeCatalog } from '../../contract';
import { PASSES } from '../passes';
import { BUILTIN_RECIPES } from './builtin-recipes';
import { checkRecipe } from './resolve-recipe';

/** Built-in recipes (with defaults filled in) and every pass with its options as JSON Schema. */
export function recipeCatalog(): RecipeCatalog {
  return {
    recipes: BUILTIN_RECIPES.map((recipe) => ({ ...checkRecipe(recipe), builtin: true })),
    passes: PASSES.map((pass) => ({
      name: pass.name,
      title: pass.title,
      description: pass.description,
      optionsSchema: z.toJSONSchema(pass.options, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    })),
  };
}
