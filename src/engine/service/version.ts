import { readFileSync } from 'node:fs';

/** Lithe's version, from package.json. */
export const LITHE_VERSION: string = readVersion();

function readVersion(): string {
  for (const relative of ['../../../package.json', '../../package.json', '../package.json']) {
    try {
      const json = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (json.name === 'lithe' && json.version) return json.version;
    } catch {
      // try the next candidate: the layout differs between sources and builds
    }
  }
  return '0.0.0';
}
