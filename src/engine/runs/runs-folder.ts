import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where runs go when the host names no folder: `$LITHE_RUNS_DIR`, else `$XDG_DATA_HOME/lithe/runs`, else `~/.local/share/lithe/runs`. */
export function defaultRunsFolder(): string {
  return process.env['LITHE_RUNS_DIR'] || join(litheDataFolder(), 'runs');
}

/** Lithe's workspace (models uploaded through the browser, …): `$LITHE_WORKSPACE_DIR`, else `workspace` beside the default runs folder. */
export function defaultWorkspaceFolder(): string {
  return process.env['LITHE_WORKSPACE_DIR'] || join(litheDataFolder(), 'workspace');
}

function litheDataFolder(): string {
  return join(process.env['XDG_DATA_HOME'] || join(homedir(), '.local', 'share'), 'lithe');
}

/** A new run folder's name: `2026-11-27T22-40-05-model-recipe`, sortable and readable. */
export function newRunName(...parts: string[]): string {
  const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '-');
  const words = parts.map((part) => part.replace(/[^A-Za-z0-9._-]+/g, '_')).filter(Boolean);
  return [stamp, ...words].join('-');
}
