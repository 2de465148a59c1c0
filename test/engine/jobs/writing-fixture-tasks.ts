import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineContext } from '../../../src/engine/context';
import { beginRunFolder } from '../../../src/engine/optimize/run-folder';

// Tasks that stop in the middle of writing a run folder and never look at their signal, as a job
// inside a long native write does: only stopping its worker or process by force ends them.

// Begins a run folder at `target`, writes part of a model into it, says where (the progress message), and
// stays busy (a timer keeps its event loop alive, as a write under way does).
async function writeRunFolderAndHang(args: { target: string }, ctx: EngineContext): Promise<never> {
  const folder = await beginRunFolder(args.target, { claimTemporary: ctx.claimTemporary });
  await writeFile(join(folder.dir, 'model.onnx'), Buffer.alloc(64 * 1024, 7));
  ctx.onProgress?.({ stage: 'writing', message: folder.dir });
  setInterval(() => undefined, 1000);
  return new Promise<never>(() => undefined);
}

// Claims paths that are not its own hidden folders (a user's folder, another process's run), then hangs.
async function claimOthersAndHang(args: { paths: string[] }, ctx: EngineContext): Promise<never> {
  for (const path of args.paths) await ctx.claimTemporary?.(path);
  ctx.onProgress?.({ stage: 'claimed' });
  return new Promise<never>(() => undefined);
}

export const tasks = { writeRunFolderAndHang, claimOthersAndHang };
