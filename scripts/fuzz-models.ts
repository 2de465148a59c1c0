// `npm run fuzz -- <models folder> [--count N] [--seed S] [--cli] [--timeout S] [--minutes M] [--out report.json]
//   [--only I,J,…] [--keep DIR] [--built] [--models NAME,…] [--cancel F] [--cancel-within MS] [--cancel-grace MS]`:
// mutants of the folder's ONNX and TFLite models (see fuzz/mutate.ts) through inspect, convert to
// the other format, `optimize --recipe graph` and bench, one command per mutant in turn. By default
// through the engine service in this process (its jobs run in worker threads and child processes,
// as in every host); `--cli` starts a `lithe` process per run instead. Prints the counts of each
// verdict, the peak RSS, every defect, and exits non-zero when there was one. `--minutes` stops
// early (after the run under way) and reports what ran. `--only` replays the runs of those indices of
// the same seed (the mutants are the same: every index still draws its mutation); `--keep` saves
// each mutant that ran into DIR as `<index>-<command>-<model>` for a look by hand. `--built` drives the
// bundled engine of `npm run build` (out/main: what the app ships) instead of the TypeScript sources:
// the same engine and checks, but every worker and child process starts about 5× cheaper (no tsx).
// `--models` takes only the folder's models of those file names (with or without the extension).
// `--cancel F` cancels that fraction of the runs at a random moment within `--cancel-within` ms of
// their start (default 8000), with `--cancel-grace` ms (default 100) before the host stops the job
// by force; each cancelled run must leave nothing in its folder, no process running, and the host
// must then still inspect the original model (see fuzz/model-campaign.ts). Engine service only.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type * as ServiceModule from '../src/engine/service';
import { cancelMoment, type CancelPlan } from './fuzz/cancel-check';
import { DEFECTS, FUZZ_COMMANDS, VERDICTS, findModels, prepareRun, runInCli, runInService, type FuzzOutcome } from './fuzz/model-campaign';
import { mutate, seeded } from './fuzz/mutate';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    count: { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    cli: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '120' },
    out: { type: 'string' },
    minutes: { type: 'string' },
    only: { type: 'string' },
    keep: { type: 'string' },
    built: { type: 'boolean', default: false },
    models: { type: 'string' },
    cancel: { type: 'string', default: '0' },
    'cancel-within': { type: 'string', default: '8000' },
    'cancel-grace': { type: 'string', default: '100' },
  },
});
const folder = positionals[0];
const count = Number(values.count);
const seed = Number(values.seed);
if (!folder || !Number.isInteger(count) || count < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- <models folder> [--count N] [--seed S] [--cli] [--timeout S] [--minutes M] [--out report.json]');
  process.exit(2);
}
const cancelPlan: CancelPlan = { fraction: Number(values.cancel), withinMs: Number(values['cancel-within']) };
if (!(cancelPlan.fraction >= 0 && cancelPlan.fraction <= 1) || !(cancelPlan.withinMs >= 0) || (values.cli && cancelPlan.fraction > 0)) {
  console.error('--cancel takes a fraction from 0 to 1 and --cancel-within a time in ms; not with --cli');
  process.exit(2);
}
const only = values.only ? new Set(values.only.split(',').map(Number)) : undefined;
const models = pickModels(findModels(folder), values.models);
if (models.length === 0) {
  console.error(`no .onnx or .tflite models under ${folder}`);
  process.exit(2);
}

