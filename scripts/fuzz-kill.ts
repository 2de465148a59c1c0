// `npm run fuzz:kill -- [--trials N] [--seed S]`: interrupts `lithe optimize` and `lithe batch` with
// SIGINT, SIGTERM or SIGKILL at a random moment of the run (drawn within the time one whole run took
// here, measured first), then starts again, and checks after each trial:
//   - no half-written run folder (`.….partial-…`, `.….old-…`) is left once the interrupted run's
//     processes are gone (before the next start), nor once the next start finished
//   - no Lithe process of the killed run is still alive
//   - the resumed batch lists every model done, and each output's sha256 matches its report
//   - the input files (models side by side with the same name in two formats) are unchanged
// Prints one line per trial and exits non-zero when any check failed.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FACE_SHORT_TFLITE, PPOCR_CLS_ONNX } from '../test/fixtures/real-models';
import { seeded } from './fuzz/mutate';

const { values } = parseArgs({ options: { trials: { type: 'string', default: '20' }, seed: { type: 'string', default: '1' } } });
const trials = Number(values.trials);
const random = seeded(Number(values.seed));
const LITHE = fileURLToPath(new URL('../bin/lithe.js', import.meta.url));

const root = mkdtempSync(join(tmpdir(), 'lithe-kill-'));
const inputs = join(root, 'models');
const out = join(root, 'out');
mkdirSync(join(inputs, 'sub'), { recursive: true });
mkdirSync(out);
copyFileSync(PPOCR_CLS_ONNX, join(inputs, 'model.onnx'));
copyFileSync(FACE_SHORT_TFLITE, join(inputs, 'model.tflite'));
copyFileSync(PPOCR_CLS_ONNX, join(inputs, 'sub', 'other.onnx'));
const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const inputFiles = ['model.onnx', 'model.tflite', 'sub/other.onnx'].map((name) => join(inputs, name));
const inputHashes = new Map(inputFiles.map((path) => [path, sha(path)]));
const env = { ...process.env, LITHE_RUNS_DIR: join(root, 'runs') };

/** Starts `lithe …args`; resolves with its exit code or signal once it ended. */
function lithe(args: string[], interrupt?: { signal: NodeJS.Signals; afterMs: number }): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [LITHE, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    const timer = interrupt && setTimeout(() => child.kill(interrupt.signal), interrupt.afterMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ? signal : code === 0 ? '0' : `${code}: ${stderr.trim().split('\n').pop() ?? ''}`);
    });
  });
}

function hiddenLeftovers(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /\.(partial|old)-/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

/**
 * Processes whose command line or environment mentions this campaign's folder: Lithe processes of a
 * killed run (its job children too, which inherit `LITHE_RUNS_DIR`). A zombie has neither.
 */
function strayProcesses(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const mentions = (file: string): boolean => readFileSync(`/proc/${entry}/${file}`, 'utf8').includes(root);
      if (mentions('cmdline') || mentions('environ')) found.push(Number(entry));
    } catch {
      // ended meanwhile
    }
  }
  return found;
}

interface BatchSummaryFile {
  counts: { done: number; skipped: number; failed: number };
  items: Array<{ model: string; runDir?: string }>;
}

function checkBatch(dir: string): string[] {
  const problems: string[] = [];
  const summary = JSON.parse(readFileSync(join(dir, 'batch-summary.json'), 'utf8')) as BatchSummaryFile;
  if (summary.counts.done + summary.counts.skipped !== 3 || summary.counts.failed !== 0)
    problems.push(`batch counts ${JSON.stringify(summary.counts)}`);
  for (const item of summary.items) {
    const report = JSON.parse(readFileSync(join(item.runDir ?? '', 'report.json'), 'utf8')) as { output: { path: string; sha256: string } };
    if (!existsSync(report.output.path) || sha(report.output.path) !== report.output.sha256)
      problems.push(`${item.model}: output differs from its report`);
  }
  return problems;
}

const commandOf = (kind: 'optimize' | 'batch', name: string): string[] =>
  kind === 'optimize'
    ? ['optimize', join(inputs, 'model.onnx'), '--recipe', 'graph', '-o', join(out, name)]
    : ['batch', inputs, '-o', join(out, name), '--recipe', 'graph'];
/** How long one whole run of `kind` takes here, so the interrupts fall inside a run, not after it. */
async function wholeRunMs(kind: 'optimize' | 'batch'): Promise<number> {
  const started = Date.now();
  const ended = await lithe(commandOf(kind, `whole-${kind}`));
  if (ended !== '0') throw new Error(`a whole ${kind} run failed: ${ended}`);
  rmSync(join(out, `whole-${kind}`), { recursive: true, force: true });
  return Date.now() - started;
}
const wholeMs = { optimize: await wholeRunMs('optimize'), batch: await wholeRunMs('batch') };
console.log(`a whole run here: optimize ${wholeMs.optimize} ms, batch ${wholeMs.batch} ms`);

let failures = 0;
for (let trial = 0; trial < trials; trial++) {
  const kind = trial % 2 === 0 ? 'optimize' : 'batch';
  const signal: NodeJS.Signals = (['SIGINT', 'SIGTERM', 'SIGKILL'] as const)[Math.floor(trial / 2) % 3] ?? 'SIGKILL';
  const afterMs = Math.round(200 + random() * 0.9 * wholeMs[kind]);
  // Each batch trial has a folder of its own: a batch that an earlier trial finished would only skip.
  const args = commandOf(kind, `${kind}-${trial}`);
  const interrupted = await lithe(args, { signal, afterMs });
  // What the interrupted run leaves once all of its processes are gone: nothing (a job child whose host was
  // killed removes its own folder when it ends).
  for (let waited = 0; strayProcesses().length > 0 && waited < 10_000; waited += 100)
    await new Promise((resolve) => setTimeout(resolve, 100));
  const leftAtOnce = hiddenLeftovers(out);
  // The next start: another optimize beside it, or the same batch again, to its end.
  const next =
    kind === 'optimize'
      ? await lithe(['optimize', join(inputs, 'model.tflite'), '--recipe', 'graph', '-o', join(out, `next-${trial}`)])
      : await lithe(args);
  await new Promise((resolve) => setTimeout(resolve, 4000));
  const problems: string[] = [];
  if (next !== '0') problems.push(`the next start failed (${next})`);
  problems.push(...leftAtOnce.map((path) => `left by the interrupted run: ${path}`));
  problems.push(...hiddenLeftovers(out).map((path) => `left behind: ${path}`));
  const stray = strayProcesses();
  if (stray.length > 0) problems.push(`processes still running: ${stray.join(', ')}`);
  if (kind === 'batch' && next === '0') problems.push(...checkBatch(join(out, `batch-${trial}`)));
  for (const [path, hash] of inputHashes) if (sha(path) !== hash) problems.push(`input changed: ${relative(root, path)}`);
  if (problems.length > 0) failures++;
  console.log(
    `${problems.length === 0 ? 'ok  ' : 'FAIL'} trial ${trial}: ${kind} ${signal} after ${afterMs} ms (it ended: ${interrupted})${problems.length ? ` — ${problems.join('; ')}` : ''}`,
  );
}
rmSync(root, { recursive: true, force: true });
console.log(`kill tests: ${trials - failures} of ${trials} trials clean`);
process.exit(failures === 0 ? 0 : 1);
