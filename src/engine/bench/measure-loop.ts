/** When to stop a loop: after a count of runs, or after a time (whichever is given; time wins). */
export interface LoopLimit {
  runs: number;
  seconds?: number;
}

/** What a measured loop produced. */
export interface LoopResult {
  samplesMs: Float64Array;
  /** Wall time of the whole loop, ms. */
  totalMs: number;
}

/**
 * Runs `step` until the limit and records each call's latency with `performance.now()`. The loop
 * does nothing else per iteration besides a cheap progress check, so its overhead against a bare
 * loop stays small (see `npm run bench:harness`).
 */
export async function measureLoop(
  step: () => Promise<unknown>,
  limit: LoopLimit,
  onTick?: (done: number, elapsedMs: number) => void,
  signal?: AbortSignal,
): Promise<LoopResult> {
  const byTime = limit.seconds !== undefined;
  const budgetMs = (limit.seconds ?? 0) * 1000;
  let samples = new Float64Array(byTime ? 1024 : limit.runs);
  let count = 0;
  let nextTick = 0;
  const started = performance.now();
  let now = started;
  for (;;) {
    if (byTime ? now - started >= budgetMs : count >= limit.runs) break;
    const before = now;
    await step();
    now = performance.now();
    if (count === samples.length) {
      const grown = new Float64Array(samples.length * 2);
      grown.set(samples);
      samples = grown;
    }
    samples[count++] = now - before;
    if (now >= nextTick) {
      nextTick = now + 100;
      if (signal?.aborted) break;
      onTick?.(count, now - started);
      now = performance.now(); // keep the progress report out of the next sample
    }
  }
  return { samplesMs: samples.slice(0, count), totalMs: now - started };
}
