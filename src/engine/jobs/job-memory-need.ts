import { Recipe } from '../recipes/recipe';
import { calibrationRunBytes } from '../quantize/run-budget';
import { activationBytesOf, type ActivationBytes } from './activation-memory';
import { jobFile, jobMemoryLimitBytes, MEMORY_LIMIT_ENV, memoryCapBytes, memoryLimitFromEnv } from './memory-limit';

// The memory limit a job sets for itself once it runs, in its own process, knowing its model: the
// starting limit (`memory-limit.ts`, from the file size) plus the activations of the runs it makes.
// An ordinary run holds a few tensors at a time, and an optimize job holds several runs at once
// (original and candidate, in each runtime, with copies). A recipe step that learns from data
// calibrates: it runs the model with every intermediate exposed as an output, so all of one
// sample's activations are alive at once, in the runtime and in their copy out of it, and runs take as many samples as
// fit the calibration budget (`quantize/run-budget.ts`). Mixed precision then scores candidates in runs sized to a
// smaller budget, which this covers too. A job whose ordinary runs alone would need more than the
// most a job may use is refused before it runs anything (one hostile Range of 2^30 floats took a
// job to its limit before the watchdog stopped it).

/** Runs whose activations an optimize job may hold at once (original and candidate, in each runtime, with copies). */
const ACTIVATION_COPIES = 6;
/** Copies of one calibration run's exposed values alive at once: the runtime's, the copy out of it, and the rest of the job (about 4.4 measured, `mixed-memory.test.ts`). */
const CALIBRATION_COPIES = 5;

/** The memory limit of a job with `args` that knows its model, in bytes (half the machine at most; LITHE_MEMORY_LIMIT_MB wins). */
export async function jobMemoryNeedBytes(args: unknown, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return (await jobMemoryNeed(args, env)).limitBytes;
}

/** What a job that knows its model may use, or why it must not start. */
export interface JobMemoryNeed {
  /** Its memory limit, in bytes. */
  limitBytes: number;
  /**
   * Set when its ordinary runs alone would take it past the most a job may use (half the machine):
   * the job then fails with this message before it runs anything, instead of growing to the limit
   * and being stopped there. Not set under LITHE_MEMORY_LIMIT_MB (the user's limit is enforced as it is).
   */
  refusal?: string;
}

/** {@link jobMemoryNeedBytes}, and whether the job must be refused before it runs anything (see {@link JobMemoryNeed}). */
export async function jobMemoryNeed(args: unknown, env: NodeJS.ProcessEnv = process.env): Promise<JobMemoryNeed> {
  const fromEnv = memoryLimitFromEnv(env);
  if (fromEnv !== undefined) return { limitBytes: fromEnv };
  const starting = jobMemoryLimitBytes(args, env);
  const file = jobFile(args);
  const activations = file ? activationBytesOf(file) : undefined;
  if (!activations) return { limitBytes: starting };
  const cap = memoryCapBytes();
  const runs = starting + ACTIVATION_COPIES * activations.oneRun;
  const calibration = (await calibrates(args)) ? CALIBRATION_COPIES * calibrationRunBytes(activations.everyValue) : 0;
  const limitBytes = Math.min(starting + Math.max(ACTIVATION_COPIES * activations.oneRun, calibration), cap);
  return runs > cap ? { limitBytes, refusal: tooLarge(runs, cap, activations) } : { limitBytes };
}

function tooLarge(needBytes: number, capBytes: number, activations: ActivationBytes): string {
  const gb = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  const largest = activations.largest;
  const where = largest ? `; the largest, "${largest.name}" of a ${largest.opType}, takes ${gb(largest.bytes)}` : '';
  return (
    `this needs about ${gb(needBytes)} of memory, more than the ${gb(capBytes)} one job may use, so it was not run ` +
    `(one run holds ${gb(activations.oneRun)} of tensors at the representative input sizes${where}; ` +
    `${MEMORY_LIMIT_ENV} sets another limit in MB)`
  );
}

/** Whether the job's recipe (a built-in name, a recipe file or a recipe as data) has a step that learns from data. */
async function calibrates(args: unknown): Promise<boolean> {
  const recipe = typeof args === 'object' && args !== null ? (args as Record<string, unknown>)['recipe'] : undefined;
  const steps = typeof recipe === 'string' ? await namedRecipeSteps(recipe) : Recipe.safeParse(recipe).data?.steps;
  if (!steps?.length) return false;
  const { recipeNeedsData } = await import('../recipes/recipe-traits');
  return recipeNeedsData({ steps });
}

/** The steps of a built-in recipe or recipe file, as the job itself will resolve them; undefined when it cannot. */
async function namedRecipeSteps(nameOrFile: string): Promise<Recipe['steps'] | undefined> {
  try {
    const { resolveRecipe } = await import('../recipes/resolve-recipe');
    return (await resolveRecipe(nameOrFile)).steps;
  } catch {
    return undefined; // not a recipe: the job fails on it with its own message
  }
}
