// Runs hostile cases against a real `lithe serve` process and checks, after every case, that the
// process is alive and still answers `app.info` over an authenticated WebSocket.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { fuzzCases, upgradeRequest, type FuzzCase, type Target } from './web-fuzz-cases';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CASE_MS = 3000;
const ANSWER_MS = 10_000;

/** Settings of {@link fuzzWebHost}. */
export interface WebFuzzOptions {
  count: number;
  seed?: number;
  /** Called after each case with its name and how long the server took to answer `app.info` again. */
  onCase?: (index: number, name: string, answerMs: number) => void;
}

/** What a campaign found. */
export interface WebFuzzReport {
  cases: number;
  byKind: Record<string, number>;
  /** Cases after which the server did not answer (empty when it always did). */
  failures: Array<{ index: number; name: string; problem: string }>;
  slowestAnswerMs: number;
  /** The server's resident memory and open file descriptors at the start and at the end. */
  rssMb: { start: number; end: number };
  openFds: { start: number; end: number };
}

/**
 * Starts `lithe serve` with a throw-away home, runs `count` seeded cases against it, and stops it.
 * The campaign stops at the first case after which the process is gone.
 */
export async function fuzzWebHost(options: WebFuzzOptions): Promise<WebFuzzReport> {
  const home = mkdtempSync(join(tmpdir(), 'lithe-web-fuzz-'));
  const server = await startServer(home);
  const report: WebFuzzReport = {
    cases: 0,
    byKind: {},
    failures: [],
    slowestAnswerMs: 0,
    rssMb: { start: rssMb(server.child), end: 0 },
    openFds: { start: openFds(server.child), end: 0 },
  };
  try {
    await answersAppInfo(server.target);
    const cases = fuzzCases(options.count, options.seed ?? 1, server.target);
    for (const [index, fuzzCase] of cases.entries()) {
      await runCase(server.target, fuzzCase);
      report.cases++;
      const kind = fuzzCase.name.replace(/-\d+$/, '');
      report.byKind[kind] = (report.byKind[kind] ?? 0) + 1;
      const started = Date.now();
      const problem =
        server.child.exitCode !== null ? `the server exited (${server.output().slice(-500)})` : await answersAppInfo(server.target);
      const answerMs = Date.now() - started;
      report.slowestAnswerMs = Math.max(report.slowestAnswerMs, answerMs);
      options.onCase?.(index, fuzzCase.name, answerMs);
      if (problem) {
        report.failures.push({ index, name: fuzzCase.name, problem });
        if (server.child.exitCode !== null) break;
      }
    }
    report.rssMb.end = rssMb(server.child);
    report.openFds.end = openFds(server.child);
  } finally {
    await server.stop();
    rmSync(home, { recursive: true, force: true });
  }
  return report;
}

/** A `lithe serve` process this harness started. */
export interface RunningServer {
  child: ChildProcess;
  target: Target;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts `lithe serve` on a free port with `home` as its home, runs and workspace folders. */
export async function startServer(home: string): Promise<RunningServer> {
  const env = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    LITHE_RUNS_DIR: join(home, 'runs'),
    LITHE_WORKSPACE_DIR: join(home, 'workspace'),
  };
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'lithe.js'), 'serve', '--port', '0'], {
    cwd: home,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`lithe serve did not start:\n${output}`));
    }, 300_000);
    const check = (): void => {
      const match = /Lithe is serving on (http:\/\/\S+)/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve(new URL(match[1]));
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => reject(new Error(`lithe serve exited (${code}):\n${output}`)));
  });
  const token = url.searchParams.get('token') ?? '';
  return {
    child,
    target: { port: Number(url.port), token },
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Sends one case on a fresh connection, reads whatever comes back for a moment, then hangs up. */
function runCase(target: Target, fuzzCase: FuzzCase): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(target.port, '127.0.0.1');
    let received = '';
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, CASE_MS);
    socket.on('error', done);
    socket.on('close', done);
    socket.on('data', (chunk: Buffer) => {
      if (!fuzzCase.upgrade || received.includes('\r\n\r\n')) return;
      received += chunk.toString('latin1');
      if (!received.includes('\r\n\r\n')) return;
      if (!received.startsWith('HTTP/1.1 101')) return done();
      socket.write(fuzzCase.bytes, () => setTimeout(done, 300));
    });
    socket.on('connect', () => {
      if (fuzzCase.upgrade) socket.write(upgradeRequest(target));
      else socket.write(fuzzCase.bytes, () => setTimeout(done, 300));
    });
  });
}

/** Null when the server answers `app.info` on a fresh, authenticated WebSocket; else what went wrong. */
async function answersAppInfo(target: Target): Promise<string | null> {
  const reply = await callServer(target, 'app.info', {}, ANSWER_MS);
  return reply.ok ? null : `app.info: ${reply.problem}`;
}

/** A command's reply from the server: its result, or what went wrong (the error, no answer, …). */
export type ServerReply = { ok: true; result: unknown } | { ok: false; problem: string };

/** Sends one command on a fresh, authenticated WebSocket and waits up to `timeoutMs` for its reply. */
export function callServer(target: Target, command: string, args: unknown, timeoutMs: number): Promise<ServerReply> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${target.port}/api?token=${target.token}`, {
      headers: { origin: `http://127.0.0.1:${target.port}` },
    });
    const finish = (reply: ServerReply): void => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      resolve(reply);
    };
    const timer = setTimeout(() => finish({ ok: false, problem: `no answer within ${timeoutMs} ms` }), timeoutMs);
    socket.on('error', (error) => finish({ ok: false, problem: `cannot connect: ${error.message}` }));
    socket.on('open', () => socket.send(JSON.stringify({ type: 'request', id: 'call', command, args })));
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { type?: string; ok?: boolean; result?: unknown; error?: { message?: string } };
      if (message.type !== 'reply') return;
      finish(message.ok ? { ok: true, result: message.result } : { ok: false, problem: message.error?.message ?? data.toString() });
    });
  });
}

function rssMb(child: ChildProcess): number {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

function openFds(child: ChildProcess): number {
  try {
    return readdirSync(`/proc/${child.pid}/fd`).length;
  } catch {
    return 0;
  }
}
