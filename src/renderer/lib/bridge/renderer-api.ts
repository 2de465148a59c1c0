import type { FileCommandArgs, FileCommandName, FileCommandResult, FileUpload, LitheApi } from '../../../contract';
import type { RunFileOpener } from './run-file-opener';

/** Calls one of the web host's file RPCs (`files.places`, `files.list`, `files.choose`). */
export type CallFiles = <C extends FileCommandName>(command: C, args: FileCommandArgs<C>) => Promise<FileCommandResult<C>>;

/** The web host's files on this machine, for the browser, which cannot see them (absent in the desktop app). */
export interface HostFiles {
  call: CallFiles;
  /** Saves a dropped model into Lithe's workspace under a free name; `onProgress` gets the bytes sent so far. */
  upload(file: File, onProgress?: (sentBytes: number, totalBytes: number) => void, signal?: AbortSignal): Promise<FileUpload>;
}

/**
 * The contract as the renderer uses it: {@link LitheApi} plus the desktop app's native folder picker,
 * which `LitheBridge` carries but the contract's `LitheApi` does not name yet.
 */
export interface RendererApi extends LitheApi {
  /** Native folder picker (Electron only); resolves to null when the user cancels. */
  pickFolder?: (title: string) => Promise<string | null>;
  /**
   * Fetches a run's file (an optimized model, a report) from the web host: `download` saves it,
   * `view` opens a report in a tab; rejects with the host's reason. Absent in the desktop app.
   */
  openRunFile?: RunFileOpener;
  /** The file browser and uploads of the web host. Absent in the desktop app. */
  files?: HostFiles;
}
