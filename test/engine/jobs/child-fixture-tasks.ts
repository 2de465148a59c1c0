import type { EngineContext } from '../../../src/engine/context';
import { forkEngineChild } from '../../../src/engine/jobs/fork-child';

// Tasks that start child processes of their own from the job's worker thread, as a benchmark does.

const STUBBORN = new URL('./stubborn-child.ts', import.meta.url);

// Starts a child that never ends by itself, says its pid (as the progress message), and ignores its own cancel.
async function forkStubbornChildAndHang(_args: unknown, ctx: EngineContext): Promise<never> {
  const child = forkEngineChild(STUBBORN);
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  ctx.onProgress?.({ stage: 'child', message: String(child.pid) });
  return new Promise<never>(() => undefined);
}

// Starts the same child and returns at once, leaving it running.
async function forkStubbornChildAndReturn(): Promise<number> {
  const child = forkEngineChild(STUBBORN);
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  return child.pid ?? -1;
}

export const tasks = { forkStubbornChildAndHang, forkStubbornChildAndReturn };
