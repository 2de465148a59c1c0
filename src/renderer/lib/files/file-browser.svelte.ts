import type { ErrorInfo, FileEntry, FileListing, FilePlace } from '../../../contract';
import type { HostFiles } from '../bridge/renderer-api';
import { toErrorInfo } from '../format/error-info';

/** What the file browser picks: a model file, or a folder (data, a batch's input, an output folder). */
export type BrowseMode = 'model' | 'folder';

/** One step of the path above the listed folder, from the place it lies in. */
export interface Crumb {
  label: string;
  path: string;
}

/**
 * The state of the web host's file browser dialog: the places, one folder's listing, the highlighted
 * entry, and choosing (which grants the choice to the page through the host's access policy).
 */
export class FileBrowserState {
  places: FilePlace[] = $state([]);
  home: string | null = $state(null);
  listing: FileListing | null = $state(null);
  error: ErrorInfo | null = $state(null);
  loading = $state(false);
  showHidden = $state(false);
  /** Index of the highlighted entry in {@link entries}. */
  active = $state(0);
  readonly #files: HostFiles;
  readonly mode: BrowseMode;
  #request = 0;

  constructor(files: HostFiles, mode: BrowseMode) {
    this.#files = files;
    this.mode = mode;
  }

  /** The entries shown: in model mode, every folder and file (models highlighted); in folder mode, folders only. */
  get entries(): FileEntry[] {
    const all = this.listing?.entries ?? [];
    return this.mode === 'folder' ? all.filter((entry) => entry.kind === 'folder') : all;
  }

  /** The path from the place the folder lies in down to the folder. */
  get crumbs(): Crumb[] {
    const path = this.listing?.path;
    if (!path) return [];
    const place = this.places
      .filter((candidate) => path === candidate.path || path.startsWith(`${candidate.path.replace(/\/$/, '')}/`))
      .sort((a, b) => b.path.length - a.path.length)[0];
    const root = place?.path ?? '/';
    const crumbs: Crumb[] = [{ label: place?.label ?? '/', path: root }];
    let current = root.replace(/\/$/, '');
    for (const part of path.slice(root.length).split('/').filter(Boolean)) {
      current = `${current}/${part}`;
      crumbs.push({ label: part, path: current });
    }
    return crumbs;
  }

  /** Loads the places and lists `start` (default: the home folder). */
  async start(start?: string): Promise<void> {
    try {
      const places = await this.#files.call('files.places', {});
      this.places = places.places;
      this.home = places.home;
      await this.go(start ?? places.home);
      // A folder typed earlier that cannot be listed: start at home instead.
      if (!this.listing && start !== undefined && start !== places.home) await this.go(places.home);
    } catch (error) {
      this.error = toErrorInfo(error);
    }
  }

  /** Lists `path`; on failure the previous listing stays and the error is shown. */
  async go(path: string): Promise<void> {
    const request = ++this.#request;
    this.loading = true;
    try {
      const listing = await this.#files.call('files.list', { path, showHidden: this.showHidden });
      if (request !== this.#request) return;
      this.listing = listing;
      this.error = null;
      this.active = 0;
    } catch (error) {
      if (request === this.#request) this.error = toErrorInfo(error);
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  async up(): Promise<void> {
    if (this.listing?.parent) await this.go(this.listing.parent);
  }

  async toggleHidden(): Promise<void> {
    this.showHidden = !this.showHidden;
    if (this.listing) await this.go(this.listing.path);
  }

  move(by: number): void {
    const count = this.entries.length;
    if (count > 0) this.active = Math.min(count - 1, Math.max(0, this.active + by));
  }

  /** Grants `path` to the page and returns it (null when refused; the error is shown). */
  async choose(path: string): Promise<string | null> {
    try {
      return (await this.#files.call('files.choose', { path })).path;
    } catch (error) {
      this.error = toErrorInfo(error);
      return null;
    }
  }
}
