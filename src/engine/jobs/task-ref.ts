import type { EngineContext } from '../context';
import { entryUrl } from '../entry-url';
import type { EngineTasks } from '../tasks';

/** A function a job runs: plain data in, a result out (both cross a thread boundary). */
export type Task<Args, Result> = (args: Args, ctx: EngineContext) => Promise<Result>;

/** The arguments of a task. */
export type TaskArgs<T> = T extends Task<infer Args, unknown> ? Args : never;
/** What a task resolves with. */
export type TaskResult<T> = T extends Task<never, infer Result> ? Result : never;

/**
 * Where a job finds its task: the module's exported `tasks` table and the key in it. The type
 * parameters carry the task's argument and result types from that table to the caller.
 */
export interface TaskRef<Args, Result> {
  moduleUrl: string;
  taskName: string;
  /** Never set: keeps `Args` and `Result` part of the type. */
  readonly types?: Task<Args, Result>;
}

/** A reference to `name` in the `tasks` table (typed `Table`) of the module at `moduleUrl`. */
export function taskRef<Table, Name extends keyof Table & string>(
  moduleUrl: string,
  name: Name,
): TaskRef<TaskArgs<Table[Name]>, TaskResult<Table[Name]>> {
  return { moduleUrl, taskName: name };
}

const TASKS_MODULE = entryUrl(import.meta.url, '../tasks.ts').href;

/** The name of a task of the engine's task table. */
export type EngineTaskName = keyof EngineTasks & string;

/** A reference to one of the engine's tasks (`src/engine/tasks.ts`), typed by its entry there. */
export function engineTask<Name extends EngineTaskName>(name: Name): TaskRef<TaskArgs<EngineTasks[Name]>, TaskResult<EngineTasks[Name]>> {
  return taskRef<EngineTasks, Name>(TASKS_MODULE, name);
}
