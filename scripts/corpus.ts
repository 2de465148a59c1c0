// The real-model corpus: runs every operation on every model listed in corpus/models.json (and any model in the folder
// that the file does not list yet), checks each result by running both models, prints the table and a summary.
//   npm run corpus -- [models dir] [--only glob[,glob]] [--ops list] [--jobs 2] [--timeout s] [--json out] [--update] [--accept]
// Without a models dir only the models shipped in npm devDependencies run (`npm:` entries). Exits 1 on any unexpected
// or new cell (after --update, new cells have an expectation and no longer count), 2 on bad arguments. `--json` and
// `--update` are written after every cell, so a run stopped part-way keeps what it measured.
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { progressBar } from '../src/cli/progress-bar';
import { OPERATIONS, Operation, readCorpus } from './corpus/corpus-schema';
import { renderCorpus, summaryCounts } from './corpus/corpus-table';
import { runCorpus, type CellResult } from './corpus/run-corpus';
import { updatedCorpus, writeCorpus } from './corpus/update-corpus';

const USAGE =
  'usage: npm run corpus -- [models dir] [--only glob] [--ops inspect,graph,…] [--jobs n] [--timeout s] [--json out.json] [--update] [--accept] [--ci] [--file corpus.json]';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    only: { type: 'string' },
    ops: { type: 'string' },
    jobs: { type: 'string', default: '2' },
    timeout: { type: 'string', default: '900' },
    json: { type: 'string' },
    update: { type: 'boolean', default: false },
    accept: { type: 'boolean', default: false },
    ci: { type: 'boolean', default: false },
    file: { type: 'string', default: join(import.meta.dirname, '..', 'corpus', 'models.json') },
  },
});

function fail(message: string): never {
  console.error(`corpus: ${message}\n${USAGE}`);
  process.exit(2);
}

const modelsDir = positionals[0] ? resolve(positionals[0]) : undefined;
if (modelsDir && !existsSync(modelsDir)) fail(`no models folder at ${modelsDir}`);
const jobs = Number(values.jobs);
const timeout = Number(values.timeout);
if (!Number.isInteger(jobs) || jobs < 1 || jobs > 16) fail(`--jobs must be a whole number from 1 to 16, not "${values.jobs}"`);
if (!(timeout > 0)) fail(`--timeout must be a number of seconds, not "${values.timeout}"`);
const ops = values.ops?.split(',').map((op) => {
  const parsed = Operation.safeParse(op.trim());
  return parsed.success ? parsed.data : fail(`unknown operation "${op}" (operations: ${OPERATIONS.join(', ')})`);
});

const corpus = readCorpus(values.file);
const bar = progressBar('corpus');
const started = performance.now();
const finishedCells: CellResult[] = [];
let saved: Promise<void> = Promise.resolve();
// What is measured so far goes to the files at once: a long run stopped part-way keeps it.
function save(cells: readonly CellResult[]): Promise<void> {
  if (values.json) writeFileSync(values.json, `${JSON.stringify({ counts: summaryCounts(cells), cells }, null, 2)}\n`);
  if (!values.update && !values.accept) return Promise.resolve();
  return writeCorpus(values.file, updatedCorpus(corpus, cells, values.accept));
}
const cells: CellResult[] = await runCorpus(corpus, {
  modelsDir,
  only: values.only,
  ops,
  ci: values.ci,
  jobs,
  timeoutSeconds: timeout,
  onCell(cell, finished, total) {
    const line = `${finished}/${total} ${cell.model} · ${cell.operation}: ${cell.measured.outcome}${
      cell.judgement.status === 'expected' ? '' : ` (${cell.judgement.status})`
    } ${cell.measured.seconds ?? '?'} s`;
    if (process.stderr.isTTY) bar.update({ stage: 'corpus', fraction: finished / total, message: line });
    else console.error(line);
    finishedCells.push(cell);
    const snapshot = [...finishedCells];
    saved = saved.then(() => save(snapshot));
  },
});
await saved;
bar.done();
console.log(renderCorpus(cells));
console.log(`(${((performance.now() - started) / 1000).toFixed(0)} s, ${jobs} at once)`);

await save(cells);
if (values.update || values.accept) console.log(`updated ${values.file}`);
const counts = summaryCounts(cells);
const unexpected = (counts['FAILED'] ?? 0) + (values.update || values.accept ? 0 : (counts['new'] ?? 0));
process.exitCode = unexpected > 0 ? 1 : 0;
