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
});
export type Recipe = z.infer<typeof Recipe>;

/** A pass as the UI shows it: what it does and its options as JSON Schema (for forms). */
export const PassInfo = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  optionsSchema: z.record(z.string(), z.unknown()),
});
export type PassInfo = z.infer<typeof PassInfo>;

/** A recipe as data: an ordered list of passes with options. */
export const RecipeInfo = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  builtin: z.boolean(),
  steps: z.array(z.object({ pass: z.string(), options: z.record(z.string(), z.unknown()) })),
});
export type RecipeInfo = z.infer<typeof RecipeInfo>;

/** Built-in recipes and every pass. */
export const RecipeCatalog = z.object({ recipes: z.array(RecipeInfo), passes: z.array(PassInfo) });
export type RecipeCatalog = z.infer<typeof RecipeCatalog>;
