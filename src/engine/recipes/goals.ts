import type { GoalInfo } from '../../contract';

/** The goals a recipe can be chosen for, in the order a person is asked about them, each with its plan of recipes. */
export const GOALS: readonly GoalInfo[] = [
  {
    id: 'smaller',
    title: 'Smaller file',
    explanation:
      'For devices with little storage or memory, or apps that download the model. Done by storing the learned numbers with fewer bits.',
    plan: { withData: ['int8-static', 'int8-dynamic', 'fp16', 'graph'], withoutData: ['int8-dynamic', 'fp16', 'graph'] },
  },
  {
    id: 'faster',
    title: 'Faster predictions',
    explanation:
      'For live camera or audio, or slow processors. Fewer steps per prediction, and cheaper 8-bit arithmetic where the chip is good at it.',
    plan: { withData: ['int8-static', 'graph'], withoutData: ['graph'] },
  },
  {
    id: 'accuracy',
    title: 'Keep the answers exactly the same',
    explanation: 'Only changes that cannot alter the results. The safe choice when accuracy matters more than size or speed.',
    plan: { withData: ['graph'], withoutData: ['graph'] },
  },
];
