import type { RunFailure } from '../../../contract';
import { errorTitle } from '../format/error-info';

/** Why a failed run stopped, in a few plain words for the runs list (the engine's message is in its details). */
export function failureHeadline(failure: RunFailure): string {
  if (failure.cancelled) return 'Cancelled';
  if (/changed the results/.test(failure.error.message)) return 'A step changed the answers too much';
  return errorTitle(failure.error.code);
}
