import type { CommandArgs, CommandName, CommandResult, InvokeOptions, Progress } from '../../../contract';
import type { RendererApi } from '../bridge/renderer-api';

/** A run this window started that has not ended yet. */
export interface ActiveRun {
  id: number;
  /** What it does, in words: "Optimizing detector.onnx". */
  title: string;
  progress: Progress | null;
}

type RunCommand = 'optimize.run' | 'batch.run' | 'search.run' | 'train.run' | 'distill.run' | 'train.recover';

/** Commands that make a run folder (the Runs page lists what they leave), and how to say what each is doing. */
const RUN_TITLES: { [C in RunCommand]: (args: CommandArgs<C>) => string } = {
  'optimize.run': (args) => `Optimizing ${baseName(args.model)}`,
  'batch.run': (args) => `Optimizing the models in ${baseName(args.inputDir)}`,
  'search.run': (args) => `Trying candidates for ${baseName(args.model)}`,
  'train.run': (args) => `Training ${baseName(args.model)}`,
  'distill.run': (args) => `Training a student of ${baseName(args.teacher)}`,
  'train.recover': (args) => `Retraining the result of ${baseName(args.run)}`,
};

function isRunCommand(command: CommandName): command is RunCommand {
  return Object.hasOwn(RUN_TITLES, command);
}

function baseName(path: string): string {
  return (
    path
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .at(-1) ?? path
  );
}

/** The runs this window has going, whichever page started them: the Runs page shows them and refreshes while any is. */
export class ActiveRuns {
  runs: ActiveRun[] = $state([]);
  /** Bumped each time a run ends, so a page can look once more. */
  finished = $state(0);
  #next = 1;

  /** `api` with every run-making call listed while it is in flight. */
  track(api: RendererApi): RendererApi {
    const invoke = async <C extends CommandName>(
      command: C,
      args: CommandArgs<C>,
      options: InvokeOptions = {},
    ): Promise<CommandResult<C>> => {
      if (!isRunCommand(command)) return api.invoke(command, args, options);
      const id = this.#next++;
      const title = (RUN_TITLES[command] as (args: CommandArgs<C>) => string)(args);
      this.runs = [...this.runs, { id, title, progress: null }];
      const onProgress = (progress: Progress): void => {
        this.runs = this.runs.map((run) => (run.id === id ? { ...run, progress } : run));
        options.onProgress?.(progress);
      };
      try {
        return await api.invoke(command, args, { ...options, onProgress });
      } finally {
        this.runs = this.runs.filter((run) => run.id !== id);
        this.finished += 1;
      }
    };
    return { ...api, invoke };
  }
}
