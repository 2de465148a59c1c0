import type { Recipe } from './recipe';
import { compressionRecipes } from './compression-recipes';
import { quantizationRecipes } from './quantization-recipes';

/** The graph clean-up every recipe starts with: exact rewrites that never change results. */
const GRAPH_STEPS: Recipe['steps'] = [
  // Only models older than opset 7, which onnxruntime refuses to load, are changed by this step.
  { pass: 'upgrade-opset', options: { target: 7 } },
  // Only TFLite models whose quantization full TFLite refuses are changed by this step.
  { pass: 'fix-tflite-quantization', options: {} },
  { pass: 'remove-identity', options: {} },
  { pass: 'fold-constants', options: {} },
  { pass: 'fold-batchnorm', options: {} },
  { pass: 'fuse-matmul-add', options: {} },
  { pass: 'fuse-activation', options: {} },
  { pass: 'eliminate-dead-code', options: {} },
];

const QUANTIZATION_RECIPES = quantizationRecipes(GRAPH_STEPS);

/** Recipes that ship with Lithe, named for what a user wants. */
export const BUILTIN_RECIPES: readonly Recipe[] = [
  {
    name: 'graph',
    title: 'Clean up the graph',
    description:
      'Exact rewrites only: removes operations that do nothing, precomputes what never changes, and merges layers that can be ' +
      'computed as one. Results stay the same; the model gets simpler and usually a little faster.',
    steps: GRAPH_STEPS,
  },
  ...QUANTIZATION_RECIPES,
  ...compressionRecipes(GRAPH_STEPS),
  {
    name: 'distill',
    title: 'Half as wide, trained to match the original',
    description:
      'A narrower model keeping half of every layer’s channels (the original’s most important filters), trained on your data (--data, labels optional) to give the ' +
      'original’s answers. About 4× fewer weights in most layers; check the accuracy the report measures. Takes longer (it trains).',
    steps: [...GRAPH_STEPS, { pass: 'distill-width', options: {} }],
  },
];

/** The built-in recipe called `name`, if there is one. */
export function builtinRecipe(name: string): Recipe | undefined {
  return BUILTIN_RECIPES.find((recipe) => recipe.name === name);
}