const root = mkdtempSync(join(tmpdir(), 'lithe-fuzz-'));
const home = join(root, 'home');
process.env['LITHE_RUNS_DIR'] = join(home, 'runs');
const cancelGraceMs = Number(values['cancel-grace']);
const service = values.cli ? undefined : (await serviceModule(values.built)).createEngineService({ host: 'cli', cancelGraceMs });
const random = seeded(seed);
// The cancel draws have a stream of their own: the same seed gives the same mutants with or without --cancel.
const cancelRandom = seeded(seed ^ 0x5eed);
const originals = new Map<string, Uint8Array>();
const outcomes: Array<FuzzOutcome & { model: string; how: string; index: number }> = [];
const started = Date.now();
try {
  const deadline = values.minutes ? started + Number(values.minutes) * 60_000 : Infinity;
  for (let index = 0; index < count && Date.now() < deadline; index++) {
    // Each model in turn goes through the four commands, each time with a new mutant.
    const model = models[Math.floor(index / FUZZ_COMMANDS.length) % models.length] ?? '';
    const original = originals.get(model) ?? readFileSync(model);
    originals.set(model, original);
    const { bytes, how } = mutate(original, random);
    const cancelAfterMs = cancelMoment(cancelPlan, cancelRandom);
    if (only && !only.has(index)) continue;
    const command = FUZZ_COMMANDS[index % FUZZ_COMMANDS.length] ?? 'inspect';
    if (values.keep) {
      mkdirSync(values.keep, { recursive: true });
      writeFileSync(join(values.keep, `${index}-${command}-${basename(model)}`), bytes);
    }
    const { workDir, mutant } = prepareRun(root, index, model, bytes);
    const checkHost = (): Promise<unknown> => service?.invoke('model.inspect', { path: model }) ?? Promise.resolve();
    const settings = { command, model: mutant, workDir, timeoutMs: Number(values.timeout) * 1000, cancelAfterMs, checkHost };
    const outcome = service ? await runInService(service, settings) : await runInCli(settings);
    outcomes.push({ ...outcome, model: basename(model), how, index });
    rmSync(workDir, { recursive: true, force: true });
    if (only)
      console.log(`#${index} ${outcome.verdict} ${command} ${basename(model)} (${how}) ${outcome.ms} ms: ${outcome.message.slice(0, 300)}`);
    else if (DEFECTS.includes(outcome.verdict))
      console.log(`DEFECT #${index} ${outcome.verdict} ${command} ${basename(model)} (${how}): ${outcome.message.slice(0, 400)}`);
    if ((index + 1) % 25 === 0) console.log(`… ${index + 1}/${count} runs, ${((Date.now() - started) / 60_000).toFixed(1)} min`);
  }
} finally {
  await service?.close();
  rmSync(root, { recursive: true, force: true });
}

/** The models named in `names` (comma-separated file names, extension optional), or all of them. */
function pickModels(found: string[], names: string | undefined): string[] {
  if (!names) return found;
  const wanted = names.split(',').map((name) => name.trim());
  const missing = wanted.filter((name) => !found.some((model) => matches(model, name)));
  if (missing.length > 0) {
    console.error(`--models: no model called ${missing.join(', ')} under ${folder}`);
    process.exit(2);
  }
  return found.filter((model) => wanted.some((name) => matches(model, name)));
}

function matches(model: string, name: string): boolean {
  const file = basename(model);
  return file === name || file.replace(/\.(onnx|tflite)$/i, '') === name;
}

/** The engine service from the sources, or from the build (`out/main/engine-service.js`). */
async function serviceModule(built: boolean): Promise<typeof ServiceModule> {
  if (!built) return import('../src/engine/service');
  const entry = fileURLToPath(new URL('../out/main/engine-service.js', import.meta.url));
  if (!existsSync(entry)) {
    console.error(`--built: ${entry} is missing; run \`npm run build\` first`);
    process.exit(2);
  }
  return (await import(entry)) as typeof ServiceModule;
}

const tally = (list: FuzzOutcome[]): string =>
  VERDICTS.filter((v) => v !== 'cancelled' || cancelPlan.fraction > 0)
    .map((v) => `${v} ${list.filter((o) => o.verdict === v).length}`)
    .join(', ');
const peak = Math.max(...outcomes.map((o) => o.peakRssMb));
const over = outcomes.filter((o) => o.peakRssMb > 1024).length;
const how = values.cli ? 'one lithe process per run' : `engine service in-process${values.built ? ' (built)' : ''}`;
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
console.log(`model fuzz: ${outcomes.length} mutants of ${models.length} models, seed ${seed}, ${how}, ${minutes} min`);
for (const command of FUZZ_COMMANDS) console.log(`  ${command.padEnd(8)} ${tally(outcomes.filter((o) => o.command === command))}`);
console.log(`  all      ${tally(outcomes)}`);
console.log(`  peak RSS of a run: ${peak} MB (runs over 1024 MB: ${over}); slowest run ${Math.max(...outcomes.map((o) => o.ms))} ms`);
if (cancelPlan.fraction > 0) {
  const cancelled = outcomes.filter((o) => o.verdict.startsWith('cancel'));
  console.log(`  cancelled at a random moment: ${cancelled.length} runs (grace ${cancelGraceMs} ms before a forced stop)`);
}
if (values.out) writeFileSync(values.out, JSON.stringify({ seed, count, models, cancelPlan, outcomes }, null, 1));
const defects = outcomes.filter((o) => DEFECTS.includes(o.verdict)).length;
process.exit(defects === 0 && over === 0 ? 0 : 1);
