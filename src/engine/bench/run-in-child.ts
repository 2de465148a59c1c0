import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import type { EngineContext } from '../context';
import { LitheError, type ErrorInfo } from '../errors';
import type { ChildReply, ChildRequest } from './child-protocol';
import { entryUrl } from '../entry-url';

const CHILD = entryUrl(import.meta.url, './bench-child.ts');
const CANCEL_GRACE_MS = 2000;
const STDERR_TAIL = 2000;

/** Node flags a child needs to run `entry`: the tsx loader when it is TypeScript. */
function childExecArgv(entry: URL): string[] {
  if (!entry.pathname.endsWith('.ts')) return [];
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  return ['--import', pathToFileURL(join(tsxDir, 'dist', 'loader.mjs')).href];
}

/** Failure of a benchmark child, with the engine's error info. */
export class ChildError extends LitheError {
  constructor(info: ErrorInfo) {
    super(info.code, info.message, { file: info.file });
    this.message = info.message; // already names the file
    this.name = 'ChildError';
  }
}

/**
 * Runs a benchmark request in a fresh Node process. A process of its own (rather than only a
 * worker thread) is what makes peak RSS honest: resident memory is per process, so a
 * configuration measured alone in its process reports its own peak and load delta, untouched by
 * the host or by earlier configurations. It also keeps a native crash in ONNX Runtime from taking
 * anything else down.
 */
export async function runInChild<Result>(request: Exclude<ChildRequest, { type: 'cancel' }>, ctx: EngineContext = {}): Promise<Result> {
  if (!existsSync(fileURLToPath(CHILD))) {
    // A build without the child entry: measure here (results say `isolation: 'thread'`).
    const { runConfig } = await import('./run-config');
    const { runCompare } = await import('./run-compare');
    return (request.type === 'config' ? await runConfig(request.job, ctx) : await runCompare(request.args, ctx)) as Result;
  }
  return new Promise<Result>((resolve, reject) => {
    if (ctx.signal?.aborted) {
      reject(new LitheError('cancelled', 'The job was cancelled.'));
      return;
    }
    const child = fork(fileURLToPath(CHILD), [], {
      execArgv: childExecArgv(CHILD),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    let settled = false;
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const finish = (outcome: { result: Result } | { error: LitheError }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      ctx.signal?.removeEventListener('abort', onAbort);
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome.result);
    };
    const onAbort = (): void => {
      cancelled = true;
      if (child.connected) child.send({ type: 'cancel' } satisfies ChildRequest);
      killTimer = setTimeout(() => {
        child.kill('SIGKILL');
        finish({ error: new LitheError('cancelled', 'The job was cancelled (stopped by force).') });
      }, CANCEL_GRACE_MS);
    };
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('message', (reply: ChildReply) => {
      if (reply.type === 'progress') ctx.onProgress?.(reply.progress);
      else if (reply.type === 'result') finish({ result: reply.result as Result });
      else finish({ error: cancelled ? new LitheError('cancelled', 'The job was cancelled.') : new ChildError(reply.error) });
    });
    child.on('error', (error) =>
      finish({ error: new LitheError('runtime-failed', `could not start the benchmark process: ${error.message}`) }),
    );
    child.on('exit', (code, signal) => {
      if (cancelled) return finish({ error: new LitheError('cancelled', 'The job was cancelled.') });
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const tail = stripVTControlCharacters(stderr.trim().split('\n').slice(-3).join(' '));
      finish({ error: new LitheError('runtime-failed', `the benchmark process ${how} (the runtime crashed)${tail ? `: ${tail}` : ''}`) });
    });
    child.send(request);
  });
}
