import { existsSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/** True when paths `a` and `b` name the same file (same path, a link to it, or the same inode). */
export function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  if (!existsSync(b)) return false;
  try {
    if (realpathSync(a) === realpathSync(b)) return true;
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.ino === sb.ino && sa.dev === sb.dev;
  } catch {
    return false;
  }
}
