#!/usr/bin/env node
// `npm start`: builds the app, then opens it in Electron; where the Electron binary is not available
// (it is downloaded on first use and some machines cannot download it), serves the same UI through
// the web host instead and prints its URL, on the same port as last time when that port is free.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);

const build = spawnSync(bin('electron-vite'), ['build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const electron = electronBinary();
if (electron) {
  const child = spawn(electron, ['.'], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    'Electron is not available on this machine (its binary could not be downloaded); serving the same UI in your browser instead.',
  );
  // The same port as last time when it is free, so open tabs, bookmarks and recent files keep working.
  const port = process.env.LITHE_PORT ?? String((await isFree(lastPort())) ? lastPort() : 0);
  const child = spawn(process.execPath, [join(root, 'bin', 'lithe.js'), 'serve', '--port', port], {
    cwd: root,
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    const served = /Lithe is serving on http:\/\/127\.0\.0\.1:(\d+)\//.exec(chunk.toString())?.[1];
    if (served) rememberPort(Number(served));
  });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
}

/** Where `npm start` keeps the port it served on last. */
function portFile() {
  return join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'lithe', 'last-port');
}

/** The port served on last time; 0 when there is none. */
function lastPort() {
  try {
    const port = Number(readFileSync(portFile(), 'utf8').trim());
    return Number.isInteger(port) && port > 1023 && port < 65536 ? port : 0;
  } catch {
    return 0;
  }
}

function rememberPort(port) {
  try {
    mkdirSync(dirname(portFile()), { recursive: true });
    writeFileSync(portFile(), `${port}\n`);
  } catch {
    // not remembered: the next start picks any free port
  }
}

/** True when nothing listens on 127.0.0.1:`port`. */
function isFree(port) {
  if (port === 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Path of the Electron executable, after one quiet download attempt; null when there is none. */
function electronBinary() {
  let packageDir;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const located = () => {
    const pathFile = join(packageDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const executable = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(executable) ? executable : null;
  };
  if (located()) return located();
  if (process.env.LITHE_NO_ELECTRON_DOWNLOAD) return null;
  spawnSync(process.execPath, [join(packageDir, 'install.js')], { stdio: 'ignore', timeout: 60_000 });
  return located();
}
