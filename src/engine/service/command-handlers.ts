import { cpus } from 'node:os';
import { basename, join } from 'node:path';
import type { AppInfo, CommandName, CommandResult, DeviceProfile, ParsedArgs, Recipe } from '../../contract';
import type { EngineContext } from '../context';
import { LitheError } from '../errors';
import { stemOf } from '../files/file-stem';
import type { JobRunner } from '../jobs/job-runner';
import { engineTask, type EngineTaskName, type TaskArgs, type TaskResult } from '../jobs/task-ref';
import { newRunName } from '../runs/runs-folder';
import type { EngineTasks } from '../tasks';
import { listRuntimes } from './runtimes';
import { LITHE_VERSION } from './version';

/** One handler per contract command: validated arguments in, the command's result out. */
export type CommandHandlers = { [C in CommandName]: (args: ParsedArgs<C>, ctx: EngineContext) => Promise<CommandResult<C>> };

/** What the handlers work with: the host kind, the shared job runner and the user's folders. */
export interface HandlerEnvironment {
  host: AppInfo['host'];
  runner: JobRunner;
  devicesFolder: string;
  runsFolder: string;
}

/**
 * The engine's command handlers; heavy work runs as jobs on the one shared runner. A handler loads
 * the modules it needs when it first runs, so a host starts fast and pays only for what it uses.
 */
export function commandHandlers(env: HandlerEnvironment): CommandHandlers {
  const { runner, devicesFolder, runsFolder } = env;
  const runTask = <Name extends EngineTaskName>(
    name: Name,
    args: TaskArgs<EngineTasks[Name]>,
    ctx: EngineContext,
  ): Promise<TaskResult<EngineTasks[Name]>> => runner.run(engineTask(name), args, ctx);

  return {
    'app.info': async () => ({
      version: LITHE_VERSION,
      host: env.host,
      node: process.versions.node,
      platform: process.platform,
      arch: process.arch,
      cpus: cpus().length,
      runtimes: listRuntimes(),
    }),
    'file.identify': (args, ctx) => runTask('identify', args, ctx),
    // Each configuration is one job (run one after the other), measured in its own process.
    'bench.run': async (args, ctx) =>
      (await import('../bench/bench-run')).benchRun(args, (job, jobCtx) => runTask('benchConfig', job, jobCtx), ctx),
    'bench.compare': (args, ctx) => runTask('benchCompare', args, ctx),
    'devices.list': async () => (await import('../devices/list-devices')).listDevices(devicesFolder),
    'devices.estimate': (args, ctx) => runTask('devicesEstimate', { ...args, userFolder: devicesFolder }, ctx),
    'devices.save': async (args) => (await import('../devices/user-profiles')).saveUserProfile(devicesFolder, args.profile),
    'model.inspect': (args, ctx) => runTask('inspect', args, ctx),
    'model.convert': (args, ctx) => runTask('convert', args, ctx),
    'model.pack': (args, ctx) => runTask('pack', args, ctx),
    'model.unpack': (args, ctx) => runTask('unpack', args, ctx),
    'recipes.list': async () => (await import('../recipes/catalog')).recipeCatalog(),
    'recipes.choose': async (args) => {
      const [{ recipeCatalog }, { chooseRecipe }] = await Promise.all([import('../recipes/catalog'), import('../recipes/choose-recipe')]);
      return chooseRecipe(args, recipeCatalog(), args.deviceId ? await deviceProfile(devicesFolder, args.deviceId) : undefined);
    },
    'optimize.run': async (args, ctx) => {
      const recipe = args.keepInFloat?.length ? await keepInFloat(args.recipe, args.keepInFloat) : args.recipe;
      const recipeName = typeof recipe === 'string' ? recipe.replace(/^.*[/\\]/, '').replace(/\.json$/i, '') : recipe.name;
      if (args.outDir) return runTask('optimize', { ...args, recipe, outDir: args.outDir }, ctx);
      // A run in the runs folder records what was asked, and why it stopped when it did: the runs list shows both.
      const outDir = join(runsFolder, newRunName(stemOf(args.model), recipeName));
      const records = await import('../runs/run-records');
      try {
        const report = await runTask('optimize', { ...args, recipe, outDir }, ctx);
        await records.recordRequest(outDir, args).catch(() => undefined);
        return report;
      } catch (error) {
        await records.recordFailure(outDir, args, error, ctx.signal?.aborted === true).catch(() => undefined);
        throw error;
      }
    },
    // Every model is a job on the shared runner, so its concurrency limit holds for batches too.
    'batch.run': async (args, ctx) => {
      const outDir = args.outDir ?? join(runsFolder, newRunName('batch', basename(args.inputDir)));
      const { optimizeFolder } = await import('../batch/optimize-folder');
      return optimizeFolder({ ...args, outDir }, (request, jobCtx) => runTask('optimize', request, jobCtx), ctx);
    },
    'batch.merge': async (args) => (await import('../batch/merge-summaries')).mergeSummaries(args.outDir),
    'eval.run': (args, ctx) => runTask('evaluate', args, ctx),
    'data.check': (args, ctx) => runTask('checkData', args, ctx),
    'train.run': (args, ctx) => {
      const outDir = args.outDir ?? join(runsFolder, newRunName(stemOf(args.model), 'train'));
      return runTask('train', { ...args, outDir }, ctx);
    },
    'distill.run': (args, ctx) => {
      const outDir = args.outDir ?? join(runsFolder, newRunName(stemOf(args.teacher), 'distill'));
      return runTask('distill', { ...args, outDir }, ctx);
    },
    'train.recover': (args, ctx) => {
      const outDir = args.outDir ?? join(runsFolder, newRunName(basename(args.run), 'retrained'));
      return runTask('recover', { ...args, outDir }, ctx);
    },
    'search.run': (args, ctx) => {
      const outDir = args.outDir ?? join(runsFolder, newRunName(stemOf(args.model), `search-${args.goal}`));
      return runTask('search', { ...args, outDir, userFolder: devicesFolder }, ctx);
    },
    'runs.list': async () => (await import('../runs/list-runs')).listRuns(runsFolder),
    'runs.delete': async (args) => (await import('../runs/delete-run')).deleteRun(runsFolder, args.dir),
    'runs.recordSpeed': async (args) => (await import('../runs/record-speed')).recordSpeed(runsFolder, args.dir, args.result),
  };
}

