import { randomBytes } from 'node:crypto';
import { readFile, realpath, rename, unlink, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { OptimizeReport, type BenchCompareResult, type RunSpeed } from '../../contract';
import { LitheError } from '../errors';
import { checkedRunFolder } from './run-folder-check';

/** Name of the file that keeps a run's last speed check, beside its report. */
export const SPEED_FILE = 'speed.json';

/**
 * Keeps `result` (A: the run's original, B: its optimized model) as the run's speed check in `speed.json`,
 * written to a temporary name and renamed, so a reader never sees half a file. Only an optimization in
 * `runsFolder` takes one, and only a comparison whose B is that run's own output.
 */
export async function recordSpeed(runsFolder: string, dir: string, result: BenchCompareResult): Promise<RunSpeed> {
  const real = await checkedRunFolder(runsFolder, dir, 'given a speed check', ['report.json']);
  const report = OptimizeReport.safeParse(JSON.parse(await readFile(join(real, 'report.json'), 'utf8').catch(() => 'null')));
  if (!report.success) throw new LitheError('invalid-argument', 'report.json in this run folder is not a Lithe report.', { file: dir });
  // The run's output, wherever the runs folder is now (the report names it where the run wrote it).
  const inRun = relative(report.data.runDir, report.data.output.path);
  if (inRun.startsWith(`..${sep}`) || isAbsolute(inRun))
    throw new LitheError('invalid-argument', 'This run’s optimized model lies outside its folder.', { file: dir });
  const output = join(real, inRun);
  const measured = await realpath(result.b.model).catch(() => result.b.model);
  if (measured !== (await realpath(output).catch(() => output)))
    throw new LitheError('invalid-argument', `This speed check measured ${result.b.model}, not this run's optimized model (${output}).`, {
      file: dir,
    });
  const speed: RunSpeed = { schema: 'lithe.speed/1', measuredAt: new Date().toISOString(), result };
  const temp = join(real, `.${SPEED_FILE}.${randomBytes(4).toString('hex')}.partial`);
  try {
    await writeFile(temp, `${JSON.stringify(speed)}\n`, { flag: 'wx' });
    await rename(temp, join(real, SPEED_FILE));
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  return speed;
}
