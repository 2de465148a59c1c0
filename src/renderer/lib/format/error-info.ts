import { CommandError, type ErrorInfo } from '../../../contract';

/** Turns whatever a failed call threw into the error as the user sees it. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof CommandError) return { code: error.code, message: error.message, ...(error.file ? { file: error.file } : {}) };
  if (typeof error === 'object' && error !== null) {
    const { code, message, file } = error as { code?: unknown; message?: unknown; file?: unknown };
    if (typeof code === 'string' && typeof message === 'string') return { code, message, ...(typeof file === 'string' ? { file } : {}) };
    if (typeof message === 'string') return { code: 'internal', message };
  }
  return { code: 'internal', message: String(error) };
}

/** The engine prefixes messages with the file's path; the UI shows the path separately. */
export function messageWithoutFile(info: ErrorInfo): string {
  const prefix = info.file ? `${info.file}: ` : '';
  return prefix && info.message.startsWith(prefix) ? info.message.slice(prefix.length) : info.message;
}

const TITLES: Record<string, string> = {
  'not-found': 'Lithe can’t find this file',
  unreadable: 'Lithe can’t read this file',
  'invalid-argument': 'Lithe can’t open this',
  'not-allowed': 'Lithe may not open this from the browser',
  cancelled: 'Opening was cancelled',
  disconnected: 'Lost connection to Lithe',
};

/** A short headline for an error code. */
export function errorTitle(code: string): string {
  return TITLES[code] ?? 'Something went wrong';
}

const ADVICE: Record<string, string> = {
  'not-found': 'Check the spelling and that the file has not been moved or renamed. Letter case matters on Linux and macOS.',
  unreadable: 'Your user account may not be allowed to read it. Copy the file somewhere you own, or ask the computer’s administrator.',
  'invalid-argument': 'Give the path of one model file (ending in .onnx or .tflite), not a folder.',
  'not-allowed':
    'In the browser, Lithe uses only files in your home folder and the folder it was started in (hidden folders excluded), ' +
    'and saves only into its own runs folder. Copy the file there, or start Lithe with that folder allowed.',
  disconnected: 'Lithe stopped answering. Check that it is still running, then try again.',
};

/** What the user can do about an error, when there is something useful to say. */
export function errorAdvice(code: string): string | undefined {
  return ADVICE[code];
}
