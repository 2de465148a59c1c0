import type { CommandName, ParsedArgs } from '../contract';
import { builtinRecipe } from '../engine/recipes/builtin-recipes';
import { readOptimizeRun } from '../engine/runs/read-optimize-run';
import type { AccessKind } from './access-policy';

/** A path a command's arguments name, and what the command does with it. */
export interface PathUse {
  path: string;
  kind: AccessKind;
}

/**
 * Every path each contract command reads or writes, from its validated arguments. The web host
 * checks each against its access policy before the command runs. A command added to the contract
 * fails to compile here until it says which of its arguments are paths: the web host never runs a
 * command whose file access it does not know.
 */
export const COMMAND_PATHS: { [C in CommandName]: (args: ParsedArgs<C>) => PathUse[] } = {
  'app.info': () => [],
  'file.identify': (args) => [read(args.path)],
  'bench.run': (args) => [...args.models.map(read), ...optional(args.inputs.dataFolder, 'read')],
  'bench.compare': (args) => [read(args.a.model), read(args.b.model), ...optional(args.inputs.dataFolder, 'read')],
  'devices.list': () => [],
  'devices.estimate': (args) => [read(args.model)],
  'devices.save': () => [],
  'model.inspect': (args) => [read(args.path)],
  'model.convert': (args) => [read(args.input), write(args.output)],
  'model.pack': (args) => [read(args.input), write(args.output)],
  'model.unpack': (args) => [read(args.input), write(args.output)],
  'data.check': (args) => [read(args.model), read(args.data), ...optional(args.labels, 'read')],
  'recipes.list': () => [],
  'recipes.choose': (args) => optional(args.model, 'read'),
  'optimize.run': (args) => [
    read(args.model),
    ...recipeFile(args.recipe),
    ...optional(args.data, 'read'),
    ...optional(args.labels, 'read'),
    ...optional(args.outDir, 'write'),
  ],
  'batch.run': (args) => [read(args.inputDir), ...recipeFile(args.recipe), ...optional(args.outDir, 'write')],
  'batch.merge': (args) => [write(args.outDir)],
  'eval.run': (args) => [
    read(args.model),
    ...optional(args.data, 'read'),
    ...optional(args.labels, 'read'),
    ...optional(args.reference, 'read'),
  ],
  'train.run': (args) => [read(args.model), ...trainingFiles(args)],
  'distill.run': (args) => [read(args.teacher), ...optional(args.student, 'read'), ...trainingFiles(args)],
  'train.recover': (args) => [read(args.run), ...trainingFiles(args)],
  'search.run': (args) => [
    read(args.model),
    ...optional(args.data, 'read'),
    ...optional(args.labels, 'read'),
    ...optional(args.outDir, 'write'),
  ],
  'runs.list': () => [],
  'runs.delete': (args) => [write(args.dir)],
  'runs.recordSpeed': (args) => [write(args.dir)],
};

/**
 * Paths a command reads that its arguments name only through a file they name (a run's report
 * names its models). The web host checks these after {@link COMMAND_PATHS}, so the file that
 * names them has passed the policy before it is read.
 */
export const INDIRECT_PATHS: { [C in CommandName]?: (args: ParsedArgs<C>) => Promise<PathUse[]> } = {
  // Retraining reads the run's original model and its result, wherever its report.json says they are.
  'train.recover': async (args) => {
    const report = await readOptimizeRun(args.run);
    return [read(report.input.path), read(report.output.path)];
  },
};

function read(path: string): PathUse {
  return { path, kind: 'read' };
}

function write(path: string): PathUse {
  return { path, kind: 'write' };
}

function optional(path: string | undefined, kind: AccessKind): PathUse[] {
  return path === undefined ? [] : [{ path, kind }];
}

/** The data files of a training command and its run folder. */
function trainingFiles(args: { data: string; labels?: string; valData?: string; valLabels?: string; outDir?: string }): PathUse[] {
  return [
    read(args.data),
    ...optional(args.labels, 'read'),
    ...optional(args.valData, 'read'),
    ...optional(args.valLabels, 'read'),
    ...optional(args.outDir, 'write'),
  ];
}

/** A recipe named by a string that is not a built-in one is a file the engine will read. */
function recipeFile(recipe: string | object): PathUse[] {
  return typeof recipe === 'string' && !builtinRecipe(recipe) ? [{ path: recipe, kind: 'recipe' }] : [];
}
