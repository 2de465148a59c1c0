import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { EngineContext } from '../context';
import { LitheError } from '../errors';
import { ownedFolderName, removeAbandonedFolders } from './abandoned-folders';

/**
 * A run folder under construction: everything is written into a hidden temporary folder beside the
 * destination, which is renamed into place only when complete. A failed or cancelled run leaves
 * nothing behind, and an existing non-empty folder is never written into.
 */
export interface PendingRunFolder {
  /** Where files are written until {@link PendingRunFolder.commit}. */
  readonly dir: string;
  /** The final location. */
  readonly target: string;
  commit(): Promise<void>;
  discard(): Promise<void>;
}

/** Settings of {@link beginRunFolder}. */
export interface RunFolderOptions {
  /** Replace an earlier Lithe run at the target (a folder with a `report.json`) as a whole on commit. */
  replaceRun?: boolean;
  /** Told the hidden folder's path before it is created (a job's `ctx.claimTemporary`). */
  claimTemporary?: EngineContext['claimTemporary'];
}

/**
 * Prepares a run folder at `target`, which must not exist or be empty — unless `replaceRun` is set
 * and it holds an earlier Lithe run (a `report.json`), which is then replaced as a whole on commit.
 */
export async function beginRunFolder(target: string, options: RunFolderOptions = {}): Promise<PendingRunFolder> {
  const finalDir = resolve(target);
  const replacing = Boolean(options.replaceRun) && (await isEarlierRun(finalDir));
  if (!replacing && (await isNonEmptyDir(finalDir))) {
    throw new LitheError(
      'invalid-argument',
      'The output folder already exists and is not empty; choose a new folder (Lithe never writes over earlier results).',
      { file: finalDir },
    );
  }
  await mkdir(dirname(finalDir), { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new LitheError('write-failed', `Cannot create the output folder (${error.code ?? error.message}).`, {
      file: finalDir,
      cause: error,
    });
  });
  // What a killed run left beside this one goes first.
  await removeAbandonedFolders(dirname(finalDir));
  const dir = join(dirname(finalDir), ownedFolderName(basename(finalDir), 'partial'));
  // The host hears of it first: if this job is then killed, the host removes it once the job is gone.
  await options.claimTemporary?.(dir);
  await mkdir(dir);
  return {
    dir,
    target: finalDir,
    async commit() {
      if (replacing && (await isEarlierRun(finalDir))) {
        const old = join(dirname(finalDir), ownedFolderName(basename(finalDir), 'old'));
        await rename(finalDir, old);
        await rename(dir, finalDir);
        await rm(old, { recursive: true, force: true });
        return;
      }
      if (await isNonEmptyDir(finalDir))
        throw new LitheError('write-failed', 'The output folder was filled by something else while Lithe was working.', { file: finalDir });
      await rmdir(finalDir).catch(() => undefined);
      await rename(dir, finalDir);
    },
    discard: () => rm(dir, { recursive: true, force: true }),
  };
}

async function isEarlierRun(path: string): Promise<boolean> {
  try {
    return (await stat(join(path, 'report.json'))).isFile();
  } catch {
    return false;
  }
}

async function isNonEmptyDir(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (!info.isDirectory())
      throw new LitheError('invalid-argument', 'The output path exists and is a file, not a folder.', { file: path });
    return (await readdir(path)).length > 0;
  } catch (error) {
    if (error instanceof LitheError) throw error;
    return false;
  }
}
