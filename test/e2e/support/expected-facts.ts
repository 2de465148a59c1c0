import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

/** Size and sha256 of a file, computed independently of Lithe. */
export function expectedFacts(path: string): { sizeBytes: number; sha256: string; exactSize: string } {
  const sizeBytes = statSync(path).size;
  return {
    sizeBytes,
    sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
    exactSize: `${new Intl.NumberFormat('en-US').format(sizeBytes)} bytes`,
  };
}
