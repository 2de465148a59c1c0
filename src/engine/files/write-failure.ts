import { LitheError } from '../errors';

// A failed write in words, naming the file or folder, for the errors a full or locked disk gives.

const DISK_WORDS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the disk is read-only',
  EFBIG: 'the file is larger than this disk allows',
};

const ACCESS_WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EIO: 'the disk reported an input/output error',
  EISDIR: 'a folder of that name is in the way',
  ENOTDIR: 'part of the path is a file, not a folder',
  ENOENT: 'its folder does not exist',
};

const codeOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/** Why a write failed, in words with the system's code ("the disk is full (ENOSPC)"). */
export function writeProblem(error: unknown): string {
  const code = codeOf(error);
  const words = code ? (DISK_WORDS[code] ?? ACCESS_WORDS[code]) : undefined;
  if (words) return `${words} (${code})`;
  return code ?? (error instanceof Error ? error.message : String(error));
}

/**
 * `error` as a `write-failed` LitheError naming `file` when it says the disk is full, over quota or
 * read-only (those come only from writing); any other error is returned as it is.
 */
export function diskFailure(error: unknown, file: string, what: string): unknown {
  const code = codeOf(error);
  if (error instanceof LitheError || !code || !DISK_WORDS[code]) return error;
  return new LitheError('write-failed', `${what} could not be written: ${writeProblem(error)}`, { file, cause: error });
}
