// One fuzz run: a mutant through one Lithe command, measured from outside, and judged.
//   crash   Lithe failed with an internal error, its worker or process died, or the CLI exited
//           with a signal or status 70; a native crash of a runtime is counted here too
//   hang    no answer within the time limit
//   refused Lithe said "done" (exit 0) and then refused its own output when reading it back
//   rss     the peak resident memory of the whole process tree passed the limit
// and, for a run the campaign cancels at a random moment (`cancelAfterMs`):
//   cancelled         it stopped as asked, leaving nothing behind
//   cancel-leftover   it stopped but left a file in its work folder or a process running
//   cancel-broke-host after it, the host no longer ran a job (`checkHost` failed)
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineService } from '../../src/engine/service';
import { cancelLeftovers } from './cancel-check';
import { measureRun, treeRssMb } from './measure-run';

/** What a fuzz run does with its mutant. */
export type FuzzCommand = 'inspect' | 'convert' | 'optimize' | 'bench';
export const FUZZ_COMMANDS: FuzzCommand[] = ['inspect', 'convert', 'optimize', 'bench'];

/** Every verdict, the good ones first. */
export const VERDICTS = [
  'ok',
  'refused',
  'cancelled',
  'crash',
  'hang',
  'own-output-refused',
  'cancel-leftover',
  'cancel-broke-host',
] as const;
type Verdict = (typeof VERDICTS)[number];
/** The verdicts that are defects. */
export const DEFECTS: readonly Verdict[] = VERDICTS.slice(3);

/** The judged outcome of one run. */
export interface FuzzOutcome {
  command: FuzzCommand;
  /** `ok` (succeeded), `refused` (a clear error), `cancelled`, or a defect (see {@link DEFECTS}). */
  verdict: Verdict;
  ms: number;
  peakRssMb: number;
  message: string;
}

/** Model files (`.onnx`, `.tflite`) under `folder`, at most `maxBytes` each, sorted by path. */
export function findModels(folder: string, maxBytes = 16 * 1024 ** 2): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(onnx|tflite)$/i.test(entry.name) && statSync(path).size <= maxBytes) found.push(path);
    }
  };
  walk(folder);
  return found.sort();
}

const CRASH =
  /internal error|TypeError|ReferenceError|RangeError|SyntaxError|Cannot read propert|is not a function|stopped unexpectedly|killed by SIG|crashed|\n\s+at /;

function classify(failed: boolean, message: string): FuzzOutcome['verdict'] {
  if (!failed) return 'ok';
  return CRASH.test(message) ? 'crash' : 'refused';
}

/** Settings of one run. */
export interface RunSettings {
  command: FuzzCommand;
  model: string;
  workDir: string;
  timeoutMs: number;
  /** Cancel the run this many ms after its start (in the engine service only). */
  cancelAfterMs?: number;
  /** After a cancelled run: rejects when the host can no longer run a job (e.g. inspect the original model). */
  checkHost?: () => Promise<unknown>;
}

const otherFormat = (model: string): string => (extname(model).toLowerCase() === '.onnx' ? '.tflite' : '.onnx');

