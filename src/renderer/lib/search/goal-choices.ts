import type { SearchGoal } from '../../../contract';

/** A goal of the search as the page offers it. */
export interface GoalChoice {
  id: SearchGoal;
  title: string;
  body: string;
}

/** The goals of `search.run`, in plain words, in the order the page lists them. */
export const GOAL_CHOICES: readonly GoalChoice[] = [
  {
    id: 'fastest',
    title: 'Fastest',
    body: 'The version that answers quickest on this computer, if one is clearly faster than the original.',
  },
  {
    id: 'smallest',
    title: 'Smallest file',
    body: 'The smallest version whose answers stay close to the original’s; speed is shown, not required.',
  },
  { id: 'balanced', title: 'Smaller and faster', body: 'The best mix of a smaller file and a shorter time, never one that is slower.' },
  {
    id: 'accurate',
    title: 'Faster, same answers',
    body: 'Only versions whose answers are the same as the original’s up to rounding; the fastest of them.',
  },
];
