import type { Progress } from '../contract/schemas';

export type { Progress };

/** What every long-running engine function receives besides its arguments. */
export interface EngineContext {
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}
