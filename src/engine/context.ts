/** Progress of a running engine operation. `fraction` is in [0, 1] when known. */
export interface Progress {
  stage: string;
  fraction?: number;
  message?: string;
  /** Structured detail of the step just finished (e.g. one model of a batch). */
  detail?: Record<string, unknown>;
}

/** What every long-running engine function receives besides its arguments. */
export interface EngineContext {
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}