/** Runs one mutant through the engine service of this process (its jobs run in workers and child processes). */
export async function runInService(service: EngineService, settings: RunSettings): Promise<FuzzOutcome> {
  const { command, model, workDir } = settings;
  const controller = new AbortController();
  let peak = treeRssMb(process.pid);
  const poll = setInterval(() => (peak = Math.max(peak, treeRssMb(process.pid))), 50);
  let cancelled = false;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, settings.timeoutMs);
  const cancel =
    settings.cancelAfterMs === undefined
      ? undefined
      : setTimeout(() => {
          cancelled = true;
          controller.abort();
        }, settings.cancelAfterMs);
  const ctx = { signal: controller.signal };
  const started = Date.now();
  let verdict: FuzzOutcome['verdict'];
  let message = '';
  try {
    let written: string | undefined;
    if (command === 'inspect') await service.invoke('model.inspect', { path: model }, ctx);
    else if (command === 'convert') {
      written = join(workDir, `converted${otherFormat(model)}`);
      await service.invoke('model.convert', { input: model, output: written }, ctx);
    } else if (command === 'optimize') {
      const report = await service.invoke('optimize.run', { model, recipe: 'graph', outDir: join(workDir, 'run') }, ctx);
      written = report.output.path;
    } else {
      const result = await service.invoke(
        'bench.run',
        { models: [model], plan: { warmupRuns: 1, runs: 3, profile: false, profileRuns: 1 } },
        ctx,
      );
      const failure = result.failures[0];
      if (failure) throw Object.assign(new Error(failure.message), { info: { code: failure.code } });
    }
    verdict = 'ok';
    if (written && !cancelled) {
      // What Lithe wrote and called done, it must read back.
      const check = await service.invoke('model.inspect', { path: written }, ctx).then(
        () => null,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      if (check !== null) {
        verdict = 'own-output-refused';
        message = check;
      }
    }
  } catch (error) {
    message = error instanceof Error ? error.message : String(error);
    const code = (error as { info?: { code?: string } }).info?.code;
    if (timedOut) verdict = 'hang';
    else if (cancelled && code === 'cancelled') verdict = 'cancelled';
    else verdict = code === 'internal' ? 'crash' : classify(true, message);
  } finally {
    clearInterval(poll);
    clearTimeout(timer);
    clearTimeout(cancel);
  }
  const ms = Date.now() - started;
  if (verdict === 'cancelled') ({ verdict, message } = await afterCancel(settings, message));
  return { command, verdict, ms, peakRssMb: Math.round(peak), message };
}

/** The verdict of a cancelled run: nothing left behind, and the host still runs a job. */
async function afterCancel(settings: RunSettings, message: string): Promise<Pick<FuzzOutcome, 'verdict' | 'message'>> {
  const left = await cancelLeftovers(settings.workDir, settings.model);
  if (left.length > 0) return { verdict: 'cancel-leftover', message: `${message} — ${left.join(', ')}` };
  const broken = await settings.checkHost?.().then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  return broken === undefined ? { verdict: 'cancelled', message } : { verdict: 'cancel-broke-host', message: `then: ${broken}` };
}

const LITHE = fileURLToPath(new URL('../../bin/lithe.js', import.meta.url));

/** Runs one mutant through a `lithe` process of its own, as a user would. */
export async function runInCli(settings: RunSettings): Promise<FuzzOutcome> {
  const { command, model, workDir } = settings;
  let written: string | undefined;
  let args: string[];
  if (command === 'inspect') args = ['inspect', model];
  else if (command === 'convert') {
    written = join(workDir, `converted${otherFormat(model)}`);
    args = ['convert', model, written];
  } else if (command === 'optimize') args = ['optimize', model, '--recipe', 'graph', '-o', join(workDir, 'run'), '--json'];
  else args = ['bench', model, '--runs', '3', '--warmup', '1'];
  const env = { ...process.env, LITHE_RUNS_DIR: join(workDir, 'runs') };
  const run = await measureRun(process.execPath, [LITHE, ...args], { timeoutMs: settings.timeoutMs, killAboveMb: 4096, env });
  const message = (run.stderr.trim() || run.stdout.trim()).split('\n').slice(-4).join('\n');
  const base = { command, ms: run.ms, peakRssMb: run.peakRssMb };
  if (run.killedFor === 'time') return { ...base, verdict: 'hang', message };
  if (run.killedFor === 'memory') return { ...base, verdict: 'crash', message: `over 4 GB: ${message}` };
  if (run.signal !== null || run.code === 70) return { ...base, verdict: 'crash', message };
  if (run.code !== 0) return { ...base, verdict: classify(true, message), message };
  if (command === 'optimize') {
    const match = /"output":\{"path":"([^"]+)"/.exec(run.stdout);
    written = match?.[1];
  }
  if (written) {
    const check = await measureRun(process.execPath, [LITHE, 'inspect', written], {
      timeoutMs: settings.timeoutMs,
      killAboveMb: 4096,
      env,
    });
    if (check.code !== 0) return { ...base, verdict: 'own-output-refused', message: check.stderr.trim() };
  }
  return { ...base, verdict: 'ok', message };
}

/** Writes `bytes` as the mutant of `model` in a fresh work folder and returns both paths. */
export function prepareRun(root: string, index: number, model: string, bytes: Uint8Array): { workDir: string; mutant: string } {
  const workDir = join(root, String(index));
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const mutant = join(workDir, `mutant${extname(model).toLowerCase()}`);
  writeFileSync(mutant, bytes);
  return { workDir, mutant };
}
