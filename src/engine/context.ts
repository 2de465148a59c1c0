/** Progress of a running engine operation. `fraction` is in [0, 1] when known. */
export interface Progress {
  stage: string;
  fraction?: number;
  message?: string;
}

/** What every long-running engine function receives besides its arguments. */
export interface EngineContext {
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}
