import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LitheError } from '../errors';

// A search writes many files (one optimize run per candidate) whose reports name their final
// paths, so it works in its folder directly rather than in a temporary one: the folder must be new
// or empty, and a failed or cancelled search removes what it created. Nothing else is touched.

/** The search's output folder while it is filled. */
export interface SearchFolder {
  readonly dir: string;
  /** Removes the folder (it was new or empty when the search began). */
  discard(): Promise<void>;
}

/** Creates (or takes the empty) folder `target`; refuses a file or a folder with anything in it. */
export async function openSearchFolder(target: string): Promise<SearchFolder> {
  const dir = resolve(target);
  const info = await stat(dir).catch(() => undefined);
  if (info && !info.isDirectory())
    throw new LitheError('invalid-argument', 'The output path exists and is a file, not a folder.', { file: dir });
  if (info && (await readdir(dir)).length > 0)
    throw new LitheError(
      'invalid-argument',
      'The output folder already exists and is not empty; choose a new folder (Lithe never writes over earlier results).',
      { file: dir },
    );
  await mkdir(dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new LitheError('write-failed', `Cannot create the output folder (${error.code ?? error.message}).`, { file: dir, cause: error });
  });
  return { dir, discard: () => rm(dir, { recursive: true, force: true }) };
}
