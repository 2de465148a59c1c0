import type { EngineContext } from './context';
import { identifyFile, type FileFacts } from './files/identify-file';

// Entry points that run inside job workers. Each takes plain data and an EngineContext.

/** Identifies a file by content and hashes it. */
export function identify(args: { path: string }, ctx: EngineContext): Promise<FileFacts> {
  return identifyFile(args.path, ctx);
}
