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
