import type { Progress } from '../contract/schemas';

export type { Progress };

/** What every long-running engine function receives besides its arguments. */
export interface EngineContext {
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
  /**
   * Tells the host that runs this job that the job is about to create the hidden folder `path` (a
   * `.partial-` run folder, see abandoned-folders.ts); resolves once the host knows. A job stopped by
   * force then leaves none behind: its host removes the folder once the job is gone. Absent when the
   * work runs in the caller itself.
   */
  claimTemporary?: (path: string) => Promise<void>;
}
