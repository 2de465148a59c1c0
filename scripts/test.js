#!/usr/bin/env node
// `npm test`: type checks, lint, unit tests, the UI build and the browser end-to-end tests, with one summary.
// Ends with the line `N passed, N failed`; exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const results = join(root, 'test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

let passed = 0;
let failed = 0;
const failures = [];

function step(title, command, args, env = {}) {
  console.log(`\n── ${title}`);
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return run.status === 0;
}

function count(title, ok) {
  if (ok) passed++;
  else {
    failed++;
    failures.push(title);
  }
}

function countJson(title, file, read) {
  if (!existsSync(file)) {
    count(`${title} (no report written)`, false);
    return;
  }
  const { ok, bad, names } = read(JSON.parse(readFileSync(file, 'utf8')));
  passed += ok;
  failed += bad;
  failures.push(...names.map((name) => `${title}: ${name}`));
}

ensureChromium();

count('typecheck: node code', step('Type check (node code)', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']));
count(
  'typecheck: svelte',
  step('Type check (svelte-check)', bin('svelte-check'), ['--tsconfig', 'tsconfig.web.json', '--fail-on-warnings', '--output', 'human']),
);

// The same command as `npm run lint`, through the npm that runs this script when there is one.
const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
count('lint', step('Lint (ESLint, Prettier)', npm[0], [...npm.slice(1), 'run', '--silent', 'lint']));

step('Unit tests (vitest)', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${join(results, 'unit.json')}`,
]);
countJson('unit', join(results, 'unit.json'), (report) => {
  const names = report.testResults.flatMap((file) =>
    file.assertionResults.filter((test) => test.status === 'failed').map((test) => test.fullName),
  );
  const fileErrors = report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0);
  return {
    ok: report.numPassedTests,
    bad: report.numFailedTests + fileErrors.length,
    names: [...names, ...fileErrors.map((file) => `${file.name} did not load: ${file.message}`)],
  };
});

const SUITE = '/usr/share/libonnx-testdata/data/node';
if (existsSync(SUITE)) {
  console.log(`\n── ONNX conformance (${SUITE}): read → write → run in onnxruntime`);
  const run = spawnSync(process.execPath, [join(root, 'bin', 'run-ts.js'), join(root, 'scripts', 'conformance.ts'), SUITE], {
    cwd: root,
    encoding: 'utf8',
  });
  process.stdout.write(
    run.stdout
      .split('\n')
      .filter((line) => !line.startsWith('…'))
      .join('\n'),
  );
  process.stderr.write(
    run.stderr
      .split('\n')
      .filter((line) => !line.startsWith('…'))
      .join('\n'),
  );
  const line = /^(\d+) passed, (\d+) failed$/m.exec(run.stdout);
  if (!line || run.status !== 0) count('conformance (did not finish)', false);
  else {
    passed += Number(line[1]);
    failed += Number(line[2]);
    if (Number(line[2]) > 0) failures.push(`conformance: ${line[2]} cases`);
  }
} else console.log(`\n── ONNX conformance skipped: ${SUITE} is not installed (Debian package libonnx-testdata)`);

const built = step('Build the app (electron-vite build)', bin('electron-vite'), ['build']);
count('build', built);
if (built) {
  count('built engine smoke test', step('Built engine smoke test', process.execPath, [join(root, 'scripts', 'smoke-built.js')]));
  step('End-to-end tests (Playwright, Chromium)', bin('playwright'), ['test']);
  countJson('e2e', join(results, 'e2e.json'), (report) => {
    const names = [];
    const walk = (suite) => {
      for (const spec of suite.specs ?? []) if (!spec.ok) names.push(spec.title);
      for (const child of suite.suites ?? []) walk(child);
    };
    for (const suite of report.suites ?? []) walk(suite);
    return { ok: report.stats.expected + report.stats.flaky, bad: report.stats.unexpected, names };
  });
}

console.log('');
if (failures.length) console.log(`Failed:\n${failures.map((name) => `  - ${name}`).join('\n')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

/** The browser tests need Debian's Chromium; install it when we may (root on Debian) and it is missing. */
function ensureChromium() {
  if (existsSync('/usr/bin/chromium') || process.env.LITHE_CHROMIUM) return;
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('Installing Chromium for the browser tests (apt-get install chromium)…');
    spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], { stdio: 'inherit' });
  } else {
    console.log('Chromium is missing: install it (Debian: sudo apt-get install chromium) or set LITHE_CHROMIUM to a Chromium binary.');
  }
}
