import type { TaskRef } from './job-runner';
import { entryUrl } from '../entry-url';

const TASKS_MODULE = entryUrl(import.meta.url, '../tasks.ts').href;

/** A reference to the task exported as `exportName` from the engine's task module. */
export function engineTask(exportName: string): TaskRef {
  return { moduleUrl: TASKS_MODULE, exportName };
}
