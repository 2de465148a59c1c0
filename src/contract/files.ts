import { z } from 'zod';
import { isTableCommand, parseTableArgs, type TableArgs, type TableParsedArgs, type TableResult, type TableSchemas } from './command-table';
import { FilePath } from './schemas';

// The web host's own file RPCs: the browser cannot show this machine's folders, so `lithe serve`
// lists them for the page, within its access policy. The desktop app uses native dialogs instead.

/** A full path (the page cannot know which folder a relative one starts from). */
const AbsolutePath = FilePath.refine((path) => path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path), {
  message: 'Give the full path, starting at the root.',
});

/** A place the file browser offers on its left: the home folder, a folder the user chose, one of Lithe's. */
export const FilePlace = z.object({
  path: z.string(),
  label: z.string(),
  kind: z.enum(['home', 'chosen', 'lithe', 'start']),
});
export type FilePlace = z.infer<typeof FilePlace>;

/** `files.places`: where the file browser may go. */
export const FilePlaces = z.object({ home: z.string(), places: z.array(FilePlace) });
export type FilePlaces = z.infer<typeof FilePlaces>;

/** One entry of a folder as the file browser shows it. */
export const FileEntry = z.object({
  name: z.string(),
  path: z.string(),
  kind: z.enum(['folder', 'file']),
  /** Bytes, for files. */
  sizeBytes: z.number().int().nonnegative().optional(),
  /** True when the name ends in a model extension (`.onnx`, `.tflite`, `.lithe`). */
  model: z.boolean(),
  /** False when the page may not open it (a link that leads outside the allowed folders, a hidden entry). */
  allowed: z.boolean(),
});
export type FileEntry = z.infer<typeof FileEntry>;

/** Arguments of `files.list`. */
export const FileListArgs = z.object({ path: AbsolutePath, showHidden: z.boolean().default(false) }).strict();
export type FileListArgs = z.infer<typeof FileListArgs>;

/** `files.list`: one folder's entries, folders first; at most {@link MAX_FOLDER_ENTRIES}. */
export const FileListing = z.object({
  path: z.string(),
  /** The folder above, when the page may list it. */
  parent: z.string().nullable(),
  entries: z.array(FileEntry),
  /** Entries left out beyond the limit. */
  leftOut: z.number().int().nonnegative(),
});
export type FileListing = z.infer<typeof FileListing>;

/** Arguments of `files.choose`: the file or folder the user picked in the file browser. */
export const FileChooseArgs = z.object({ path: AbsolutePath }).strict();
export type FileChooseArgs = z.infer<typeof FileChooseArgs>;

/** `files.choose`: the chosen path, now usable (read and write) by this page. */
export const FileChoice = z.object({ path: z.string(), kind: z.enum(['folder', 'file']) });
export type FileChoice = z.infer<typeof FileChoice>;

/** `POST /files/upload`: the model saved into Lithe's workspace under a free name. */
export const FileUpload = z.object({ path: z.string(), name: z.string(), sizeBytes: z.number().int().nonnegative() });
export type FileUpload = z.infer<typeof FileUpload>;

/** Most entries `files.list` returns for one folder. */
export const MAX_FOLDER_ENTRIES = 2000;
/** Largest model the browser may upload into the workspace (1 GiB): the web host's cap, which the page checks before sending. */
export const MAX_UPLOAD_BYTES = 1024 ** 3;

/** Why a file of `name` over the upload cap `maxBytes` is refused, in the same words on the page and from the host. */
export function uploadTooLarge(name: string, maxBytes = MAX_UPLOAD_BYTES): string {
  const limit = maxBytes >= 1024 ** 3 ? `${maxBytes / 1024 ** 3} GiB` : `${Math.round(maxBytes / 1024 ** 2)} MiB`;
  return `${name} is larger than ${limit}, the most Lithe takes by upload.`;
}
/**
 * Query parameter of the API WebSocket naming the page session: a random id the page makes once per
 * load and sends again when it reconnects, so the folders it chose stay chosen for it (and only it).
 */
export const PAGE_SESSION_PARAM = 'session';
/** What a page session id looks like (a UUID fits). */
export const PAGE_SESSION_ID = /^[A-Za-z0-9_-]{16,64}$/;
/** URL path of uploads (POST, the file as the body, `?name=` its name, the page token in `x-lithe-token`). */
export const UPLOAD_ROUTE = '/files/upload';

/** The web host's file RPCs, sent over the same WebSocket as the engine's commands. */
export const fileCommands = {
  'files.places': { args: z.object({}).strict(), result: FilePlaces },
  'files.list': { args: FileListArgs, result: FileListing },
  'files.choose': { args: FileChooseArgs, result: FileChoice },
} as const;

/** The name of a file RPC. */
export type FileCommandName = keyof typeof fileCommands;
/** Arguments a file RPC takes, as the caller sends them. */
export type FileCommandArgs<C extends FileCommandName> = TableArgs<typeof fileCommands, C>;
/** Arguments of a file RPC after validation. */
export type FileCommandParsedArgs<C extends FileCommandName> = TableParsedArgs<typeof fileCommands, C>;
/** What a file RPC returns. */
export type FileCommandResult<C extends FileCommandName> = TableResult<typeof fileCommands, C>;

/** Each file RPC's schemas, typed as what they parse to (for code generic over the name). */
export const fileCommandSchemas: TableSchemas<typeof fileCommands> = fileCommands;

/** True when `name` is one of the web host's file RPCs. */
export function isFileCommandName(name: unknown): name is FileCommandName {
  return isTableCommand(fileCommands, name);
}

/** `args` checked against file RPC `command`'s schema; a `CommandError` naming every bad field otherwise. */
export function parseFileCommandArgs<C extends FileCommandName>(command: C, args: unknown): FileCommandParsedArgs<C> {
  return parseTableArgs(fileCommandSchemas, command, args);
}
