import { z } from 'zod';

/** One step of a recipe: a pass by name and its options. */
export const RecipeStep = z.object({
  pass: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
});
export type RecipeStep = z.infer<typeof RecipeStep>;

/** A recipe: an ordered list of passes with options, named for what a user wants. */
export const Recipe = z.object({
  name: z.string().min(1).max(64),
  title: z.string().optional(),
  description: z.string().optional(),
  steps: z.array(RecipeStep),
  /** Also write the result as a `.lithe` package (entropy-coded weights) in the run folder. */
  package: z.boolean().optional(),
});
export type Recipe = z.infer<typeof Recipe>;

/** A pass as the UI shows it: what it does and its options as JSON Schema (for forms). */
export const PassInfo = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  optionsSchema: z.record(z.string(), z.unknown()),
  /** It learns from example data (calibration); without data it falls back to random samples and says so. */
  needsData: z.boolean(),
  /** Its `exclude` option names layers it keeps in float. */
  keepsLayersInFloat: z.boolean(),
  /**
   * How `train.recover` retrains a result whose recipe holds this step: `trained-form`, the step is
   * made again with training (quantization-aware); `fine-tune`, the result is fine-tuned towards the
   * original; `none`, the step has no trained form and such a result cannot be retrained.
   */
  retraining: z.enum(['trained-form', 'fine-tune', 'none']),
});
export type PassInfo = z.infer<typeof PassInfo>;

/** A recipe as data: an ordered list of passes with options. */
export const RecipeInfo = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  builtin: z.boolean(),
  steps: z.array(z.object({ pass: z.string(), options: z.record(z.string(), z.unknown()) })),
  package: z.boolean().optional(),
  /** A step learns from example data: run it with data (the wizard asks for it). */
  needsData: z.boolean(),
  /** A step can keep chosen layers in float (see `keepInFloat` of `optimize.run`). */
  keepsLayersInFloat: z.boolean(),
});
export type RecipeInfo = z.infer<typeof RecipeInfo>;

/** What a user says matters most for a model. */
export const GoalId = z.enum(['smaller', 'faster', 'accuracy']);
export type GoalId = z.infer<typeof GoalId>;

/** A goal as the wizard and `lithe optimize --goal` explain it. */
export const GoalInfo = z.object({
  id: GoalId,
  title: z.string(),
  explanation: z.string(),
  /**
   * The built-in recipes that serve this goal, best first, with and without example data: the
   * suggestion is the first one that can run, the later ones are what to try next when it falls short.
   */
  plan: z.object({ withData: z.array(z.string()), withoutData: z.array(z.string()) }),
});
export type GoalInfo = z.infer<typeof GoalInfo>;

/** Built-in recipes, every pass, and the goals a recipe can be chosen for (in the order to ask). */
export const RecipeCatalog = z.object({ recipes: z.array(RecipeInfo), passes: z.array(PassInfo), goals: z.array(GoalInfo) });
export type RecipeCatalog = z.infer<typeof RecipeCatalog>;

/** Arguments of `recipes.choose`: which recipe serves a goal for this model, data and device. */
export const RecipeChoiceArgs = z
  .object({
    goal: GoalId,
    /** The user has example data (calibration and an accuracy check become possible). */
    hasData: z.boolean().default(false),
    /** The target device profile, by id (see `devices.list`). */
    deviceId: z.string().min(1).max(64).optional(),
    /** The model to optimize, when known. */
    model: z.string().min(1).max(4096).optional(),
    /** A built-in recipe the user picked instead of the suggestion. */
    recipe: z.string().min(1).max(64).optional(),
  })
  .strict();
export type RecipeChoiceArgs = z.infer<typeof RecipeChoiceArgs>;

/** The recipe for a goal and one plain sentence about why and how well it serves it. */
export const RecipeChoice = z.object({
  goal: GoalId,
  recipe: RecipeInfo,
  note: z.string(),
  /** False when it is the user's own pick rather than Lithe's suggestion. */
  suggested: z.boolean(),
});
export type RecipeChoice = z.infer<typeof RecipeChoice>;
