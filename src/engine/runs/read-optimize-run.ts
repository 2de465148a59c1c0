import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { OptimizeReport } from '../../contract/optimize';
import { LitheError } from '../errors';

/** The report of the optimization run in folder `dir`; a LitheError naming the file when it has none or it is not one. */
export async function readOptimizeRun(dir: string): Promise<OptimizeReport> {
  const file = join(resolve(dir), 'report.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new LitheError('invalid-argument', 'This is not an optimization run folder (it has no report.json).', { file: dir });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new LitheError('invalid-argument', 'The run’s report.json is not valid JSON.', { file });
  }
  const parsed = OptimizeReport.safeParse(json);
  if (!parsed.success) throw new LitheError('invalid-argument', 'The run’s report.json is not a Lithe optimization report.', { file });
  return parsed.data;
}
