import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { LitheError } from '../engine/errors';

/**
 * What a path is used for: `read` a file or folder (models, data, folders to list or batch), a
 * `recipe` file (read, and only `.json`), or `write` (a run folder, an output file, an upload).
 */
export type AccessKind = 'read' | 'recipe' | 'write';

/** The folders a web page may reach; see {@link createAccessPolicy}. */
export interface AccessPolicyOptions {
  /** Folders whose files the page may read (hidden files and folders inside them excluded): the user's home, … */
  readFolders: readonly string[];
  /** Folders the user chose for Lithe (`lithe serve --allow`): read and written, hidden entries excluded. */
  chosenFolders?: readonly string[];
  /** Lithe's own folders (runs folder, workspace): read and written, everything inside them. */
  litheFolders: readonly string[];
}

/** Where the page may go, as the file browser shows it. */
export interface AccessPlaces {
  read: string[];
  write: string[];
}

/**
 * The web host's rule for every path a page names. Hosts call {@link AccessPolicy.check} before a
 * path reaches the engine (see `command-access.ts`), and the file browser, uploads and downloads
 * use it for theirs.
 */
export interface AccessPolicy {
  /** The absolute path to use when `path` may be used as `kind`; else throws a `not-allowed` LitheError naming it. */
  check(path: string, kind: AccessKind): string;
  /** True when {@link AccessPolicy.check} would accept `path` for `kind`. */
  allows(path: string, kind: AccessKind): boolean;
  /**
   * Records that the user chose the folder (or file) `path` for Lithe, say in the file browser:
   * from now on it may be read and written, through this policy and the sessions made from it
   * after, like a `--allow` folder. Only places the page may already read can be chosen; returns
   * the absolute path or throws like `check`.
   */
  grant(path: string): string;
  /** The folders the page may read and those it may write into. */
  places(): AccessPlaces;
  /**
   * The policy of one page session (one WebSocket): this policy's folders and grants, plus the
   * session's own grants, which no other session and not this policy ever sees.
   */
  session(): AccessPolicy;
}

/**
 * The access policy of one web host. Paths are compared after resolving symbolic links (for a path
 * that does not exist yet: of its deepest existing folder), so a link cannot lead outside.
 */
export function createAccessPolicy(options: AccessPolicyOptions): AccessPolicy {
  const readFolders = options.readFolders.map(realPath).filter((folder) => dirname(folder) !== folder);
  const lithe = options.litheFolders.map(realPath);
  return policyOver(readFolders, lithe, () => [], (options.chosenFolders ?? []).map(realPath));
}

// A policy whose chosen folders are those `inherited` gives at each check (its parent's, live) and its own.
function policyOver(
  readFolders: readonly string[],
  lithe: readonly string[],
  inherited: () => readonly string[],
  own: string[],
): AccessPolicy {
  const allChosen = (): string[] => [...inherited(), ...own];

  const inside = (folder: string, path: string, hiddenAllowed: boolean): boolean => {
    const rel = relative(folder, path);
    if (rel === '') return true;
    if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return false;
    return hiddenAllowed || !rel.split(sep).some((part) => part.startsWith('.'));
  };
  const reason = (real: string, kind: AccessKind): string | null => {
    const chosen = allChosen();
    if (kind === 'recipe' && !/\.json$/i.test(real)) return 'a recipe file must be a .json file';
    if (lithe.some((folder) => inside(folder, real, true))) return null;
    if (chosen.some((folder) => inside(folder, real, false))) return null;
    if (kind !== 'write' && readFolders.some((folder) => inside(folder, real, false))) return null;
    const hidden = [...readFolders, ...chosen].some((folder) => inside(folder, real, true));
    if (hidden) return 'it is a hidden file or inside a hidden folder, which Lithe in the browser does not open';
    return kind === 'write'
      ? `Lithe in the browser writes only into its own folders (${lithe.join(', ')}) and folders you chose ` +
          `(in this tab's file browser, or with lithe serve --allow FOLDER)`
      : `Lithe in the browser opens only files in ${[...readFolders, ...chosen, ...lithe].join(', ')} (add a folder with lithe serve --allow FOLDER)`;
  };

  const policy: AccessPolicy = {
    check(path, kind) {
      const absolute = resolve(path);
      const why = reason(realPath(absolute), kind);
      if (why !== null) throw new LitheError('not-allowed', `not allowed: ${why}.`, { file: absolute });
      return absolute;
    },
    allows(path, kind) {
      return reason(realPath(resolve(path)), kind) === null;
    },
    grant(path) {
      const absolute = policy.check(path, 'read');
      const real = realPath(absolute);
      if (!allChosen().includes(real)) own.push(real);
      return absolute;
    },
    places: () => ({ read: [...new Set([...readFolders, ...allChosen(), ...lithe])], write: [...new Set([...allChosen(), ...lithe])] }),
    session: () => policyOver(readFolders, lithe, allChosen, []),
  };
  return policy;
}

/** `path` with symbolic links resolved; for a path that does not exist yet, those of its deepest existing folder. */
function realPath(path: string): string {
  const absolute = resolve(path);
  const rest: string[] = [];
  for (let existing = absolute; ; existing = dirname(existing)) {
    try {
      return join(realpathSync(existing), ...rest.reverse());
    } catch {
      if (dirname(existing) === existing) return absolute;
      rest.push(basename(existing));
    }
  }
}
