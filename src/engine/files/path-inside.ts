import { isAbsolute, relative, sep } from 'node:path';

/** True when `path` lies strictly inside the folder `root` (both absolute; no link is resolved here). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
