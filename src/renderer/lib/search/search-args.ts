import type { CommandArgs, SearchGoal } from '../../../contract';
import { cleanPath } from '../files/clean-path';

/** The answers a search is started from, as a form holds them (paths as typed). */
export interface SearchAnswers {
  goal: SearchGoal;
  /** Empty: no target device, this computer's measurements decide. */
  deviceId: string;
  dataPath: string;
  labelsPath: string;
  normalize: string;
  budgetMinutes: number;
}

/** What stops a search with this time limit from starting, in plain words; null when it can start. */
export function budgetProblem(minutes: number): string | null {
  if (!Number.isFinite(minutes) || minutes <= 0) return 'The time limit must be more than 0 minutes.';
  if (minutes > 24 * 60) return 'The time limit can be at most a day (1440 minutes).';
  return null;
}

/** The arguments of `search.run` for `modelPath` with `answers` (labels and scaling only with data). */
export function searchArgs(modelPath: string, answers: SearchAnswers): CommandArgs<'search.run'> {
  const data = cleanPath(answers.dataPath).path;
  const labels = cleanPath(answers.labelsPath).path;
  return {
    model: modelPath,
    goal: answers.goal,
    budgetMinutes: answers.budgetMinutes,
    ...(answers.deviceId ? { deviceId: answers.deviceId } : {}),
    ...(data ? { data } : {}),
    ...(data && labels ? { labels } : {}),
    ...(data && answers.normalize ? { normalize: answers.normalize } : {}),
  };
}
