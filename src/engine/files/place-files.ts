import { existsSync, lstatSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** A finished temporary file and the name it should have. */
export interface Placement {
  from: string;
  to: string;
}

/**
 * Renames finished temporary files into place as one unit, in order; put the file that makes the
 * set visible (a model, after its external data) last. A file already at a target is moved aside
 * first and removed only when every rename succeeded (a folder in the way is never touched). If a rename fails, the ones already done are
 * undone and what was there before is put back, so no half of the set is left under the final names;
 * the temporary files are left to the caller to remove. Rethrows the rename's error.
 */
export function placeFiles(placements: readonly Placement[], stamp: string): void {
  const done: Array<{ placement: Placement; aside: string | undefined }> = [];
  try {
    for (const placement of placements) {
      // Only a file is moved aside: a folder in the way makes the rename fail, and it is left alone.
      const existing = lstatSync(placement.to, { throwIfNoEntry: false });
      const aside =
        existing && !existing.isDirectory() ? join(dirname(placement.to), `.${basename(placement.to)}.${stamp}.old`) : undefined;
      if (aside) renameSync(placement.to, aside);
      done.push({ placement, aside });
      renameSync(placement.from, placement.to);
    }
  } catch (error) {
    for (const { placement, aside } of done.reverse()) undo(placement, aside);
    throw error;
  }
  for (const { aside } of done) if (aside) rmSync(aside, { force: true });
}

/** Takes one placement back: the new file returns to its temporary name, the old one to its own. */
function undo(placement: Placement, aside: string | undefined): void {
  try {
    if (existsSync(placement.to) && !existsSync(placement.from)) renameSync(placement.to, placement.from);
    if (aside) renameSync(aside, placement.to);
  } catch {
    // Best effort: the error that started the rollback is the one to report.
  }
}
