import type { RunFailure } from '../../../contract';
import { errorTitle, messageWithoutFile } from '../format/error-info';
import { baseName } from './rerun';

/**
 * Why a failed run stopped, in a few plain words for the runs list: the engine's own sentence when it
 * names the file at fault ("unfit.npy: Each sample holds 7 values …"), else the kind of error (the
 * whole message is in the run's details).
 */
export function failureHeadline(failure: RunFailure): string {
  if (failure.cancelled) return 'Cancelled';
  const { error } = failure;
  if (/changed the results/.test(error.message)) return 'A step changed the answers too much';
  const sentence = messageWithoutFile(error).split(/(?<=\.)\s/)[0] ?? '';
  return error.file && sentence.length <= 160 ? `${baseName(error.file)}: ${sentence}` : errorTitle(error.code);
}
