/**
 * The URL of a file the engine starts on its own (a worker thread or child process entry). From
 * sources it is the `.ts` file at `sourcePath` relative to the caller; in the built app every entry
 * is bundled flat beside the main bundle as `<name>.js` (see electron.vite.config.ts).
 */
export function entryUrl(callerUrl: string, sourcePath: string): URL {
  if (callerUrl.endsWith('.ts')) return new URL(sourcePath, callerUrl);
  const name = sourcePath.split('/').pop()!.replace(/\.ts$/, '.js');
  return new URL(`./${name}`, callerUrl);
}
