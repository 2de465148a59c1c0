import { open } from 'node:fs/promises';
import { constants } from 'node:fs';
import type { z } from 'zod';
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
      const detail = describeIssues(parsed.error.issues, 'options');
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
  const parsed = Recipe.safeParse(await readRecipeJson(nameOrFile));
  if (!parsed.success) {
    throw new LitheError('invalid-argument', `Not a valid recipe: ${describeIssues(parsed.error.issues, 'recipe')}`, { file: nameOrFile });
  }
  return checkRecipe(parsed.data, nameOrFile);
}

const MAX_RECIPE_BYTES = 1024 * 1024;

/**
 * The JSON of a recipe file. Only a regular `.json` file of at most 1 MB is read, and no message
 * quotes its content: a path given by mistake (or on purpose) never shows what the file holds.
 */
async function readRecipeJson(file: string): Promise<unknown> {
  if (!/\.json$/i.test(file)) throw new LitheError('invalid-argument', 'A recipe file is a .json file.', { file });
  // O_NONBLOCK: opening a FIFO must not wait for a writer; the type check below then refuses it.
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: NodeJS.ErrnoException) => {
    const why = error.code === 'ENOENT' ? 'No such file.' : `Cannot read the file (${error.code ?? 'error'}).`;
    throw new LitheError(error.code === 'ENOENT' ? 'not-found' : 'unreadable', why, { file });
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new LitheError('invalid-argument', 'This is not a regular file.', { file });
    if (info.size > MAX_RECIPE_BYTES)
      throw new LitheError('invalid-argument', `The file is ${info.size} bytes: too large for a recipe.`, { file });
    const text = (await handle.readFile()).toString('utf8');
    try {
      return JSON.parse(text);
    } catch {
      throw new LitheError('invalid-argument', 'It is not a recipe: the file is not valid JSON.', { file });
    }
  } finally {
    await handle.close();
  }
}

/** Schema problems in plain words, naming fields of the schema only (never values or unknown keys from the file). */
function describeIssues(issues: readonly z.core.$ZodIssue[], whole: string): string {
  return issues
    .map((issue) => {
      const where = issue.path.map(String).join('.') || whole;
      return issue.code === 'unrecognized_keys' ? `${where}: unknown field` : `${where}: ${issue.message}`;
    })
    .join('; ');
}
