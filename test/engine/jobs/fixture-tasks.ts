import type { EngineContext } from '../../../src/engine/context';
import { LitheError } from '../../../src/engine/errors';

// Tasks the job-runner tests run in real worker threads (the worker finds them in `tasks`).

async function countTo(args: { n: number }, ctx: EngineContext): Promise<{ total: number }> {
  for (let i = 1; i <= args.n; i++) {
    ctx.onProgress?.({ stage: 'counting', fraction: i / args.n });
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
  return { total: args.n };
}

async function waitUntilCancelled(_args: unknown, ctx: EngineContext): Promise<never> {
  ctx.onProgress?.({ stage: 'waiting' });
  await new Promise((_resolve, reject) => {
    ctx.signal?.addEventListener('abort', () => reject(new LitheError('cancelled', 'stopped cooperatively')));
  });
  throw new Error('unreachable');
}

async function spinForever(_args: unknown, ctx: EngineContext): Promise<never> {
  ctx.onProgress?.({ stage: 'spinning' });
  for (;;) {
    // a task that never looks at its signal: only terminating the worker stops it
  }
}

async function crash(): Promise<never> {
  process.exit(3);
}

async function failWithLitheError(args: { file: string }): Promise<never> {
  throw new LitheError('corrupt-model', 'The file is truncated.', { file: args.file });
}

async function allocateTooMuch(): Promise<number> {
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array(1_000_000).fill(1));
}

// Memory outside V8's heap, as a native library allocates it: only a watch on resident memory sees it.
async function hoardNativeMemory(): Promise<number> {
  const hoard: Buffer[] = [];
  for (;;) {
    hoard.push(Buffer.alloc(32 * 1024 ** 2, 1));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

// Holds `mb` MB outside V8's heap, then finishes (the `model` argument is what the job's memory estimate reads).
async function hoardThenFinish(args: { model: string; mb: number }): Promise<number> {
  const hoard: Buffer[] = [];
  while (hoard.length * 32 < args.mb) {
    hoard.push(Buffer.alloc(32 * 1024 ** 2, 1));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  return hoard.length * 32;
}

async function processId(): Promise<number> {
  return process.pid;
}

export const tasks = {
  countTo,
  waitUntilCancelled,
  spinForever,
  crash,
  failWithLitheError,
  allocateTooMuch,
  hoardNativeMemory,
  hoardThenFinish,
  processId,
};
