import type { DeviceProfile, RecipeCatalog, RecipeChoice, RecipeChoiceArgs } from '../../contract';
import { LitheError } from '../errors';
import { ruleBasedPolicy, type GoalPolicy } from './goal-policy';

/**
 * The recipe for `args.goal` from `catalog`, and why: the user's own pick when `args.recipe` names
 * one, else the policy's suggestion. `device` is the profile `args.deviceId` names, if any.
 */
export async function chooseRecipe(
  args: RecipeChoiceArgs,
  catalog: RecipeCatalog,
  device: DeviceProfile | undefined,
  policy: GoalPolicy = ruleBasedPolicy,
): Promise<RecipeChoice> {
  if (args.recipe !== undefined) {
    const picked = catalog.recipes.find((recipe) => recipe.name === args.recipe);
    if (!picked) {
      const names = catalog.recipes.map((recipe) => recipe.name).join(', ');
      throw new LitheError('invalid-argument', `There is no built-in recipe called "${args.recipe}" (built-in: ${names}).`);
    }
    const note = `Your choice instead of Lithe’s suggestion. ${picked.description ?? ''}`.trim();
    return { goal: args.goal, recipe: picked, note, suggested: false };
  }
  const pick = await policy.choose(
    { goal: args.goal, hasData: args.hasData, ...(device ? { device } : {}), ...(args.model ? { model: args.model } : {}) },
    catalog.recipes,
  );
  if (!pick) throw new LitheError('unsupported', `No recipe serves the goal "${args.goal}" here.`);
  return { goal: args.goal, recipe: pick.recipe, note: pick.note, suggested: true };
}
