import { removeOwnedPartial } from '../optimize/abandoned-folders';

// The hidden folders a job said it was about to create (its `temporary` messages, sent before each
// folder exists). Once the job is gone — finished, failed, crashed or killed — the host removes
// those still there: a job stopped by force while it wrote its run folder leaves nothing beside its
// output. A finished job has renamed or removed its own, so nothing is left to remove. Only a
// `.partial-` folder named after the job's own process is removed (removeOwnedPartial); any other
// path a job names is left alone, so no user file and no other run's folder is ever touched.

/** The hidden folders of one job, removed by {@link JobTemporaries.remove} once the job is gone. */
export class JobTemporaries {
  private readonly paths = new Set<string>();

  /** `pid`: the process the job runs in (its child process, or this one for a worker thread). */
  constructor(private readonly pid: number | undefined) {}

  add(path: string): void {
    this.paths.add(path);
  }

  /** Removes those still there; call it only once the job can write no more. */
  async remove(): Promise<void> {
    const { pid } = this;
    const paths = [...this.paths];
    this.paths.clear();
    if (pid === undefined) return;
    await Promise.all(paths.map((path) => removeOwnedPartial(path, pid).catch(() => false)));
  }
}
