import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Whether this system lists a process's children (Linux /proc). */
export const listsChildren = existsSync(`/proc/${process.pid}/task/${process.pid}/children`);

/**
 * The child processes of this process that are not reaped yet (zombies included), from every thread
 * (a child belongs to the thread that forked it), with their command lines ('' for a zombie).
 */
export function unreapedChildren(): Array<{ pid: number; state: string; command: string }> {
  const children: Array<{ pid: number; state: string; command: string }> = [];
  for (const thread of readdirSync(`/proc/${process.pid}/task`)) {
    let listed: string;
    try {
      listed = readFileSync(`/proc/${process.pid}/task/${thread}/children`, 'utf8').trim();
    } catch {
      continue; // the thread ended meanwhile
    }
    for (const pid of listed ? listed.split(' ').map(Number) : []) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        // A zombie has no command line left; its short name stays in `stat`.
        const command =
          readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim() ||
          stat.slice(stat.indexOf('('), stat.lastIndexOf(')') + 1);
        children.push({ pid, state, command });
      } catch {
        // reaped meanwhile
      }
    }
  }
  return children;
}

/** Whether process `pid` exists (running or a zombie). */
export function processExists(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}
