import { CommandError } from '../contract';

/** A mistake in the command line: exits with status 2 and the message. */
export function usageError(message: string, file?: string): CommandError {
  return new CommandError({ code: 'invalid-argument', message, ...(file ? { file } : {}) });
}

/** Prints an error for a person (one line, naming the file) and returns the exit code to use. */
export function reportFailure(error: unknown): number {
  if (error instanceof CommandError) {
    const named = error.file && !error.message.includes(error.file) ? `${error.file}: ${error.message}` : error.message;
    console.error(`lithe: ${named}`);
    return error.code === 'invalid-argument' ? 2 : 1;
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