/** The device profile called `id` (this machine, a built-in target or the user's); refuses an unknown id. */
async function deviceProfile(devicesFolder: string, id: string): Promise<DeviceProfile> {
  const { profiles } = (await import('../devices/list-devices')).listDevices(devicesFolder);
  const profile = profiles.find((entry) => entry.id === id);
  if (!profile) throw new LitheError('invalid-argument', `There is no device profile "${id}" (see \`lithe devices\`).`);
  return profile;
}

/** The recipe (a name, file or data) with `layers` kept in float; refuses one that cannot keep any. */
async function keepInFloat(recipe: ParsedArgs<'optimize.run'>['recipe'], layers: readonly string[]): Promise<Recipe> {
  const [{ resolveRecipe, checkRecipe }, { keepLayersInFloat }, { recipeKeepsLayersInFloat }] = await Promise.all([
    import('../recipes/resolve-recipe'),
    import('../recipes/keep-float'),
    import('../recipes/recipe-traits'),
  ]);
  const resolved = typeof recipe === 'string' ? await resolveRecipe(recipe) : checkRecipe(recipe);
  if (!recipeKeepsLayersInFloat(resolved))
    throw new LitheError('invalid-argument', `Recipe "${resolved.name}" has no step that can keep layers in float (it does not quantize).`);
  return keepLayersInFloat(resolved, layers);
}
