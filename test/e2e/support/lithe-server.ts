import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** A `lithe serve` process started for the tests. */
export interface LitheServer {
  /** The URL it printed, with the access token. */
  url: string;
  stop(): Promise<void>;
}

const READY = /Lithe is serving on (http:\/\/\S+)/;

/**
 * Starts `lithe serve` on a free port and waits for the URL it prints; `env` adds to the environment,
 * `allow` names folders the page may use besides the defaults (`--allow`).
 */
export function startLitheServer(
  root: string,
  env: Record<string, string> = {},
  allow: readonly string[] = [],
  timeoutMs = 60_000,
): Promise<LitheServer> {
  const args = ['serve', '--port', '0', ...allow.flatMap((folder) => ['--allow', folder])];
  const child = spawn(process.execPath, [join(root, 'bin', 'lithe.js'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`lithe serve did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const url = READY.exec(output)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve({ url, stop: () => stopChild(child) });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => fail(new Error(`lithe serve exited early (code ${code}):\n${output}`)));
    child.once('error', fail);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
