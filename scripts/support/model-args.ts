import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

/**
 * The arguments of a benchmark script run on sample models: `<models dir> [--flag value]…`.
 * `models` are the given paths under that folder which exist, narrowed by `--only name,name`;
 * without a folder the usage line is printed and the script exits.
 */
export function modelArgs(samples: readonly string[], usage: string): { flag(name: string): string | undefined; models: string[] } {
  const argv = process.argv.slice(2);
  const flag = (name: string): string | undefined => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const root = argv.find((arg, i) => !arg.startsWith('--') && !(argv[i - 1] ?? '').startsWith('--'));
  if (!root || !existsSync(root)) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  const only = flag('--only')?.split(',');
  const models = samples
    .map((path) => join(resolve(root), path))
    .filter((path) => existsSync(path) && (!only || only.some((name) => basename(path).includes(name))));
  return { flag, models };
}
