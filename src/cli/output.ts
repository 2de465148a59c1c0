import { LitheError } from '../engine/errors';
import { JobError } from '../engine/jobs/job-runner';

/** Prints an error for a person (one line, naming the file) and returns the exit code to use. */
export function reportFailure(error: unknown): number {
  if (error instanceof LitheError) {
    console.error(`lithe: ${error.message}`);
    return error.code === 'invalid-argument' ? 2 : 1;
  }
  if (error instanceof JobError) {
    console.error(`lithe: ${error.info.message}`);
    return 1;
  }
  console.error(`lithe: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 70;
}

/** Prints `value` as pretty JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Formats a byte count for people: 1.2 MB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}
