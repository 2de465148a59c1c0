import type { DeviceProfile, GoalId, RecipeInfo } from '../../contract';
import { GOALS } from './goals';

// Which recipe serves a goal. For now a rule: the goal's plan (a preference list with and without
// example data, see goals.ts), and one honest sentence about the pick. A measured search over candidates can take its
// place behind the same `GoalPolicy` interface (it may run the model: the interface is async).

/** What a policy knows when it picks. */
export interface GoalRequest {
  goal: GoalId;
  /** The user gave example data (calibration and an accuracy check become possible). */
  hasData: boolean;
  /** The target device, when one was chosen. */
  device?: DeviceProfile;
  /** The model to optimize, when known. */
  model?: string;
}

/** The recipe picked for a goal and one plain sentence about why and how well it serves it. */
export interface GoalPick {
  recipe: RecipeInfo;
  note: string;
}

/** Picks a recipe for a goal among `recipes` (the catalog's); undefined when none fits. */
export interface GoalPolicy {
  choose(request: GoalRequest, recipes: readonly RecipeInfo[]): Promise<GoalPick | undefined>;
}

function explain(goal: GoalId, recipe: string, device: DeviceProfile | undefined): string {
  const on = device ? device.name : 'this device';
  if (recipe === 'int8-static' && goal === 'faster')
    return `8-bit arithmetic is usually the biggest speed-up on CPUs. ${
      device?.int8DotProduct
        ? `${on} has int8 dot-product instructions, which makes it fast.`
        : `${on} has no int8 dot-product instructions, so the gain there may be small.`
    } Your data calibrates the ranges and Lithe measures the accuracy on it. Check the speed with the A/B comparison on the result page.`;
  if (recipe === 'int8-static')
    return (
      'With your example data Lithe can store weights and activations in 8 bits, calibrated on your data: about 4× smaller, ' +
      'and the accuracy is measured on the same data.'
    );
  if (recipe === 'int8-dynamic')
    return (
      'Without example data, Lithe stores the weights in 8 bits (no calibration needed): about 4× smaller. The answers change ' +
      'slightly and Lithe reports by how much. With a data folder, the calibrated 8-bit recipe is usually faster too, and its ' +
      'accuracy is measured.'
    );
  if (recipe === 'graph' && goal === 'faster')
    return (
      'Without example data, the safe speed-up is to clean up the graph: fewer, merged steps with exactly the same answers. ' +
      '8-bit arithmetic, usually much faster, needs example data to calibrate: add a data folder in the previous step.'
    );
  if (recipe === 'graph' && goal === 'smaller')
    return (
      'No size-reducing recipe is available here, so Lithe cleans up the graph: it removes unneeded steps and can trim the file ' +
      'a little, with the same answers.'
    );
  if (recipe === 'graph')
    return 'Cleaning up the graph only makes exact rewrites, so the answers stay the same — and Lithe checks that by running both models.';
  return 'This is the best available recipe for this goal.';
}

/** The recipes that serve `goal`, best first, with or without example data. */
function goalPlan(goal: GoalId, hasData: boolean): readonly string[] {
  const plan = GOALS.find((entry) => entry.id === goal)?.plan;
  return (hasData ? plan?.withData : plan?.withoutData) ?? [];
}

/**
 * The rule: the first recipe of the goal's plan that the catalog has, else the catalog's first;
 * never one that needs example data when there is none.
 */
export const ruleBasedPolicy: GoalPolicy = {
  async choose(request, catalog) {
    const recipes = catalog.filter((recipe) => request.hasData || !recipe.needsData);
    const byName = new Map(recipes.map((recipe) => [recipe.name, recipe]));
    const plan = goalPlan(request.goal, request.hasData);
    const name = plan.find((candidate) => byName.has(candidate));
    const recipe = (name ? byName.get(name) : undefined) ?? recipes[0];
    return recipe ? { recipe, note: explain(request.goal, recipe.name, request.device) } : undefined;
  },
};
