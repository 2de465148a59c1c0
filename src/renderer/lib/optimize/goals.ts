import type { DeviceProfile, RecipeInfo } from '../../../contract';

/** What the user says matters most. */
export type GoalId = 'smaller' | 'faster' | 'accuracy';

/** A goal as the wizard explains it. */
export interface Goal {
  id: GoalId;
  title: string;
  explanation: string;
}

/** The goals, in the order the wizard shows them. */
export const GOALS: readonly Goal[] = [
  {
    id: 'smaller',
    title: 'Smaller file',
    explanation:
      'For devices with little storage or memory, or apps that download the model. Done by storing the learned numbers with fewer bits.',
  },
  {
    id: 'faster',
    title: 'Faster predictions',
    explanation:
      'For live camera or audio, or slow processors. Fewer steps per prediction, and cheaper 8-bit arithmetic where the chip is good at it.',
  },
  {
    id: 'accuracy',
    title: 'Keep the answers exactly the same',
    explanation: 'Only changes that cannot alter the results. The safe choice when accuracy matters more than size or speed.',
  },
];

/** Recipes that serve a goal, best first, with and without example data. */
const PLANS: Record<GoalId, { data: readonly string[]; noData: readonly string[] }> = {
  smaller: { data: ['int8-static', 'int8-dynamic', 'fp16', 'graph'], noData: ['int8-dynamic', 'fp16', 'graph'] },
  faster: { data: ['int8-static', 'graph'], noData: ['graph'] },
  accuracy: { data: ['graph'], noData: ['graph'] },
};

/** What the wizard knows when it picks a recipe. */
export interface ChoiceContext {
  hasData: boolean;
  device: DeviceProfile | undefined;
}

/** The recipe chosen for a goal, and an honest sentence about why and how well it serves it. */
export interface RecipeChoice {
  recipe: RecipeInfo;
  note: string;
}

function explain(goal: GoalId, recipe: string, context: ChoiceContext): string {
  const dot = context.device?.int8DotProduct;
  const on = context.device ? context.device.name : 'this device';
  if (recipe === 'int8-static' && goal === 'faster')
    return [
      '8-bit arithmetic is usually the biggest speed-up on CPUs.',
      dot
        ? `${on} has int8 dot-product instructions, which makes it fast.`
        : `${on} has no int8 dot-product instructions, so the gain there may be small.`,
      'Your data calibrates the ranges and Lithe measures the accuracy on it. Check the speed with the A/B comparison on the result page.',
    ].join(' ');
  if (recipe === 'int8-static')
    return 'With your example data Lithe can store weights and activations in 8 bits, calibrated on your data: about 4× smaller, and the accuracy is measured on the same data.';
  if (recipe === 'int8-dynamic')
    return (
      'Without example data, Lithe stores the weights in 8 bits (no calibration needed): about 4× smaller. The answers ' +
      'change slightly and Lithe reports by how much. With a data folder, the calibrated 8-bit recipe is usually faster too, and ' +
      'its accuracy is measured.'
    );
  if (recipe === 'graph' && goal === 'faster')
    return (
      'Without example data, the safe speed-up is to clean up the graph: fewer, merged steps with exactly the same answers. ' +
      '8-bit arithmetic, usually much faster, needs example data to calibrate: add a data folder in the previous step.'
    );
  if (recipe === 'graph' && goal === 'smaller')
    return 'No size-reducing recipe is available here, so Lithe cleans up the graph: it removes unneeded steps and can trim the file a little, with the same answers.';
  if (recipe === 'graph')
    return 'Cleaning up the graph only makes exact rewrites, so the answers stay the same — and Lithe checks that by running both models.';
  return 'This is the best available recipe for this goal.';
}

/** The recipes that serve a goal, best first, with or without example data. */
export function recipePlan(goal: GoalId, hasData: boolean): readonly string[] {
  return hasData ? PLANS[goal].data : PLANS[goal].noData;
}

/** Picks the best available recipe for a goal (or the user's own pick); undefined when the catalog is empty. */
export function chooseRecipe(
  goal: GoalId,
  recipes: readonly RecipeInfo[],
  context: ChoiceContext,
  override = '',
): RecipeChoice | undefined {
  const byName = new Map(recipes.map((recipe) => [recipe.name, recipe]));
  const picked = byName.get(override);
  if (picked) return { recipe: picked, note: `Your choice instead of Lithe’s suggestion. ${picked.description ?? ''}`.trim() };
  const plan = recipePlan(goal, context.hasData);
  const name = plan.find((candidate) => byName.has(candidate));
  const recipe = (name ? byName.get(name) : undefined) ?? recipes[0];
  return recipe ? { recipe, note: explain(goal, recipe.name, context) } : undefined;
}

/** Recipes that cannot run without example data. */
export const NEEDS_DATA: ReadonlySet<string> = new Set(['int8-static', 'mixed']);
