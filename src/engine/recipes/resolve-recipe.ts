import { readFile } from 'node:fs/promises';
import { LitheError } from '../errors';
import { passByName } from '../passes';
import { BUILTIN_RECIPES, builtinRecipe } from './builtin-recipes';
import { Recipe } from './recipe';

/** A recipe whose every step names a known pass with options that satisfy its schema. */
export interface CheckedRecipe extends Recipe {
  steps: Array<{ pass: string; options: Record<string, unknown> }>;
}

/** Checks a recipe against the passes' option schemas; throws a LitheError naming the bad step. */
export function checkRecipe(recipe: Recipe, source = `recipe "${recipe.name}"`): CheckedRecipe {
  const steps = recipe.steps.map((step, index) => {
    const pass = passByName(step.pass);
    if (!pass) throw new LitheError('invalid-argument', `${source}, step ${index + 1}: there is no pass called "${step.pass}".`);
    const parsed = pass.options.safeParse(step.options);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`).join('; ');
      throw new LitheError('invalid-argument', `${source}, step ${index + 1} (${step.pass}): ${detail}`);
    }
    return { pass: step.pass, options: parsed.data as Record<string, unknown> };
  });
  return { ...recipe, steps };
}

/** A built-in recipe by name, or a recipe JSON file by path; validated. */
export async function resolveRecipe(nameOrFile: string): Promise<CheckedRecipe> {
  const builtin = builtinRecipe(nameOrFile);
  if (builtin) return checkRecipe(builtin);
  if (!/[/\\]|\.json$/i.test(nameOrFile)) {
    const names = BUILTIN_RECIPES.map((recipe) => recipe.name).join(', ');
    throw new LitheError(
      'invalid-argument',
      `There is no built-in recipe called "${nameOrFile}" (built-in: ${names}); to use a recipe file, give its path.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(nameOrFile, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file.' : `Not valid JSON (${(error as Error).message}).`;
    throw new LitheError('invalid-argument', why, { file: nameOrFile });
  }
  const parsed = Recipe.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new LitheError('invalid-argument', `Not a valid recipe: ${detail}`, { file: nameOrFile });
  }
  return checkRecipe(parsed.data, nameOrFile);
}
