import { realpathSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  isFileCommandName,
  parseFileCommandArgs,
  MAX_FOLDER_ENTRIES,
  type FileChoice,
  type FileCommandName,
  type FileEntry,
  type FileListArgs,
  type FileListing,
  type FilePlace,
  type FilePlaces,
} from '../contract';
import type { EngineContext } from '../engine/context';
import { LitheError, toCommandError } from '../engine/errors';
import type { EngineService } from '../engine/service';
import type { AccessPolicy } from './access-policy';

/** The folders the file browser names on its left, besides those the user chose. */
export interface FileBrowserFolders {
  home: string;
  /** The folder Lithe started in. */
  start: string;
  runs: string;
  workspace: string;
}

/** The web host's file RPCs (`files.places`, `files.list`, `files.choose`), within one access policy. */
export interface FileBrowser {
  places(): FilePlaces;
  list(args: FileListArgs): Promise<FileListing>;
  choose(path: string): Promise<FileChoice>;
}

const MODEL_EXTENSION = /\.(onnx|tflite|lithe)$/i;

/**
 * The file browser of the web host: it lists only folders the access policy lets the page read (links
 * resolved, so none leads outside), hidden entries only when asked, and a choice is granted to the page
 * through the policy.
 */
export function createFileBrowser(policy: AccessPolicy, folders: FileBrowserFolders): FileBrowser {
  const real = (path: string): string => {
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  };
  // The first name wins: Lithe started in the home folder is "Home".
  const known = new Map<string, Omit<FilePlace, 'path'>>();
  const name = (path: string, place: Omit<FilePlace, 'path'>): void => {
    if (!known.has(real(path))) known.set(real(path), place);
  };
  name(folders.home, { label: 'Home', kind: 'home' });
  name(folders.start, { label: `Started in: ${basename(folders.start) || folders.start}`, kind: 'start' });
  name(folders.runs, { label: 'Lithe runs', kind: 'lithe' });
  name(folders.workspace, { label: 'Lithe workspace (uploads)', kind: 'lithe' });

  return {
    places() {
      const places: FilePlace[] = [];
      for (const path of policy.places().read) {
        const named = known.get(path);
        places.push({ path, ...(named ?? { label: basename(path) || path, kind: 'chosen' }) });
      }
      const order = { home: 0, chosen: 1, start: 2, lithe: 3 } as const;
      places.sort((a, b) => order[a.kind] - order[b.kind]);
      return { home: folders.home, places };
    },

    async list({ path, showHidden }) {
      const folder = policy.check(path, 'read');
      const info = await stat(folder).catch(() => null);
      if (!info) throw new LitheError('not-found', 'This folder does not exist.', { file: folder });
      if (!info.isDirectory()) throw new LitheError('invalid-argument', 'This is a file, not a folder.', { file: folder });
      const names = await readdir(folder, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
        throw new LitheError('unreadable', `Lithe cannot read this folder (${error.code ?? error.message}).`, { file: folder });
      });
      const visible = names
        .filter((entry) => showHidden || !entry.name.startsWith('.'))
        .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' }));
      const entries: FileEntry[] = [];
      for (const dirent of visible.slice(0, MAX_FOLDER_ENTRIES)) {
        const entryPath = join(folder, dirent.name);
        // stat follows links: a link is shown as what it points to; a broken one is left out.
        const target = await stat(entryPath).catch(() => null);
        if (!target || !(target.isFile() || target.isDirectory())) continue;
        const kind = target.isDirectory() ? 'folder' : 'file';
        entries.push({
          name: dirent.name,
          path: entryPath,
          kind,
          ...(kind === 'file' ? { sizeBytes: target.size } : {}),
          model: kind === 'file' && MODEL_EXTENSION.test(dirent.name),
          allowed: policy.allows(entryPath, 'read'),
        });
      }
      entries.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'folder' ? -1 : 1));
      const above = dirname(folder);
      return {
        path: folder,
        parent: above !== folder && policy.allows(above, 'read') ? above : null,
        entries,
        leftOut: Math.max(0, visible.length - MAX_FOLDER_ENTRIES),
      };
    },

    async choose(path) {
      const chosen = policy.grant(path);
      const info = await stat(chosen).catch(() => null);
      if (!info || !(info.isFile() || info.isDirectory()))
        throw new LitheError('not-found', 'This file or folder does not exist.', { file: chosen });
      return { path: chosen, kind: info.isDirectory() ? 'folder' : 'file' };
    },
  };
}

/**
 * `service` with the file RPCs answered by `browser` first: their arguments are validated against the
 * contract's schemas here, at the boundary, and every other command goes on to the service.
 */
export function withFileRpcs(service: EngineService, browser: FileBrowser): EngineService {
  async function answer(command: FileCommandName, args: unknown): Promise<unknown> {
    try {
      switch (command) {
        case 'files.places':
          parseFileCommandArgs(command, args);
          return browser.places();
        case 'files.list':
          return await browser.list(parseFileCommandArgs(command, args));
        case 'files.choose':
          return await browser.choose(parseFileCommandArgs(command, args).path);
      }
    } catch (error) {
      throw toCommandError(error);
    }
  }
  function invoke(command: string, args: unknown, ctx?: EngineContext): Promise<unknown> {
    if (isFileCommandName(command)) return answer(command, args);
    return service.invoke(command, args, ctx);
  }
  // The typed overload of `invoke` is the same function: it only narrows what callers pass.
  return { invoke: invoke as EngineService['invoke'], close: () => service.close() };
}
