import type { TaskRef } from './job-runner';

// In sources the task module is src/engine/tasks.ts; in the built app it is bundled as tasks.js
// beside the main bundle (see electron.vite.config.ts).
const TASKS_MODULE = new URL(import.meta.url.endsWith('.ts') ? '../tasks.ts' : './tasks.js', import.meta.url).href;

/** A reference to the task exported as `exportName` from the engine's task module. */
export function engineTask(exportName: string): TaskRef {
  return { moduleUrl: TASKS_MODULE, exportName };
}
