import { CommandError, ErrorCode, type ErrorInfo } from '../contract/errors';

/** Machine-readable reason for an engine failure (the contract's codes; `disconnected` belongs to UIs). */
export type LitheErrorCode = Exclude<ErrorCode, 'disconnected'>;

export type { ErrorInfo };

/** The engine's code for a code that came over a thread or process boundary (`internal` when it is not one). */
export function engineErrorCode(code: string): LitheErrorCode {
  const parsed = ErrorCode.safeParse(code);
  return parsed.success && parsed.data !== 'disconnected' ? parsed.data : 'internal';
}

/**
 * An error the user can act on: it says what went wrong and, when a file is involved, which file.
 * Engine code throws this for every expected failure; anything else is a bug.
 */
export class LitheError extends Error {
  readonly code: LitheErrorCode;
  readonly file: string | undefined;
  /** The problem without the file name in front. */
  readonly reason: string;

  constructor(code: LitheErrorCode, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(options.file ? `${options.file}: ${message}` : message, { cause: options.cause });
    this.name = 'LitheError';
    this.code = code;
    this.file = options.file;
    this.reason = message;
  }
}

/**
 * Throws an `internal` LitheError for a broken invariant of Lithe's own code (say, an index that a
 * validator or the code just above already guarantees), never for a problem with the user's input.
 * Use as `list[i] ?? internalError('…')`.
 */
export function internalError(message: string): never {
  throw new LitheError('internal', message);
}

/** The problem an error describes, without a file name in front when it is a LitheError. */
export function reasonOf(error: unknown): string {
  if (error instanceof LitheError) return error.reason;
  return error instanceof Error ? error.message : String(error);
}

/** Turns anything thrown into an {@link ErrorInfo}; unknown errors become `internal`. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof CommandError) return error.info;
  if (error instanceof LitheError) {
    return error.file ? { code: error.code, message: error.message, file: error.file } : { code: error.code, message: error.message };
  }
  if (error instanceof Error && error.name === 'AbortError') return { code: 'cancelled', message: 'The job was cancelled.' };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message };
}

/** Turns anything thrown into the one failure class every host rejects with. */
export function toCommandError(error: unknown): CommandError {
  return error instanceof CommandError ? error : new CommandError(toErrorInfo(error));
}

/** Throws a `cancelled` LitheError when the signal has been aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new LitheError('cancelled', 'The job was cancelled.');
}
