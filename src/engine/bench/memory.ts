/** Resident memory of this process now, bytes. */
export function currentRss(): number {
  return process.memoryUsage.rss();
}

/**
 * Peak resident memory of this process since it started, bytes. Per process, not per thread:
 * this is why each configuration is measured in a process of its own (see run-in-child.ts).
 */
export function peakRss(): number {
  // maxRSS is in kilobytes on Linux and macOS (Node normalises it).
  return process.resourceUsage().maxRSS * 1024;
}
