import { existsSync } from 'node:fs';

/** Fashion-MNIST as some machines have it; tests use it when present, else a folder laid out the same way. */
export const FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

/** The shared real models, when this machine has them. */
export const SHARED_MODELS = '/work/shared/models';

/**
 * The folders above that exist here. They lie outside the home folder and the working folder, so the
 * web host's access policy opens them only when `lithe serve` is told to (`--allow`), as a user would.
 */
export function machineDataFolders(): string[] {
  return [FASHION_MNIST, SHARED_MODELS].filter((folder) => existsSync(folder));
}
