import type { GoalId, SearchGoal } from '../../../contract';

/**
 * The search goal that serves a wizard goal: a smaller file → the smallest version that keeps the
 * answers close; faster predictions → the fastest; the same answers → the fastest of those that
 * change the answers no more than rounding does.
 */
export const SEARCH_GOAL: Readonly<Record<GoalId, SearchGoal>> = {
  smaller: 'smallest',
  faster: 'fastest',
  accuracy: 'accurate',
};

/** The wizard's device as a search's target: none for this computer (its measurements decide). */
export const searchDevice = (deviceId: string): string => (deviceId === 'this-machine' ? '' : deviceId);
