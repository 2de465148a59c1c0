import { z } from 'zod';

/** Machine-readable reason for a failure: the engine's codes, and `disconnected` from a UI's own connection. */
export const ErrorCode = z.enum([
  'not-found',
  'unreadable',
  'not-a-model',
  'corrupt-model',
  'unsupported',
  'invalid-argument',
  /** The web host's access policy does not let a page use this path. */
  'not-allowed',
  /** The web host is already running as many requests for this page as it takes. */
  'busy',
  'cancelled',
  'runtime-failed',
  'write-failed',
  'verification-failed',
  'internal',
  'disconnected',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** A failure as the user sees it: plain data, safe to send across threads, IPC and sockets. */
export const ErrorInfo = z.object({
  /** An {@link ErrorCode}; kept a string on the wire so an older window still reads a newer engine's reply. */
  code: z.string(),
  message: z.string(),
  file: z.string().optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

/**
 * A command (or the job or process running it) failed; `code` and `file` come from the engine. Every
 * host and the renderer reject with this one class.
 */
export class CommandError extends Error {
  readonly code: string;
  readonly file: string | undefined;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'CommandError';
    this.code = info.code;
    this.file = info.file;
  }

  /** The failure as plain data. */
  get info(): ErrorInfo {
    return this.file === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, file: this.file };
  }
}
