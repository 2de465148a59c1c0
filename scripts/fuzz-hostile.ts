// `npm run fuzz:hostile`: the three small files that asked for unbounded resources (a Range of 2^30
// floats, 10,000,000 empty nodes, a FIFO as external data) through `lithe inspect` and `lithe
// optimize`, and through a running `lithe serve` (model.inspect, optimize.run). Each must end with a
// clear message within 10 s at ≤ 1 GB peak RSS of the whole process tree; the server must go on
// answering app.info. Prints one line per run and exits non-zero when any run missed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyNodesModel, rangeModel, writeFifoExternalModel } from './fuzz/hostile-models';
import { measureRun, treeRssMb } from './fuzz/measure-run';
import { callServer, startServer } from './fuzz/web-fuzz';

const LITHE = fileURLToPath(new URL('../bin/lithe.js', import.meta.url));
const LIMIT_MS = 10_000;
const LIMIT_MB = 1024;

interface Outcome {
  how: string;
  construct: string;
  ms: number;
  peakMb: number;
  message: string;
  ok: boolean;
}

const home = mkdtempSync(join(tmpdir(), 'lithe-hostile-'));
const workspace = join(home, 'workspace');
mkdirSync(join(workspace, 'fifo'), { recursive: true });
const files: Record<string, string> = {
  'range-2^30': join(workspace, 'range.onnx'),
  'empty-nodes-10M': join(workspace, 'empty-nodes.onnx'),
  'fifo-external': writeFifoExternalModel(join(workspace, 'fifo')),
};
writeFileSync(files['range-2^30']!, rangeModel(30));
writeFileSync(files['empty-nodes-10M']!, emptyNodesModel(10_000_000));

const inspectRange = (command: string, construct: string): boolean => command.endsWith('inspect') && construct === 'range-2^30';
const outcomes: Outcome[] = [];
const report = (o: Outcome): void => {
  outcomes.push(o);
  const figures = `${String(o.ms).padStart(6)} ms ${String(o.peakMb).padStart(5)} MB`;
  console.log(`${o.ok ? 'ok  ' : 'MISS'} ${o.how.padEnd(21)} ${o.construct.padEnd(16)} ${figures}  ${o.message}`);
};
// A clear message names the problem; an internal error, a stack trace or a crash is not one.
// Inspecting the Range model may succeed: it is a valid model, only running it is too large.
const judge = (ms: number, peakMb: number, failed: boolean, message: string, mayPass = false): boolean =>
  (failed || mayPass) && ms <= LIMIT_MS && peakMb <= LIMIT_MB && !/internal error|\n\s+at |killed by|crashed/i.test(message);

try {
  for (const [construct, file] of Object.entries(files)) {
    for (const [command, extra] of [
      ['inspect', []],
      ['optimize', ['--recipe', 'graph', '-o', join(home, `out-${construct}`)]],
    ] as const) {
      const run = await measureRun(process.execPath, [LITHE, command, file, ...extra], {
        timeoutMs: 60_000,
        killAboveMb: 4096,
        env: { ...process.env, LITHE_RUNS_DIR: join(home, 'runs') },
      });
      const message = run.killedFor ? `harness killed it for ${run.killedFor}` : run.stderr.trim().split('\n').slice(-3).join(' ');
      report({
        how: `cli ${command}`,
        construct,
        ms: run.ms,
        peakMb: run.peakRssMb,
        message,
        ok: judge(run.ms, run.peakRssMb, run.code !== 0 && run.code !== null, message, inspectRange(command, construct)),
      });
    }
  }

  const server = await startServer(home);
  try {
    const pid = server.child.pid ?? 0;
    for (const [construct, file] of Object.entries(files)) {
      for (const [command, args] of [
        ['model.inspect', { path: file }],
        ['optimize.run', { model: file, recipe: 'graph' }],
      ] as const) {
        let peak = treeRssMb(pid);
        const poll = setInterval(() => (peak = Math.max(peak, treeRssMb(pid))), 25);
        const started = Date.now();
        const reply = await callServer(server.target, command, args, 60_000);
        const ms = Date.now() - started;
        clearInterval(poll);
        const alive = await callServer(server.target, 'app.info', {}, 10_000);
        const message = reply.ok ? 'it succeeded' : reply.problem;
        report({
          how: `server ${command}`,
          construct,
          ms,
          peakMb: Math.round(peak),
          message: alive.ok ? message : `${message}; then app.info: ${alive.problem}`,
          ok: alive.ok && judge(ms, peak, !reply.ok, message, inspectRange(command, construct)),
        });
      }
    }
  } finally {
    await server.stop();
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}

for (const o of outcomes)
  console.log(
    `${o.ok ? 'ok  ' : 'MISS'} ${o.how.padEnd(21)} ${o.construct.padEnd(16)} ${String(o.ms).padStart(6)} ms ${String(o.peakMb).padStart(5)} MB  ${o.message}`,
  );
const missed = outcomes.filter((o) => !o.ok).length;
console.log(
  `${outcomes.length - missed} of ${outcomes.length} runs ended with a clear message within ${LIMIT_MS / 1000} s at ≤ ${LIMIT_MB} MB`,
);
process.exit(missed === 0 ? 0 : 1);
