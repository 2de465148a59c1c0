#!/usr/bin/env node
// `npm start`: builds the app, then opens it in Electron; where the Electron binary is not available
// (it is downloaded on first use and some machines cannot download it), serves the same UI through
// the web host instead and prints its URL.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
  const port = process.env.LITHE_PORT ?? '0';
  const child = spawn(process.execPath, [join(root, 'bin', 'lithe.js'), 'serve', '--port', port], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
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
