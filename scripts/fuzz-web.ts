// `npm run fuzz:web -- [--count N] [--seed S]`: hostile HTTP requests, WebSocket upgrades, cookies,
// frames and messages against a real `lithe serve`; after each one the server must still answer
// `app.info`. Prints a summary and exits non-zero when any case broke it.
import { parseArgs } from 'node:util';
import { fuzzWebHost } from './fuzz/web-fuzz';

const { values } = parseArgs({ options: { count: { type: 'string', default: '600' }, seed: { type: 'string', default: '1' } } });
const count = Number(values.count);
const seed = Number(values.seed);
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz:web -- [--count N] [--seed S]');
  process.exit(2);
}

const started = Date.now();
const report = await fuzzWebHost({
  count,
  seed,
  onCase: (index) => {
    if ((index + 1) % 50 === 0) console.log(`… ${index + 1}/${count} cases`);
  },
});
const kinds = Object.entries(report.byKind)
  .map(([kind, n]) => `${kind} ${n}`)
  .join(', ');
console.log(`web-host fuzz: ${report.cases} cases (${kinds}), seed ${seed}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(
  `answered app.info after ${report.cases - report.failures.length} of ${report.cases}; slowest answer ${report.slowestAnswerMs} ms`,
);
console.log(
  `server RSS ${report.rssMb.start} → ${report.rssMb.end} MB, open file descriptors ${report.openFds.start} → ${report.openFds.end}`,
);
for (const failure of report.failures) console.log(`FAILED case ${failure.index} (${failure.name}): ${failure.problem}`);
process.exit(report.failures.length === 0 && report.cases === count ? 0 : 1);
